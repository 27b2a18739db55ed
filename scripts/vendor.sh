#!/usr/bin/env bash
# Refresh static/vendor/ from the npm registry (run by hand; the result is committed).
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm init -y >/dev/null && npm install --silent --no-audit --no-fund \
  bootstrap@5 bootstrap-icons swagger-ui-dist chart.js axe-core)
N="$work/node_modules"
V=static/vendor
mkdir -p $V/bootstrap $V/bootstrap-icons/fonts $V/swagger-ui $V/chartjs $V/axe-core
cp $N/bootstrap/dist/css/bootstrap.min.css $N/bootstrap/dist/css/bootstrap.min.css.map \
   $N/bootstrap/dist/js/bootstrap.bundle.min.js $N/bootstrap/dist/js/bootstrap.bundle.min.js.map \
   $N/bootstrap/LICENSE $V/bootstrap/
cp $N/bootstrap-icons/font/bootstrap-icons.min.css $N/bootstrap-icons/LICENSE $V/bootstrap-icons/
cp $N/bootstrap-icons/font/fonts/bootstrap-icons.woff2 $N/bootstrap-icons/font/fonts/bootstrap-icons.woff $V/bootstrap-icons/fonts/
cp $N/swagger-ui-dist/swagger-ui-bundle.js $N/swagger-ui-dist/swagger-ui-standalone-preset.js \
   $N/swagger-ui-dist/swagger-ui.css $N/swagger-ui-dist/LICENSE $V/swagger-ui/
cp $N/chart.js/dist/chart.umd.min.js $N/chart.js/LICENSE.md $V/chartjs/
cp $N/axe-core/axe.min.js $N/axe-core/LICENSE $V/axe-core/
echo "vendored into $V; update $V/README.md with the versions:"
for p in bootstrap bootstrap-icons swagger-ui-dist chart.js axe-core; do
  echo "  $p $(node -p "require('$N/$p/package.json').version")"
done
