"""Load through gunicorn on loopback: simulated people (tests/reliability/locustfile.py) read
lists and records (70 %), search (20 %) and write and share (10 %) on the demo region, and
not one answer is an error. The p95 of every endpoint is printed and written to
``test-artifacts/``.

- ``make test`` (CI): 20 people for 30 s on the demo region as ``load_demo`` makes it.
- ``make soak``: 200 people for 5 minutes on the demo region scaled up five times (1,200 more
  seizure reports by the demo's own record maker: 1,500 in all). ``ENLACE_LOAD_USERS``,
  ``ENLACE_LOAD_SECONDS``, ``ENLACE_LOAD_EXTRA_SEIZURES`` and ``ENLACE_LOAD_WORKERS`` change
  the shape.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import worker_env
from tests.reliability.conftest import Started
from tests.reliability.load import ROOT, cpu_seconds, run_locust, table
from tests.reliability.servers import Portal

ARTIFACTS = ROOT / "test-artifacts"


def _load(
    started: Started,
    queue: str,
    tmp_path: Path,
    *,
    users: int,
    seconds: int,
    extra_seizures: int,
    workers: int,
) -> tuple[list[Any], str]:
    env = worker_env(queue)
    people_file = tmp_path / "people.json"
    prepared = time.monotonic()
    done = _prepare(env, people_file, users, extra_seizures)
    people = json.loads(people_file.read_text())
    setup = time.monotonic() - prepared

    portal = Portal(
        {**env, "LOG_LEVEL": "WARNING", "API_THROTTLE_USER": "1200/min"},
        workers=workers,
        threads=4,
    )
    started.append(portal.start())
    assert portal.process is not None
    cpu_before, wall_before = cpu_seconds(portal.process.pid), time.monotonic()
    code, rows, log = run_locust(
        portal.url, people_file, users, seconds, ARTIFACTS, spawn_rate=max(2, users / 10)
    )
    cores = (cpu_seconds(portal.process.pid) - cpu_before) / (time.monotonic() - wall_before)

    summary = (
        f"{users} people, {seconds} s, gunicorn {workers} workers x 4 threads, "
        f"{people['cases']} cases / {people['seizures']} seizure reports "
        f"(setup {setup:.0f} s: {done.strip()}); gunicorn used {cores:.2f} CPU cores on "
        f"average, load average {os.getloadavg()[0]:.1f}\n\n{table(rows)}\n"
    )
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / f"load-{users}u-{seconds}s.md").write_text(summary)
    print(summary)
    errors = [row for row in rows if row.failures]
    assert rows, log[-4000:]
    assert not errors, f"{summary}\n{log[-6000:]}\n{portal.log()[-6000:]}"
    assert code == 0, log[-4000:]
    return rows, summary


def _prepare(env: dict[str, str], out: Path, analysts: int, extra: int) -> str:
    import subprocess
    import sys

    done = subprocess.run(
        [sys.executable, "-m", "tests.reliability.load", "prepare", str(out), str(analysts),
         str(extra)],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=3600,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    return "; ".join(done.stdout.strip().splitlines())


@pytest.mark.slow
def test_twenty_people_for_thirty_seconds_get_no_error(
    started: Started, _isolated_queue: str, tmp_path: Path
) -> None:
    rows, _ = _load(
        started, _isolated_queue, tmp_path, users=20, seconds=30, extra_seizures=0, workers=2
    )
    total = next(row for row in rows if row.name == "Aggregated")
    # About 100 on a quiet machine (20 people, a pause of 5 s on average, 10 s to spawn them);
    # each person acting at least once proves the run, whatever else shares the cores.
    assert total.requests >= 20


@pytest.mark.soak
def test_two_hundred_people_for_five_minutes_get_no_error(
    started: Started, _isolated_queue: str, tmp_path: Path
) -> None:
    _load(
        started,
        _isolated_queue,
        tmp_path,
        users=int(os.environ.get("ENLACE_LOAD_USERS", "200")),
        seconds=int(os.environ.get("ENLACE_LOAD_SECONDS", "300")),
        extra_seizures=int(os.environ.get("ENLACE_LOAD_EXTRA_SEIZURES", "1200")),
        workers=int(os.environ.get("ENLACE_LOAD_WORKERS", "4")),
    )
