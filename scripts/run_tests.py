"""`make test`: the suite against real PostgreSQL and Redis (embedded when none is configured)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from scripts.services import ROOT, services


def main(argv: list[str]) -> int:
    var_dir = Path(os.environ.get("ENLACE_VAR_DIR", ROOT / "var"))
    with services(var_dir, database="enlace_test_host") as service_env:
        env = {**os.environ, **service_env, "ENLACE_ENV": "test"}
        env.setdefault("ENLACE_VAR_DIR", str(var_dir))
        print(f"[enlace] database: {service_env['DATABASE_URL']}", flush=True)
        print(f"[enlace] redis:    {service_env['REDIS_URL']}", flush=True)
        return subprocess.call([sys.executable, "-m", "pytest", *argv], cwd=ROOT, env=env)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
