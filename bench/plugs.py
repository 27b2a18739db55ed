"""Measurements that depend on other parts of the portal, each pluggable.

A ``Plug`` says whether what it measures exists yet (``ready``) and, if so, measures it. When
the part is not on main, the bench reports the plug as pending with the reason, instead of
failing or silently skipping it. Adding a measurement is adding a ``Plug`` to ``PLUGS``.
"""

from __future__ import annotations

import contextlib
import importlib.util
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import User
from django.db import connection
from django.http import Http404

from bench import seed as seeding
from bench.timing import Sample, emitted_sql, repeat, statements_ms, wall_ms
from cases.models import Case
from sharing import access


@dataclass
class Result:
    name: str
    sample: Sample | None = None
    note: str = ""
    pending: str = ""  # why it is not measured yet
    shown: str = ""  # the "median / p95" text when only the aggregates are known
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass
class Context:
    users: dict[str, User]
    reps: int
    plan: seeding.Plan
    agency_of: dict[str, int]
    shares: int = 50  # approvals timed for the notification latency
    import_rows: int = 10_000
    import_reps: int = 3
    problems: list[str] = field(default_factory=list)  # answers that differ: the bench fails


class Plug:
    name = ""

    def ready(self) -> str:
        """Empty when measurable; else why not (which issue or engineer it waits for)."""
        return ""

    def run(self, ctx: Context) -> list[Result]:
        raise NotImplementedError


def _has(module: str) -> bool:
    try:
        return importlib.util.find_spec(module) is not None
    except ModuleNotFoundError:
        return False


class SingleRecordCheck(Plug):
    """``get_visible_or_404`` on a granted record and on one the reader may not see (404)."""

    name = "single-record access check"

    def run(self, ctx: Context) -> list[Result]:
        user = ctx.users["heavy"]
        p = access.principals_of(user)
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT content_object_id FROM sharing_casegroupaccess WHERE group_id = %s "
                "ORDER BY created DESC LIMIT 1 OFFSET 1000",
                [p.group_ids[0]],
            )
            row = cursor.fetchone() or (0,)
            granted = int(row[0])
            cursor.execute(
                "SELECT c.id FROM cases_case c WHERE c.owner_agency_id <> %s AND c.tlp <> 'CLEAR' "
                "AND NOT EXISTS (SELECT 1 FROM sharing_casegroupaccess g "
                "WHERE g.content_object_id = c.id AND g.group_id = ANY(%s)) "
                "AND NOT EXISTS (SELECT 1 FROM sharing_caseuseraccess u "
                "WHERE u.content_object_id = c.id AND u.user_id = %s) LIMIT 1",
                [p.agency_id, list(p.group_ids), user.pk],
            )
            hidden = int(cursor.fetchone()[0])

        def check(pk: int) -> None:
            with contextlib.suppress(Http404):
                access.get_visible_or_404(user, Case, pk=pk)

        results = []
        for label, pk in (("visible (granted)", granted), ("not visible (404)", hidden)):
            sql = emitted_sql(lambda pk=pk: check(pk))  # type: ignore[misc]
            server = repeat(lambda sql=sql: statements_ms(sql), ctx.reps)  # type: ignore[misc]
            wall = repeat(lambda pk=pk: wall_ms(lambda: check(pk)), ctx.reps)  # type: ignore[misc]
            results.append(
                Result(
                    f"single-record check, heavy receiver, {label}: SQL",
                    server,
                    "get_visible_or_404, PostgreSQL time",
                )
            )
            results.append(
                Result(
                    f"single-record check, heavy receiver, {label}: in Django",
                    wall,
                    "the call, wall clock",
                )
            )
        return results


class MatchingFloor(Plug):
    """The index lookup any deconfliction matcher needs: 20 blind-index digests against all."""

    name = "deconfliction lookup (index floor)"

    def run(self, ctx: Context) -> list[Result]:
        rng = random.Random(7)
        pools = seeding.identifier_pools(ctx.plan)
        kinds = [k for k, _ in seeding.IDENTIFIER_KINDS]
        pairs = []
        for i in range(20):
            kind = kinds[i % len(kinds)]
            # half drawn from the region's values (likely matches), half new
            k = rng.randrange(pools[kind]) if i % 2 == 0 else pools[kind] + rng.randrange(10**6)
            pairs.append((seeding.blind_index(kind, seeding.identifier_value(kind, k)), kind))
        values = ", ".join(f"('{digest}', '{kind}')" for digest, kind in pairs)
        sql = (
            "SELECT i.kind, i.seizure_id, i.owner_agency_id FROM cases_identifier i "
            f"WHERE (i.digest, i.kind) IN (VALUES {values}) "
            f"AND i.owner_agency_id <> {ctx.agency_of['median']}"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql)
            found = len(cursor.fetchall())
        sample = repeat(lambda: statements_ms([sql]), ctx.reps)
        return [
            Result(
                "deconfliction lookup: 20 identifiers against all (SQL floor)",
                sample,
                f"{found} matching rows; the index (digest, kind) alone",
            )
        ]


class HitMatching(Plug):
    """``hits.matching.match_record`` for a new 20-identifier report of the median user's
    agency, against every identifier in the region (``bench/hits.py``; target median < 20 ms)."""

    name = "deconfliction matching of a 20-identifier record (hits)"

    def ready(self) -> str:
        return "" if _has("hits.matching") else "pending: hits.matching is not on main yet"

    def run(self, ctx: Context) -> list[Result]:
        from bench import hits

        outcome = hits.measure(ctx.agency_of["median"], hits.twenty_from_region(ctx.plan), ctx.reps)
        met = "met" if outcome.first.median < 20 else "MISSED"
        return [
            Result(
                "deconfliction: match_record, 20 identifiers, first save",
                outcome.first,
                f"{outcome.hits} hits created (both sides, audited, outbox); "
                f"target median < 20 ms: {met}",
            ),
            Result(
                "deconfliction: match_record, the same record saved again",
                outcome.again,
                "nothing new (ON CONFLICT DO NOTHING)",
            ),
            Result(
                "deconfliction: the same, its statements timed in PostgreSQL",
                outcome.again_sql,
                f"{outcome.statements} statements: lock, lookup, who sees what, insert",
            ),
        ]


class Pending(Plug):
    def __init__(self, name: str, module: str, reason: str) -> None:
        self.name = name
        self.module = module
        self.reason = reason

    def ready(self) -> str:
        return self.reason if not _has(self.module) else f"{self.reason} (found {self.module})"

    def run(self, ctx: Context) -> list[Result]:
        return []


FILTERS = [
    ("status=closed, a third of all cases", "status=closed"),
    ("tlp=RED, own RED cases and named grants", "tlp=RED"),
    ("q=via Santos #1999, the search box, rare", "q=via+Santos+%231999"),
]


class FilteredPages(Plug):
    """The case list with a filter, through the door: read from the records matching a
    selective filter, or through the reader's sources joined to the cases table; both ways
    give the same answer (checked)."""

    name = "filtered case list"

    def ready(self) -> str:
        return "" if _has("cases.filters") else "pending: the case filters are not on main yet"

    def run(self, ctx: Context) -> list[Result]:
        from django.http import QueryDict

        from cases.filters import CaseFilter

        results = []
        user = ctx.users["heavy"]
        access.principals_of(user)
        for label, query in FILTERS:
            form = CaseFilter(QueryDict(query), queryset=Case.objects.none())
            assert form.is_valid(), form.errors
            filter_fn = form.filter_queryset
            # Read from the matching records or through the door's sources, the answers
            # must be the same (page ids, levels, shown count); a difference fails the run.
            answers = {
                drive: (
                    [
                        (c.pk, c.access_level)  # type: ignore[attr-defined]
                        for c in access.newest_visible(Case, user, filter_fn=filter_fn, drive=drive)
                    ],
                    str(access.count_visible(Case, user, filter_fn=filter_fn, drive=drive)),
                )
                for drive in ("auto", "door", "records")
            }
            for drive in ("door", "records"):
                if answers[drive] != answers["auto"]:
                    ctx.problems.append(f"filtered list {label}: {drive} differs from auto")
            chosen = (
                "from the matching records"
                if access._drives_from_records(
                    access._CASE, access.principals_of(user), 1, filter_fn, "auto"
                )
                else "through the sources"
            )
            page = emitted_sql(
                lambda f=filter_fn: list(access.newest_visible(Case, user, filter_fn=f))  # type: ignore[misc]
            )
            count = emitted_sql(
                lambda f=filter_fn: access.count_visible(Case, user, filter_fn=f)  # type: ignore[misc]
            )
            shown = str(access.count_visible(Case, user, filter_fn=filter_fn))
            reps = max(3, ctx.reps // 3)
            results.append(
                Result(
                    f"filtered page 1, heavy receiver, {label}: SQL",
                    repeat(lambda sql=page: statements_ms(sql), reps),  # type: ignore[misc]
                    f"{shown} match, read {chosen}; same rows read either way",
                )
            )
            results.append(
                Result(
                    f"filtered count, heavy receiver, {label}: SQL",
                    repeat(lambda sql=count: statements_ms(sql), reps),  # type: ignore[misc]
                    shown,
                )
            )
        return results


class SeizureLists(Plug):
    """Seizure reports through the door — their own sources and the reports each case grant
    reaches (rows kept by the database) — against a floor derived from the rule itself."""

    name = "seizure report list"

    def run(self, ctx: Context) -> list[Result]:
        from bench.strategies import SeizureDoor, SeizureFloor, same

        door, floor = SeizureDoor(), SeizureFloor()
        floor.build(list(ctx.users.values()))
        results = []
        for kind in ("light", "median", "heavy"):
            user = ctx.users[kind]
            access.principals_of(user)
            ours = door.answer(user)
            for problem in same(ours, floor.answer(user)):
                ctx.problems.append(f"{kind}: seizure reports, door vs floor: {problem}")
            shown = f"{ours.shown()} visible ({floor.exact(user):,} exact); same as the floor"
            jobs = [
                ("page 1", door.page_sql(user)),
                ("count", door.count_sql(user)),
                ("floor page 1", floor.page_sql(user)),
                ("floor count (capped)", floor.count_sql(user)),
            ]
            samples: dict[str, list[float]] = {label: [] for label, _ in jobs}
            for rep in range(ctx.reps + 2):  # round-robin; the first two rounds warm up
                for label, sql in jobs:
                    value = statements_ms(sql)
                    if rep >= 2:
                        samples[label].append(value)
            for label, _ in jobs:
                results.append(
                    Result(
                        f"seizure reports {label}, {kind}: SQL",
                        Sample(tuple(samples[label])),
                        shown if label == "count" else "",
                    )
                )
        return results


class Search(Plug):
    """``insight.search.search`` as the search page and API call it: identifiers by blind
    index, then full text over what the reader may see, for the light and heavy readers."""

    name = "search"

    def ready(self) -> str:
        return "" if _has("insight.search") else "pending: search (issue 9) is not on main yet"

    def run(self, ctx: Context) -> list[Result]:
        from insight.search import Query, search

        pools = seeding.identifier_pools(ctx.plan)
        container = seeding.identifier_value("container", 12345 % pools["container"])
        queries = [
            ("a container number (identifier)", Query(q=container)),
            ("rare words: 'via Santos #1999'", Query(q="via Santos #1999")),
            ("a common word: 'Santos' (1 case in 8)", Query(q="Santos")),
        ]
        results = []
        for kind in ("light", "heavy"):
            user = ctx.users[kind]
            access.principals_of(user)
            for label, query in queries:
                outcome = search(user, query)
                found = f"{len(outcome.results)} results, {len(outcome.pointers)} pointers"
                sample = repeat(
                    lambda q=query, u=user: wall_ms(lambda: search(u, q)),  # type: ignore[misc]
                    max(3, ctx.reps // 3),
                )
                results.append(Result(f"search, {kind}, {label}: in Django", sample, found))
        return results


class NotificationLatency(Plug):
    """A liaison officer's approval commits → the recipient's notification is readable.

    ``scripts/notify_latency.py`` (engineer E) measures it with the real approval
    (``sharing.actions.approve``, four-eyes) and a real Celery worker."""

    name = "share approval → notification readable"

    def ready(self) -> str:
        if not _has("scripts.notify_latency"):
            return "pending: scripts/notify_latency.py (engineer E) is not on main yet"
        return ""

    def run(self, ctx: Context) -> list[Result]:
        from scripts.notify_latency import measure

        latency = measure(ctx.shares, warmup=3)
        return [
            Result(
                "share approval → notification readable (sharing.actions.approve, real worker)",
                None,
                f"{latency.shares} approvals one after the other: median / p95 "
                f"(max {latency.max_ms:.0f} ms); scripts/notify_latency.py",
                shown=f"{latency.median_ms:.0f} / {latency.p95_ms:.0f}",
            )
        ]


def import_table(rows: int, seed: int = 11) -> bytes:
    """A CSV of seizure reports as an agency would upload it: Spanish headers, day-first dates,
    a drug with quantity and unit, a container (valid check digit), a vessel's IMO number."""
    import csv
    import io
    from datetime import date, timedelta

    from cases.validators import imo_check_digit, iso6346_check_digit

    rng = random.Random(seed)
    substances = [("cocaína", "kg"), ("marihuana", "kg"), ("heroína", "g"), ("éxtasis", "tablets")]
    modes = ["contenedor", "buque", "pasajero", "carga aérea", "vehículo"]
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["Fecha", "País", "Lugar", "Modo de transporte", "Sustancia", "Cantidad",
                     "Unidad", "Contenedor", "Número IMO", "Origen", "Destino", "TLP"])  # fmt: skip
    start = date(2025, 1, 1)
    for i in range(rows):
        serial = f"{(seed * 1_000_003 + i) % 10**6:06d}"
        box = f"ENLU{serial}"
        box += str(iso6346_check_digit(box))
        imo = f"9{(seed * 7919 + i) % 10**5:05d}"
        imo += str(imo_check_digit(imo))
        substance, unit = substances[i % len(substances)]
        writer.writerow([
            (start + timedelta(days=i % 300)).strftime("%d/%m/%Y"), "JM", f"Muelle {i % 40}",
            modes[i % len(modes)], substance, f"{rng.randint(1, 9999)},{rng.randint(0, 9)}",
            unit, box, imo, "CO", "US", "AMBER",
        ])  # fmt: skip
    return buffer.getvalue().encode("utf-8")


class ImportRows(Plug):
    """A table of seizure reports uploaded, checked (dry run) and imported, then rolled back so
    the region stays as seeded (``imports.actions``). The deferred foreign-key checks that a
    real commit runs are forced before the rollback (``SET CONSTRAINTS ALL IMMEDIATE``), so
    the import is timed whole. Target: 10,000 rows imported (upload + commit) in < 60 s."""

    name = "import of seizure reports"

    def ready(self) -> str:
        return "" if _has("imports.actions") else "pending: import is issue 9, not on main yet"

    def run(self, ctx: Context) -> list[Result]:
        import time

        from django.core.files.uploadedfile import SimpleUploadedFile
        from django.db import transaction

        from imports import actions

        user = ctx.users["median"]
        rows = ctx.import_rows
        data = import_table(rows)
        steps = ("upload", "dry run", "commit", "import")
        timings: dict[str, list[float]] = {step: [] for step in steps}
        cpu: list[float] = []
        for _ in range(ctx.import_reps):
            with transaction.atomic():
                cpu_started = time.process_time()
                started = time.perf_counter()
                upload = actions.upload(user, SimpleUploadedFile("bench.csv", data, "text/csv"))
                uploaded = time.perf_counter()
                checked = actions.check(user, upload.pk, upload.mapping)
                assert not checked.errors, checked.errors[:3]
                dry = time.perf_counter()
                done = actions.commit(user, upload.pk)
                with connection.cursor() as cursor:
                    cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
                committed = time.perf_counter()
                cpu.append(time.process_time() - cpu_started)
                assert done.imported_count == rows
                transaction.set_rollback(True)
            timings["upload"].append((uploaded - started) * 1000)
            timings["dry run"].append((dry - uploaded) * 1000)
            timings["commit"].append((committed - dry) * 1000)
            timings["import"].append((uploaded - started + committed - dry) * 1000)
        imported = Sample(tuple(timings["import"]))
        met = "met" if imported.median < 60_000 else "MISSED"
        notes = {
            "upload": "read, checked, stored encrypted",
            "dry run": "every row validated, nothing written",
            "commit": "validated again, then reports, items, containers, vessels, blind "
            "indexes and deconfliction matching written in one transaction",
            "import": f"upload + commit (the dry run is optional); target {rows:,} rows "
            f"< 60 s: {met if rows >= 10_000 else 'not judged below 10,000 rows'}; the "
            f"bench process used {sorted(cpu)[len(cpu) // 2]:.1f} s of CPU for the three "
            "steps (median), the rest is PostgreSQL and waiting for a core",
        }
        return [
            Result(
                f"import {rows:,} rows (CSV), {ctx.import_reps} runs: {step}",
                Sample(tuple(timings[step])),
                notes[step],
            )
            for step in steps
        ]


class AuditList(Plug):
    """An agency admin's audit list: page 1 (newest 25 of their people's actions and every
    access to their records) and its count, over a year's worth of synthetic entries (one per
    seeded case, spread over the agencies; added once, marked ``request_id = 'bench'``; their
    seals are random and they are never chained, so ``verify_audit`` reports this bench
    database as broken)."""

    name = "audit list of an agency admin"

    def _fill(self, ctx: Context) -> int:
        from audit.models import AuditEntry

        wanted = ctx.plan.cases
        have = AuditEntry.objects.filter(action="case.viewed", request_id="bench").count()
        if have < wanted:
            agencies = sorted(set(ctx.agency_of.values()) | set(_agency_ids()))
            with connection.cursor() as cursor:
                cursor.execute(
                    "INSERT INTO audit_auditentry (at, actor_username, agency_id, action, "
                    "object_type, object_id, object_agency_id, outcome, request_id, details, "
                    "seal) "
                    "SELECT now() - (g %% 365) * interval '1 day', 'bench', "
                    "(%s::int[])[1 + (g * 7919) %% cardinality(%s::int[])], 'case.viewed', "
                    "'cases.case', g::text, "
                    "(%s::int[])[1 + (g * 104729) %% cardinality(%s::int[])], 'success', "
                    "'bench', '{}'::jsonb, "
                    "encode(sha256(('bench-' || g || '-' || random())::bytea), 'hex') "
                    "FROM generate_series(%s::bigint, %s::bigint) AS g",
                    [agencies, agencies, agencies, agencies, have + 1, wanted],
                )
                cursor.execute("ANALYZE audit_auditentry")
        return wanted

    def _admin(self, agency_id: int) -> User:
        from agencies.models import Membership, Role

        admin, created = User.objects.get_or_create(
            username=f"bench-audit-admin-{agency_id}", defaults={"email": "audit@bench.invalid"}
        )
        if created:
            Membership.objects.create(user=admin, agency_id=agency_id, role=Role.AGENCY_ADMIN)
        return admin

    def run(self, ctx: Context) -> list[Result]:
        from django.core.paginator import Paginator

        from audit.access import visible_entries

        total = self._fill(ctx)
        results = []
        for kind in ("median", "heavy"):
            admin = self._admin(ctx.agency_of[kind])
            entries = visible_entries(admin)
            page = emitted_sql(lambda e=entries: list(e[:25]))  # type: ignore[misc]
            count = emitted_sql(lambda e=entries: Paginator(e, 25).count)  # type: ignore[misc]
            shown = Paginator(entries, 25).count
            for label, sql in (("page 1", page), ("count", count)):
                results.append(
                    Result(
                        f"audit list {label}, agency admin of the {kind} agency: SQL",
                        repeat(lambda sql=sql: statements_ms(sql), ctx.reps),  # type: ignore[misc]
                        f"{shown:,} of {total:,} synthetic entries visible",
                    )
                )
        return results


def _agency_ids() -> list[int]:
    from agencies.models import Agency

    return list(Agency.objects.values_list("pk", flat=True))


PLUGS: list[Callable[[], Plug]] = [
    SingleRecordCheck,
    MatchingFloor,
    FilteredPages,
    SeizureLists,
    AuditList,
    HitMatching,
    Search,
    NotificationLatency,
    ImportRows,
]


def run_all(ctx: Context, skip: tuple[str, ...] = ()) -> list[Result]:
    results: list[Result] = []
    for make in PLUGS:
        plug = make()
        if any(word in plug.name for word in skip):
            results.append(Result(plug.name, pending="skipped (--skip)"))
            continue
        reason = plug.ready()
        if reason:
            results.append(Result(plug.name, pending=reason))
            continue
        results.extend(plug.run(ctx))
    return results
