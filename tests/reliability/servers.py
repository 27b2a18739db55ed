"""Throwaway servers for the fault and load tests: a PostgreSQL of their own (so it can be
restarted without touching the machine's), and the portal itself under gunicorn.

The machine's PostgreSQL (5432) and Redis (6379) are shared by everyone working on this host
and are never stopped here. Redis for an outage test: ``tests.notifications.test_worker``'s
``RedisServer`` (a redis-server on a free port).
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import requests

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _postgres_bin() -> Path:
    """The machine's PostgreSQL binaries (newest), else those of the ``pgserver`` wheel."""
    found = sorted(
        glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"), key=lambda p: int(p.split("/")[4])
    )
    if found:
        return Path(found[-1]).parent
    on_path = shutil.which("pg_ctl")
    if on_path:
        return Path(on_path).parent
    import pgserver

    return Path(pgserver.__file__).parent / "pginstall" / "bin"


def _service_user() -> str | None:
    """PostgreSQL refuses to run as root: run it as ``postgres`` (or pgserver's user)."""
    if os.geteuid() != 0:
        return None
    for name in ("postgres", "pgserver"):
        try:
            pwd.getpwnam(name)
            return name
        except KeyError:
            continue
    subprocess.run(["useradd", "-M", "-s", "/usr/sbin/nologin", "pgserver"], check=True)
    return "pgserver"


class ThrowawayPostgres:
    """A PostgreSQL cluster in a temporary directory, on a free loopback port (TCP only)."""

    def __init__(self) -> None:
        self.bin = _postgres_bin()
        self.user = _service_user()
        self.port = free_port()
        self.root = Path(tempfile.mkdtemp(prefix="enlace-pg-"))
        self.data = self.root / "data"
        self.log = self.root / "postgres.log"
        if self.user:
            entry = pwd.getpwnam(self.user)
            os.chown(self.root, entry.pw_uid, entry.pw_gid)

    def url(self, database: str) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{database}"

    def _run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(self.bin / args[0]), *args[1:]],
            check=check,
            capture_output=True,
            text=True,
            user=self.user,
            cwd=self.root,
            timeout=120,
        )

    def init(self) -> ThrowawayPostgres:
        self._run("initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust", "-E", "UTF8")
        return self

    def start(self) -> ThrowawayPostgres:
        options = (
            f"-h 127.0.0.1 -p {self.port} -c unix_socket_directories='' -c fsync=off "
            "-c max_connections=200 -c full_page_writes=off"
        )
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.log), "-o", options, "-w", "start")
        return self

    def stop(self, mode: str = "fast") -> None:
        """``fast``: roll back open transactions and close connections; ``immediate``: quit
        at once, as a crash would, and recover from the WAL at the next start."""
        self._run("pg_ctl", "-D", str(self.data), "-m", mode, "-w", "stop", check=False)

    def running(self) -> bool:
        return self._run("pg_ctl", "-D", str(self.data), "status", check=False).returncode == 0

    def create_database(self, name: str) -> str:
        self._run("createdb", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", name)
        return self.url(name)

    def destroy(self) -> None:
        if self.data.exists():
            self.stop("immediate")
        shutil.rmtree(self.root, ignore_errors=True)


def manage(env: dict[str, str], *args: str, timeout: float = 300) -> str:
    """Run ``manage.py`` in its own process with ``env``; return what it printed."""
    done = subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    if done.returncode != 0:
        raise AssertionError(f"manage.py {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
    return done.stdout


class Portal:
    """The portal under gunicorn on a free loopback port, as production runs it (DEBUG off)."""

    def __init__(
        self,
        env: dict[str, str],
        *,
        workers: int = 2,
        threads: int = 4,
        log_path: Path | None = None,
    ) -> None:
        self.port = free_port()
        self.env = {
            **env,
            "DEBUG": "false",
            "ENLACE_HTTPS": "false",
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
        }
        self.workers = workers
        self.threads = threads
        self.log_path = log_path or Path(tempfile.gettempdir()) / f"enlace-portal-{self.port}.log"
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 90) -> Portal:
        log = self.log_path.open("ab")
        self.process = subprocess.Popen(
            [
                str(Path(sys.executable).parent / "gunicorn"),
                "portal.wsgi:application",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                str(self.workers),
                "--threads",
                str(self.threads),
                "--timeout",
                "60",
                "--graceful-timeout",
                "5",
                "--access-logfile",
                "-",
            ],
            cwd=ROOT,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(f"gunicorn exited:\n{self.log()[-4000:]}")
            try:
                requests.get(f"{self.url}/healthz", timeout=10)
                return self
            except requests.RequestException:
                time.sleep(0.3)
        raise AssertionError(f"gunicorn did not answer within {timeout}s:\n{self.log()[-4000:]}")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""


def api(token: str) -> requests.Session:
    """An HTTP session that authenticates every call with ``Authorization: Token …``."""
    session = requests.Session()
    session.headers["Authorization"] = f"Token {token}"
    session.headers["Accept"] = "application/json"
    return session


def traces_in(text: str) -> list[str]:
    """Signs of a leaked stack trace or driver error in a response body."""
    signs = ("Traceback", 'File "/', "psycopg", "OperationalError", "django.db", "redis.exc")
    return [sign for sign in signs if sign in text]


def body_of(response: Any) -> str:
    try:
        return str(response.text)
    except Exception:  # pragma: no cover - a body that does not decode
        return repr(response.content[:500])
