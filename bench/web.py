"""The API end to end: gunicorn started by the bench, a real HTTP client, wrk for throughput."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


def free_port(low: int = 8150, high: int = 8199) -> int:
    for port in range(low, high + 1):
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError(f"no free port in {low}-{high}")


@dataclass
class Reply:
    status: int
    body: Any
    ms: float


class Web:
    """gunicorn serving the portal on 127.0.0.1 against the bench database."""

    def __init__(self, workers: int, log_path: Path) -> None:
        self.workers = workers
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log_path = log_path
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> Web:
        env = {
            **os.environ,
            "DEBUG": "false",
            "ENLACE_HTTPS": "false",
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            # Throttling stays on (its Redis round trip is part of a request's cost) but high
            # enough that the load test measures the portal, not the rate limit.
            "API_THROTTLE_USER": "1000000/min",
            "LOG_LEVEL": "WARNING",
        }
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        log = self.log_path.open("ab")
        gunicorn = Path(sys.executable).parent / "gunicorn"
        self.process = subprocess.Popen(
            [
                str(gunicorn),
                "portal.wsgi:application",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                str(self.workers),
                "--preload",  # as in production: the app is loaded once, before the fork
                "--access-logfile",
                "/dev/null",
                "--log-level",
                "warning",
            ],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited; see {self.log_path}")
            try:
                urllib.request.urlopen(f"{self.base}/healthz", timeout=2)  # noqa: S310
                break
            except urllib.error.HTTPError:
                break  # it answers (503 without a Celery worker is fine here)
            except OSError:
                time.sleep(0.2)
        else:
            raise RuntimeError("gunicorn did not answer within 60 s")
        return self

    def get(self, path: str, token: str) -> Reply:
        request = urllib.request.Request(  # noqa: S310
            f"{self.base}{path}", headers={"Authorization": f"Token {token}"}
        )
        started = time.perf_counter()
        try:
            with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310
                raw = response.read()
                status = response.status
        except urllib.error.HTTPError as error:
            raw = error.read()
            status = error.code
        ms = (time.perf_counter() - started) * 1000
        try:
            body = json.loads(raw)
        except ValueError:
            body = raw[:200].decode(errors="replace")
        return Reply(status, body, ms)

    def warm(self, path: str, token: str, rounds: int = 4) -> None:
        """Requests from ``2 x workers`` clients at once, ``rounds`` times: every worker is then
        busy at some point and serves some (one after another, the same idle worker tends to
        accept them all, and a worker's first request — its database connection, its
        backend's catalogue caches — would land in the measurement)."""
        clients = 2 * self.workers
        with ThreadPoolExecutor(max_workers=clients) as pool:
            for _ in range(rounds):
                list(pool.map(lambda _n: self.get(path, token), range(clients)))

    def worker_pids(self) -> list[int]:
        assert self.process is not None
        master = self.process.pid
        found = []
        for status in Path("/proc").glob("[0-9]*/status"):
            try:
                text = status.read_text()
            except OSError:
                continue
            match = re.search(r"^PPid:\s+(\d+)", text, re.M)
            if match and int(match.group(1)) == master:
                found.append(int(status.parent.name))
        return found

    def peak_rss_mb(self) -> dict[int, float]:
        """Peak resident memory (VmHWM) of each web worker since it started, in MiB."""
        peaks = {}
        for pid in self.worker_pids():
            try:
                text = Path(f"/proc/{pid}/status").read_text()
            except OSError:
                continue
            match = re.search(r"^VmHWM:\s+(\d+) kB", text, re.M)
            if match:
                peaks[pid] = int(match.group(1)) / 1024
        return peaks

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)


@dataclass
class Load:
    tool: str
    requests_per_s: float
    p50_ms: float
    p99_ms: float
    errors: int
    seconds: int


WRK_SCRIPT = """
tokens = {%s}
i = 0
request = function()
  i = i %% #tokens + 1
  return wrk.format("GET", "%s", {["Authorization"] = "Token " .. tokens[i]})
end
"""


def _wrk_ms(text: str, label: str) -> float:
    match = re.search(rf"^\s*{label}\s+([\d.]+)(us|ms|s)\b", text, re.M)
    if not match:
        return float("nan")
    value, unit = float(match.group(1)), match.group(2)
    return value / 1000 if unit == "us" else (value * 1000 if unit == "s" else value)


def load_test(
    web: Web, path: str, tokens: list[str], clients: int, seconds: int, script_dir: Path
) -> Load:
    """``clients`` concurrent connections for ``seconds``, cycling through the users' tokens."""
    wrk = shutil.which("wrk")
    if wrk is None:
        raise RuntimeError("wrk is not installed (apt-get install wrk)")
    script = script_dir / "bench-wrk.lua"
    script.parent.mkdir(parents=True, exist_ok=True)
    script.write_text(WRK_SCRIPT % (", ".join(f'"{t}"' for t in tokens), path))
    result = subprocess.run(
        [
            wrk,
            "-t",
            "2",
            "-c",
            str(clients),
            "-d",
            f"{seconds}s",
            "--timeout",
            "30s",
            "--latency",
            "-s",
            str(script),
            web.base,
        ],
        capture_output=True,
        text=True,
        timeout=seconds + 120,
        check=True,
    )
    out = result.stdout
    rps = re.search(r"Requests/sec:\s+([\d.]+)", out)
    non_2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    socket_errors = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out
    )
    errors = int(non_2xx.group(1)) if non_2xx else 0
    if socket_errors:
        errors += sum(int(g) for g in socket_errors.groups())
    return Load(
        tool=f"wrk, {clients} connections, 2 threads",
        requests_per_s=float(rps.group(1)) if rps else 0.0,
        p50_ms=_wrk_ms(out, "50%"),
        p99_ms=_wrk_ms(out, "99%"),
        errors=errors,
        seconds=seconds,
    )
