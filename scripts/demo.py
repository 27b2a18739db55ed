"""`make demo`: the portal with a demo region, web + worker + beat, until Ctrl-C.

Embedded PostgreSQL and Redis under var/ when DATABASE_URL / REDIS_URL are unset. A second
run reuses var/ (data, keys) and starts in seconds. Ctrl-C stops every process started here.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from scripts.services import ROOT, services


def main() -> int:
    var_dir = Path(os.environ.get("ENLACE_VAR_DIR", ROOT / "var"))
    host = os.environ.get("ENLACE_HOST", "127.0.0.1")
    port = os.environ.get("PORT", "8000")
    bin_dir = Path(sys.executable).parent
    children: list[subprocess.Popen[bytes]] = []

    def stop(*_: object) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)

    def stop_children() -> None:
        for child in children:
            if child.poll() is None:
                child.terminate()
        for child in children:
            try:
                child.wait(timeout=15)
            except subprocess.TimeoutExpired:
                child.kill()

    try:
        with services(var_dir, database="enlace") as service_env:
            try:
                run(service_env, var_dir, host, port, bin_dir, children)
            finally:
                stop_children()
    except KeyboardInterrupt:
        print("\n[enlace] stopped", flush=True)
    return 0


def run(
    service_env: dict[str, str],
    var_dir: Path,
    host: str,
    port: str,
    bin_dir: Path,
    children: list[subprocess.Popen[bytes]],
) -> None:
    env = {
        **os.environ,
        **service_env,
        "ENLACE_ENV": "demo",
        "ENLACE_VAR_DIR": str(var_dir),
        "ENLACE_HTTPS": os.environ.get("ENLACE_HTTPS", "false"),
        "ALLOWED_HOSTS": os.environ.get("ALLOWED_HOSTS", f"{host},localhost,127.0.0.1"),
        "PORTAL_BASE_URL": os.environ.get("PORTAL_BASE_URL", f"http://{host}:{port}"),
    }
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "--no-input", "-v", "0"], cwd=ROOT, env=env, check=True)
    subprocess.run([*manage, "load_demo"], cwd=ROOT, env=env, check=True)
    commands = {
        "web": [
            str(bin_dir / "gunicorn"),
            "portal.wsgi:application",
            "--bind",
            f"{host}:{port}",
            "--workers",
            os.environ.get("WEB_CONCURRENCY", "2"),
            "--threads",
            "4",
            "--preload",
            "--access-logfile",
            "-",
            "--graceful-timeout",
            "5",
        ],
        "worker": [
            str(bin_dir / "celery"),
            "-A",
            "portal",
            "worker",
            "--loglevel",
            "INFO",
            "--concurrency",
            "2",
            "-Q",
            env.get("CELERY_QUEUE", "enlace"),
        ],
        "beat": [
            str(bin_dir / "celery"),
            "-A",
            "portal",
            "beat",
            "--loglevel",
            "INFO",
            "--schedule",
            str(var_dir / "celerybeat-schedule"),
        ],
    }
    for name, command in commands.items():
        print(f"[enlace] starting {name}", flush=True)
        children.append(subprocess.Popen(command, cwd=ROOT, env=env))
    time.sleep(2)
    subprocess.run([*manage, "demo_signins", "--url", env["PORTAL_BASE_URL"]], cwd=ROOT, env=env)
    while True:
        for child in children:
            if child.poll() is not None:
                print(f"[enlace] a process exited ({child.pid}); stopping", flush=True)
                raise KeyboardInterrupt
        time.sleep(1)


if __name__ == "__main__":
    sys.exit(main())
