"""The measurements of ``make bench`` (run by ``scripts/bench.py`` once the region is seeded).

``python -m bench.run [--smoke] [--reps N] [--no-web] [--output FILE]`` with
``DJANGO_SETTINGS_MODULE=portal.settings`` and ``DATABASE_URL`` pointing at a seeded database.
Exits 1 when the strategies do not give identical answers.
"""

from __future__ import annotations

import argparse
import os
import platform
import subprocess
import sys
import time
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

import django

ROOT = Path(__file__).resolve().parent.parent
USER_KINDS = ("light", "median", "heavy")


@dataclass
class Row:
    """One line of the main table: a Sample (or text) per user kind."""

    label: str
    cells: dict[str, Any] = field(default_factory=dict)
    note: str = ""


@dataclass
class Report:
    machine: list[str] = field(default_factory=list)
    region: str = ""
    users: dict[str, str] = field(default_factory=dict)
    rows: list[Row] = field(default_factory=list)
    others: list[Any] = field(default_factory=list)
    load: Any = None
    memory: dict[int, float] = field(default_factory=dict)
    web_pending: str = ""
    targets: list[tuple[str, str, bool]] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    plans: dict[str, str] = field(default_factory=dict)
    load_before: str = ""
    load_after: str = ""
    seconds: float = 0.0


def _loadavg() -> str:
    try:
        return Path("/proc/loadavg").read_text().split(" ", 3)[:3].__str__()
    except OSError:
        return "?"


def _machine() -> list[str]:
    from django.db import connection

    cpu = "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = "?"
    try:
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        memory = f"{kb / 1024 / 1024:.0f} GiB"
    except (OSError, ValueError, IndexError):
        pass
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        pg = cursor.fetchone()[0]
        settings = []
        for name in ("shared_buffers", "work_mem", "effective_cache_size", "jit"):
            cursor.execute(f"SHOW {name}")
            settings.append(f"{name}={cursor.fetchone()[0]}")
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=False,
        ).stdout.strip()
    except OSError:
        commit = "?"
    return [
        f"CPU: {cpu}, {os.cpu_count()} cores; RAM {memory}; {platform.system()} "
        f"{platform.release()}",
        f"PostgreSQL {pg} ({', '.join(settings)}), on the same machine",
        f"Python {platform.python_version()}, Django {django.get_version()}; commit {commit}",
    ]


def _ratio(a: float, b: float) -> str:
    return f"{a / b:.1f}×" if b > 0 else "—"


def measure(args: argparse.Namespace) -> Report:
    from django.contrib.auth.models import User
    from rest_framework.authtoken.models import Token

    from bench import plugs
    from bench import seed as seeding
    from bench.strategies import Door, Floor, Guardian, same
    from bench.timing import (
        Sample,
        emitted_sql,
        explain,
        repeat,
        statements_split,
        steady,
        wall_ms,
    )
    from sharing import access

    report = Report(load_before=_loadavg())
    started = time.monotonic()
    found = seeding.seeded()
    if found is None:
        raise SystemExit("this database is not seeded: run manage.py seed_scale first")
    plan = seeding.Plan(**found.plan)
    report.machine = _machine()
    report.region = (
        f"{plan.describe()}; seeded in {found.seconds / 60:.1f} min on {found.seeded_at}"
    )
    users = {kind: User.objects.get(pk=found.users[kind]) for kind in USER_KINDS}
    agency_of = {k: int(access.principals_of(u).agency_id or 0) for k, u in users.items()}
    for kind, user in users.items():
        p = access.principals_of(user)
        report.users[kind] = f"{user.username} ({len(p.group_ids)} groups)"

    door, floor, guardian = Door(), Floor(), Guardian()
    print("[bench] materialising the floor table …", flush=True)
    floor.build(list(users.values()))

    # --- identical answers -------------------------------------------------------------------
    answers = {}
    for kind, user in users.items():
        ours = door.answer(user)
        for other in (floor, guardian):
            for problem in same(ours, other.answer(user)):
                report.problems.append(f"{kind}: door vs {other.name}: {problem}")
        answers[kind] = ours
    report.rows.append(
        Row(
            "visible cases (shown count; exact below 10,000)",
            {k: a.shown() for k, a in answers.items()},
        )
    )
    report.rows.append(
        Row(
            "visible cases, exact (floor table)",
            {k: f"{floor.exact(u):,}" for k, u in users.items()},
        )
    )

    # --- SQL timed in PostgreSQL -------------------------------------------------------------
    print("[bench] timing SQL in PostgreSQL …", flush=True)
    reps, slow_reps = args.reps, args.guardian_reps
    timed: dict[str, dict[str, Sample]] = {}

    planning: dict[str, dict[str, Sample]] = {}
    # (label, user kind, statements, slow?) — measured round-robin, so that the other
    # engineers' load on the shared machine falls on every strategy alike.
    jobs: list[tuple[str, str, list[str], bool]] = []
    for kind, user in users.items():
        access.principals_of(user)
        jobs += [
            ("door page 1", kind, door.page_sql(user), False),
            ("floor page 1", kind, floor.page_sql(user), False),
            ("guardian page 1", kind, guardian.page_sql(user), True),
            ("door count", kind, door.count_sql(user), False),
            ("floor count (capped)", kind, floor.count_sql(user), False),
            ("floor count (exact)", kind, floor.exact_sql(user), False),
            ("guardian count (exact)", kind, guardian.count_sql(user), True),
        ]
        access.forget_principals(user)
        jobs.append(
            (
                "door: reader's principals (once per request)",
                kind,
                emitted_sql(partial(access.principals_of, user)),
                False,
            )
        )
    for slow, n in ((False, reps), (True, slow_reps)):
        chosen = [job for job in jobs if job[3] is slow]
        totals: dict[tuple[str, str], list[float]] = {(j[0], j[1]): [] for j in chosen}
        plans: dict[tuple[str, str], list[float]] = {(j[0], j[1]): [] for j in chosen}
        for rep in range(n + 2):
            for label, kind, statements, _ in chosen:
                total, planned = statements_split(statements)
                if rep >= 2:  # the first two rounds warm the caches
                    totals[(label, kind)].append(total)
                    plans[(label, kind)].append(planned)
        for (label, kind), values in totals.items():
            timed.setdefault(label, {})[kind] = Sample(tuple(values))
            planning.setdefault(f"{label}: of which planning", {})[kind] = Sample(
                tuple(plans[(label, kind)])
            )
    for kind, user in users.items():
        fresh = User.objects.get(pk=user.pk)
        timed.setdefault("door page 1 + count in Django (wall, incl. principals)", {})[kind] = (
            repeat(partial(wall_ms, partial(_door_in_django, fresh)), reps)
        )
    heavy = users["heavy"]
    for label, statements in (
        ("door page 1, heavy receiver", door.page_sql(heavy)),
        ("door count, heavy receiver", door.count_sql(heavy)),
        ("door page 1, light user", door.page_sql(users["light"])),
        ("door count, light user", door.count_sql(users["light"])),
        ("floor page 1, heavy receiver", floor.page_sql(heavy)),
    ):
        report.plans[label] = "\n\n".join(
            explain(steady(sql).replace("%", "%%")) for sql in statements
        )

    for label, per_kind in timed.items():
        report.rows.append(Row(label, dict(per_kind)))
        if label in ("door page 1", "floor page 1", "door count", "floor count (capped)"):
            report.rows.append(
                Row(f"{label}: of which planning", planning[f"{label}: of which planning"])
            )
    report.rows.append(
        Row(
            "door ÷ floor, page 1 (medians)",
            {
                k: _ratio(timed["door page 1"][k].median, timed["floor page 1"][k].median)
                for k in USER_KINDS
            },
        )
    )
    report.rows.append(
        Row(
            "guardian ÷ door, page 1 (medians)",
            {
                k: _ratio(timed["guardian page 1"][k].median, timed["door page 1"][k].median)
                for k in USER_KINDS
            },
        )
    )
    report.rows.append(
        Row(
            "door ÷ floor, count (medians; floor capped)",
            {
                k: _ratio(timed["door count"][k].median, timed["floor count (capped)"][k].median)
                for k in USER_KINDS
            },
        )
    )
    report.rows.append(
        Row(
            "guardian ÷ door, count (medians)",
            {
                k: _ratio(timed["guardian count (exact)"][k].median, timed["door count"][k].median)
                for k in USER_KINDS
            },
        )
    )

    # --- pluggable measurements --------------------------------------------------------------
    print("[bench] other measurements …", flush=True)
    ctx = plugs.Context(
        users=users,
        reps=reps,
        plan=plan,
        agency_of=agency_of,
        shares=args.shares,
        import_rows=args.import_rows,
        import_reps=args.import_reps,
    )
    report.others = plugs.run_all(ctx, tuple(args.skip))
    report.problems.extend(ctx.problems)

    # --- the API end to end ------------------------------------------------------------------
    api: dict[str, Sample] = {}
    if args.no_web:
        report.web_pending = "skipped (--no-web)"
    else:
        from django.urls import Resolver404, resolve

        try:
            resolve("/api/v1/cases/")
        except Resolver404:
            report.web_pending = (
                "pending: the cases API (/api/v1/cases/, engineer B) is not on main yet"
            )
        else:
            api = _measure_web(args, users, answers, report, Token)
            for label, per_kind in _api_in_process(args, users, Token).items():
                report.rows.append(Row(label, per_kind))
    if api:
        report.rows.append(Row("API page 1 end to end (HTTP, wall)", api))

    _targets(report, timed, api, answers)
    report.load_after = _loadavg()
    report.seconds = time.monotonic() - started
    return report


def _api_in_process(
    args: argparse.Namespace, users: dict[str, Any], token_model: Any
) -> dict[str, Any]:
    """Where an API request's time goes, in this process (no HTTP, no gunicorn): the whole
    request through Django's test client, the door's share, and the serializer's share."""
    from django.test import Client
    from rest_framework.request import Request
    from rest_framework.test import APIRequestFactory

    from bench.timing import Sample, repeat, wall_ms
    from cases.api.serializers import CaseSerializer
    from cases.models import Case
    from sharing import access

    rows: dict[str, dict[str, Sample]] = {}
    for kind, user in users.items():
        token = token_model.objects.get(user=user).key
        client = Client(HTTP_HOST="127.0.0.1", HTTP_AUTHORIZATION=f"Token {token}")
        answered = client.get("/api/v1/cases/").status_code
        if answered != 200:
            raise RuntimeError(f"the API answered {answered} in process")
        whole = repeat(partial(wall_ms, partial(client.get, "/api/v1/cases/")), args.reps)
        page = list(access.newest_visible(Case, user).select_related("owner_agency", "created_by"))
        request = Request(APIRequestFactory().get("/api/v1/cases/"))
        request.user = user

        def serialize(page: list[Any] = page, request: Request = request) -> None:
            CaseSerializer(page, many=True, context={"request": request}).data  # noqa: B018

        rows.setdefault("API page 1 in Django, no HTTP (wall)", {})[kind] = whole
        rows.setdefault("… of which serialising the 50 rows (wall)", {})[kind] = repeat(
            partial(wall_ms, serialize), args.reps
        )
    return rows


def _measure_web(
    args: argparse.Namespace,
    users: dict[str, Any],
    answers: dict[str, Any],
    report: Report,
    token_model: Any,
) -> dict[str, Any]:
    from bench.timing import Sample
    from bench.web import Web, load_test

    tokens = {k: token_model.objects.get(user=u).key for k, u in users.items()}
    web = Web(args.web_workers, ROOT / "var" / "bench" / "gunicorn.log").start()
    samples: dict[str, Sample] = {}
    try:
        print(f"[bench] API through gunicorn on {web.base} …", flush=True)
        answering: list[str] = []
        for kind in USER_KINDS:
            reply = web.get("/api/v1/cases/", tokens[kind])
            if reply.status != 200:
                report.problems.append(f"{kind}: API page 1 answered {reply.status}: {reply.body}")
                continue
            ids = tuple(r["id"] for r in reply.body.get("results", []))
            if ids != answers[kind].ids:
                report.problems.append(f"{kind}: API page 1 ids differ from the door's")
            count = (reply.body.get("count"), bool(reply.body.get("count_capped", False)))
            if count != (answers[kind].count, answers[kind].capped):
                report.problems.append(f"{kind}: API count {count} differs from the door's")
            # warm every worker: a worker's first request opens its database connection and
            # fills its backend's caches (~0.1 s; portal/startup.py loads the rest before the
            # worker serves), which is start-up, not the API
            web.warm("/api/v1/cases/", tokens[kind])
            answering.append(kind)
        # the users in turn, like the SQL timings: a slower moment of this shared machine
        # falls on all three alike instead of on whoever was measured then
        timed: dict[str, list[float]] = {kind: [] for kind in answering}
        for _ in range(max(args.reps, 60)):  # at least 60 a user: a p95 of 30 is one request
            for kind in timed:
                timed[kind].append(web.get("/api/v1/cases/", tokens[kind]).ms)
        samples.update({kind: Sample(tuple(values)) for kind, values in timed.items()})
        print("[bench] throughput …", flush=True)
        try:
            report.load = load_test(
                web,
                "/api/v1/cases/",
                list(tokens.values()),
                clients=16,
                seconds=args.load_seconds,
                script_dir=ROOT / "var" / "bench",
            )
        except (RuntimeError, subprocess.SubprocessError) as error:
            report.web_pending = f"throughput not measured: {error}"
        report.memory = web.peak_rss_mb()
    finally:
        web.stop()
    return samples


def _targets(
    report: Report, timed: dict[str, Any], api: dict[str, Any], answers: dict[str, Any]
) -> None:
    door, floor = timed["door page 1"], timed["floor page 1"]
    guardian = timed["guardian page 1"]
    for k in USER_KINDS:
        ratio = door[k].median / floor[k].median
        report.targets.append(
            (f"door page 1 within 2× the floor ({k})", f"{ratio:.1f}×", ratio <= 2.0)
        )
        report.targets.append(
            (f"door page 1 under 5 ms median ({k})", f"{door[k].median:.2f} ms", door[k].median < 5)
        )
        count, floor_count = timed["door count"][k], timed["floor count (capped)"][k]
        ratio = count.median / floor_count.median
        if answers[k].capped:
            # The target reads "within 1.5x the floor, or capped and shown as 10,000+".
            report.targets.append(
                (
                    f"count over 10,000: capped and shown as 10,000+ ({k})",
                    f"{answers[k].shown()}, {ratio:.1f}× the floor's capped count",
                    True,
                )
            )
        else:
            report.targets.append(
                (f"exact count within 1.5× the floor ({k})", f"{ratio:.1f}×", ratio <= 1.5)
            )
        if api:
            report.targets.append(
                (f"API page 1 under 25 ms p95 ({k})", f"{api[k].p95:.1f} ms", api[k].p95 < 25)
            )
    speedup = guardian["heavy"].median / door["heavy"].median
    report.targets.append(
        (
            "≥ 50× faster than get_objects_for_user (heavy receiver)",
            f"{speedup:.0f}×",
            speedup >= 50,
        )
    )
    report.targets.append(
        (
            "answers of every strategy identical",
            "yes" if not report.problems else "NO",
            not report.problems,
        )
    )


def _door_in_django(user: Any) -> None:
    """What a request does: principals (fresh each request), page 1, count."""
    from cases.models import Case
    from sharing import access

    access.forget_principals(user)
    list(access.newest_visible(Case, user, limit=50))
    access.count_visible(Case, user)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--smoke", action="store_true")
    parser.add_argument("--reps", type=int, default=30)
    parser.add_argument("--guardian-reps", type=int, default=7)
    parser.add_argument("--no-web", action="store_true")
    parser.add_argument("--web-workers", type=int, default=4)
    parser.add_argument("--load-seconds", type=int, default=20)
    parser.add_argument("--shares", type=int, default=50, help="approvals timed end to end")
    parser.add_argument("--import-rows", type=int, default=10_000, help="rows of the import")
    parser.add_argument("--import-reps", type=int, default=3, help="imports timed")
    parser.add_argument(
        "--skip", action="append", default=[], help="skip the measurements whose name has this"
    )
    parser.add_argument("--output", type=Path)
    args = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    django.setup()
    from bench.report import render

    report = measure(args)
    text = render(report, smoke=args.smoke)
    print(text)
    if args.output:
        from bench.report import write

        write(args.output, text)
        print(f"[bench] written to {args.output}")
    if report.problems:
        print("[bench] FAILED: the strategies do not give identical answers", file=sys.stderr)
        for problem in report.problems:
            print(f"  - {problem}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
