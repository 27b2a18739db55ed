"""The load test's region and its people, and the run itself.

``prepare()`` (inside Django, against the database it is given) loads the demo region
(``manage.py load_demo``), scales it up with more seizure reports made by the demo's own record
maker (``portal.demo.records``, another seed), and adds the people who will use it: analysts
spread over the demo agencies, two liaison officers per agency (one offers, the other approves:
four-eyes), each with an API token and a verified browser session.

``run_locust()`` drives ``tests/reliability/locustfile.py`` headless against a portal and
returns locust's figures per endpoint. ``python -m tests.reliability.load prepare OUT.json``
runs ``prepare`` in a process of its own (the test's database in ``DATABASE_URL``).
"""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
LOCUSTFILE = Path(__file__).with_name("locustfile.py")
SCALE_SEED = 20260412
# Demo agencies whose people record and read (the operator and the regional body only watch).
WORKING = ["JCA", "JCF-NIB", "DIRAN", "DIAN-POLFA", "ARC-GC", "SENAN", "DNCD", "CUS-EC"]


def _person(agency: Any, role: str, username: str) -> dict[str, Any]:
    from django.conf import settings
    from django.contrib.auth.models import User
    from django.test import Client
    from rest_framework.authtoken.models import Token

    from agencies.models import Membership
    from tests.conftest import verify

    user = User.objects.create(username=username, email=f"{username}@example.org")
    user.set_unusable_password()  # tokens and a prepared session: no password hashing
    user.save()
    Membership.objects.create(user=user, agency=agency, role=role)
    user.groups.add(agency.group)
    client = verify(Client(), user)
    cookie = settings.SESSION_COOKIE_NAME
    return {
        "username": username,
        "agency": agency.pk,
        "token": Token.objects.create(user=user).key,
        "cookie": [cookie, client.cookies[cookie].value],
    }


def prepare(analysts: int, extra_seizures: int, log: Any = print) -> dict[str, Any]:
    import random

    from django.contrib.auth.models import User
    from django.core.management import call_command
    from django.utils import timezone

    from agencies.models import Agency, TrustLevel
    from cases.models import Case, SeizureReport
    from portal.demo import records

    started = time.monotonic()
    call_command("load_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    log(f"demo region loaded in {time.monotonic() - started:.0f}s")

    started = time.monotonic()
    rng = random.Random(SCALE_SEED)
    maker = records.Maker(rng)
    recorders = {acr: User.objects.get(username=name) for acr, name in records.RECORDERS.items()}
    scenarios = [name for name, weight in records.SCENARIO_WEIGHTS for _ in range(weight)]
    today = timezone.localdate()
    for _ in range(extra_seizures):
        scenario = rng.choice(scenarios)
        acronym = rng.choice(records.AGENCIES_FOR[scenario])
        records._seizure(rng, maker, recorders[acronym], scenario, acronym, today, None)
    log(f"{extra_seizures} more seizure reports in {time.monotonic() - started:.0f}s")

    agencies = list(Agency.objects.filter(acronym__in=WORKING).order_by("acronym"))
    people = [
        _person(agencies[i % len(agencies)], "analyst", f"load-analyst-{i:03d}")
        for i in range(analysts)
    ]
    liaisons: dict[str, list[dict[str, Any]]] = {}
    partners: dict[str, list[int]] = {}
    for agency in agencies:
        liaisons[str(agency.pk)] = [
            _person(agency, "liaison", f"load-liaison-{agency.acronym.lower()}-{n}") for n in (1, 2)
        ]
        partners[str(agency.pk)] = list(
            TrustLevel.objects.filter(from_agency=agency, level__gte=1)
            .exclude(to_agency__acronym__in=["ENLACE"])
            .values_list("to_agency_id", flat=True)
        )
    from django.core.serializers.json import DjangoJSONEncoder

    from tests.cases.builders import seizure_payload

    return {
        "seizure_payload": json.loads(json.dumps(seizure_payload(), cls=DjangoJSONEncoder)),
        "analysts": people,
        "liaisons": liaisons,
        "partners": partners,
        "cases": Case.objects.count(),
        "seizures": SeizureReport.objects.count(),
    }


@dataclass
class Row:
    name: str
    requests: int
    failures: int
    median_ms: float
    p95_ms: float
    p99_ms: float
    max_ms: float
    rps: float


def run_locust(
    url: str, people_file: Path, users: int, seconds: int, out: Path, spawn_rate: float = 10
) -> tuple[int, list[Row], str]:
    """Run the locustfile headless; return (exit code, rows per endpoint + "Aggregated", log)."""
    out.mkdir(parents=True, exist_ok=True)
    prefix = out / f"load-{users}u-{seconds}s"
    done = subprocess.run(
        [
            str(Path(sys.executable).parent / "locust"),
            "-f",
            str(LOCUSTFILE),
            "--headless",
            "--host",
            url,
            "--users",
            str(users),
            "--spawn-rate",
            str(spawn_rate),
            "--run-time",
            f"{seconds}s",
            "--stop-timeout",
            "30",
            "--csv",
            str(prefix),
            "--only-summary",
            "--loglevel",
            "WARNING",
        ],
        cwd=ROOT,
        env={**os.environ, "ENLACE_LOAD_PEOPLE": str(people_file)},
        capture_output=True,
        text=True,
        timeout=seconds + 300,
    )
    rows: list[Row] = []
    stats = Path(f"{prefix}_stats.csv")
    if stats.exists():
        with stats.open() as handle:
            for line in csv.DictReader(handle):
                rows.append(
                    Row(
                        name=line["Name"] if line["Type"] else "Aggregated",
                        requests=int(line["Request Count"]),
                        failures=int(line["Failure Count"]),
                        median_ms=float(line["50%"] or 0),
                        p95_ms=float(line["95%"] or 0),
                        p99_ms=float(line["99%"] or 0),
                        max_ms=float(line["Max Response Time"] or 0),
                        rps=float(line["Requests/s"] or 0),
                    )
                )
    return done.returncode, rows, done.stdout + done.stderr


def table(rows: list[Row]) -> str:
    """The figures as a Markdown table (for docs and test output)."""
    lines = [
        "| endpoint | requests | failures | median ms | p95 ms | p99 ms | max ms | req/s |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for row in rows:
        lines.append(
            f"| {row.name} | {row.requests} | {row.failures} | {row.median_ms:.0f} | "
            f"{row.p95_ms:.0f} | {row.p99_ms:.0f} | {row.max_ms:.0f} | {row.rps:.1f} |"
        )
    return "\n".join(lines)


def cpu_seconds(root_pid: int) -> float:
    """User + system CPU seconds of a process and its children (gunicorn's workers)."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        pid, ppid = int(entry.name), int(fields[1])
        if root_pid in (pid, ppid):
            total += (int(fields[11]) + int(fields[12])) / ticks
    return total


def main() -> None:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    django.setup()
    _, command, out, analysts, extra = sys.argv
    assert command == "prepare"
    data = prepare(int(analysts), int(extra), log=lambda line: print(line, flush=True))
    Path(out).write_text(json.dumps(data))


if __name__ == "__main__":
    main()
