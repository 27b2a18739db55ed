"""`make bench` / `make bench-smoke`: build the synthetic region once, then measure it.

The region lives in its own database, ``enlace_bench`` (``enlace_bench_smoke`` for the smoke
run), on the server of ``DATABASE_URL`` — or in the embedded PostgreSQL when it is unset —
unless ``BENCH_DATABASE_URL`` names one. ``manage.py seed_scale`` loads it only when the marker
says it holds another plan, so a second ``make bench`` starts measuring within seconds.

    make bench                                  # default size, writes docs/BENCHMARKS.md
    make bench BENCH_ARGS="--scale 0.1"         # a tenth of it (written to var/bench/)
    make bench-smoke                            # tiny; CI runs it so the harness never rots
    make bench BENCH_ARGS="--no-web --reps 50"  # options of bench/run.py pass through
    make bench-hits                             # deconfliction matching alone (bench/hits.py)
    make bench-hits BENCH_ARGS=--smoke          # the same on the tiny region
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from scripts.services import ROOT, services


def _with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}"))


def _create_database(url: str) -> None:
    import psycopg2

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin = _with_database(url, "postgres")
    connection = psycopg2.connect(admin)
    connection.autocommit = True
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
            if cursor.fetchone() is None:
                cursor.execute(f'CREATE DATABASE "{name}"')
    finally:
        connection.close()


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__, add_help=False)
    parser.add_argument("--smoke", action="store_true")
    parser.add_argument("--scale", type=float)
    parser.add_argument("--reseed", action="store_true", help="load the region again")
    parser.add_argument("--only", choices=["hits"], help="measure only this (bench/hits.py)")
    parser.add_argument("-h", "--help", action="store_true")
    args, passthrough = parser.parse_known_args(argv)
    if args.help:
        print(__doc__)
        return subprocess.call([sys.executable, "-m", "bench.run", "--help"], cwd=ROOT)
    scale = args.scale if args.scale is not None else (0.001 if args.smoke else 1.0)
    full = scale == 1.0 and not args.smoke
    database = "enlace_bench_smoke" if args.smoke else "enlace_bench"
    var_dir = Path(os.environ.get("ENLACE_VAR_DIR", ROOT / "var"))

    bench_url = os.environ.get("BENCH_DATABASE_URL")
    if not bench_url and os.environ.get("DATABASE_URL"):
        bench_url = _with_database(os.environ["DATABASE_URL"], database)
    saved = os.environ.get("DATABASE_URL")
    if bench_url:
        os.environ["DATABASE_URL"] = bench_url
        _create_database(bench_url)
    try:
        with services(var_dir, database=database) as service_env:
            env = {
                **os.environ,
                **service_env,
                "ENLACE_ENV": "dev",
                "DEBUG": "false",
                "ENLACE_VAR_DIR": str(var_dir),
                "DJANGO_SETTINGS_MODULE": "portal.settings",
            }
            print(f"[bench] database: {env['DATABASE_URL']}", flush=True)
            manage = [sys.executable, str(ROOT / "manage.py")]
            subprocess.run([*manage, "migrate", "--no-input", "-v", "0"], env=env, check=True)
            seed = [*manage, "seed_scale", "--scale", str(scale)]
            subprocess.run(seed + (["--force"] if args.reseed else []), env=env, check=True)
            if args.only == "hits":
                only = [
                    sys.executable,
                    "-m",
                    "bench.hits",
                    *(["--reps", "5"] if args.smoke else []),
                ]
                return subprocess.call([*only, *passthrough], cwd=ROOT, env=env)
            output = (
                ROOT / "docs" / "BENCHMARKS.md"
                if full
                else var_dir / "bench" / f"BENCHMARKS-{'smoke' if args.smoke else scale}.md"
            )
            run = [sys.executable, "-m", "bench.run", "--output", str(output)]
            if args.smoke:
                run += ["--smoke", "--reps", "5", "--guardian-reps", "3", "--load-seconds", "3"]
                run += ["--shares", "5", "--import-rows", "200", "--import-reps", "1"]
            return subprocess.call([*run, *passthrough], cwd=ROOT, env=env)
    finally:
        if saved is not None:
            os.environ["DATABASE_URL"] = saved


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
