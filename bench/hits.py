"""Deconfliction matching at scale: ``hits.matching.match_record`` for a new seizure report
with 20 identifiers, against every identifier in the database (target: median under 20 ms).

``make bench`` and ``make bench-smoke`` run it on the seeded region (plug ``HitMatching`` in
``bench/plugs.py``). On its own (``make bench-hits``)::

    python -m bench.hits                       # the seeded region (manage.py seed_scale)
    python -m bench.hits --synthetic 5000000   # no region here: first builds 5,000,000
                                               # identifiers in this database (generate_series)

Each repetition creates the report and its 20 blind-index rows in a transaction (not timed),
times ``match_record`` (hits created on both sides, audited, outbox events written), times it
again (a re-save: nothing new), and rolls everything back.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import random
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any

import django

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SYNTHETIC_PREFIX = "BH-"
SYNTHETIC_KINDS = (
    "container", "phone", "passport", "plate", "imo", "firearm", "company", "mmsi", "flight",
)  # fmt: skip


@dataclass
class Outcome:
    first: Any  # bench.timing.Sample, ms
    again: Any
    again_sql: Any  # the same, its statements timed by PostgreSQL (EXPLAIN ANALYZE)
    statements: int
    hits: int  # hits the first call created (both sides)
    identifiers: int  # rows in cases_identifier
    source: str


def synthetic_digest(g: int) -> tuple[str, str]:
    """(kind, digest) of synthetic identifier ``g`` (the SQL below computes the same)."""
    kind = SYNTHETIC_KINDS[g % len(SYNTHETIC_KINDS)]
    return kind, hashlib.sha256(f"bench-hit-{g}".encode()).hexdigest()


def build_synthetic(total: int, agencies: int = 12) -> int:
    """``total`` identifiers over ``total // 100`` seizure reports of ``agencies`` agencies, in
    this database, unless they are there already. Returns the synthetic identifier count."""
    from django.db import connection, transaction

    from agencies.models import Agency
    from cases.models import ReferenceCounter, SeizureReport

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM cases_identifier i JOIN cases_seizurereport s "
            "ON s.id = i.seizure_id WHERE s.reference LIKE %s",
            [SYNTHETIC_PREFIX + "%"],
        )
        have = int(cursor.fetchone()[0])
    if have >= total:
        return have
    reports = max(100, total // 100)
    started = time.monotonic()
    with transaction.atomic():
        owners = [
            Agency.objects.get_or_create(
                acronym=f"BH{n:02d}",
                defaults={"name": f"Bench agency {n}", "kind": "police", "country": "CO"},
            )[0].pk
            for n in range(agencies)
        ]
        template = SeizureReport.objects.create(
            reference=ReferenceCounter.next_reference(Agency.objects.get(pk=owners[0]), "S"),
            owner_agency_id=owners[0],
            seized_on="2025-06-01",
            country="CO",
            transport_mode="sea_container",
            tlp="AMBER",
        )
        fields = [
            f.column
            for f in SeizureReport._meta.concrete_fields
            if f.column not in ("id", "reference", "owner_agency_id")
        ]
        columns = ", ".join(f'"{c}"' for c in fields)
        with connection.cursor() as cursor:
            cursor.execute(
                "DELETE FROM cases_identifier WHERE seizure_id IN (SELECT id FROM "
                "cases_seizurereport WHERE reference LIKE %s)",
                [SYNTHETIC_PREFIX + "%"],
            )
            cursor.execute(
                f'INSERT INTO cases_seizurereport ("reference", "owner_agency_id", {columns}) '  # nosec B608
                f"SELECT %s || g, (%s::bigint[])[1 + g %% %s], {columns} "
                "FROM cases_seizurereport t, generate_series(0, %s - 1) g "
                "WHERE t.id = %s ON CONFLICT (reference) DO NOTHING",
                [SYNTHETIC_PREFIX, owners, len(owners), reports, template.pk],
            )
            print(f"[bench.hits] {reports:,} reports in {time.monotonic() - started:.0f} s")
            cursor.execute(
                "INSERT INTO cases_identifier (kind, digest, seizure_id, owner_agency_id, "
                "created_at) "
                "SELECT (%s::text[])[1 + g %% %s], "
                "encode(sha256(convert_to('bench-hit-' || g, 'UTF8')), 'hex'), "
                "s.id, s.owner_agency_id, now() "
                "FROM generate_series(0, %s - 1) g "
                "JOIN (SELECT id, owner_agency_id, "
                "      (substr(reference, %s))::int AS rn "
                "      FROM cases_seizurereport WHERE reference LIKE %s) s "
                "  ON s.rn = g %% %s "
                "ON CONFLICT DO NOTHING",
                [
                    list(SYNTHETIC_KINDS),
                    len(SYNTHETIC_KINDS),
                    total,
                    len(SYNTHETIC_PREFIX) + 1,
                    SYNTHETIC_PREFIX + "%",
                    reports,
                ],
            )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE cases_identifier")
        cursor.execute("ANALYZE cases_seizurereport")
    print(f"[bench.hits] {total:,} identifiers built in {time.monotonic() - started:.0f} s")
    return total


def twenty_from_region(plan: Any, seed: int = 7) -> list[tuple[str, str]]:
    """20 (kind, digest): half drawn from the seeded region's values (likely matches), half
    new — the same draw as the index-floor measurement."""
    from bench import seed as seeding

    rng = random.Random(seed)  # nosec B311 - benchmark draw, not security
    pools = seeding.identifier_pools(plan)
    kinds = [k for k, _ in seeding.IDENTIFIER_KINDS]
    pairs = []
    for i in range(20):
        kind = kinds[i % len(kinds)]
        k = rng.randrange(pools[kind]) if i % 2 == 0 else pools[kind] + rng.randrange(10**6)
        pairs.append((str(kind), seeding.blind_index(kind, seeding.identifier_value(kind, k))))
    return pairs


def twenty_synthetic(total: int, seed: int = 7) -> list[tuple[str, str]]:
    rng = random.Random(seed)  # nosec B311 - benchmark draw, not security
    pairs = [synthetic_digest(rng.randrange(total)) for _ in range(10)]
    pairs += [synthetic_digest(total + rng.randrange(10**6)) for _ in range(10)]
    return pairs


def measure(agency_id: int, identifiers: Sequence[tuple[str, str]], reps: int) -> Outcome:
    from django.db import connection, transaction

    from bench.timing import Sample, emitted_sql, statements_ms
    from cases.models import Identifier, SeizureReport
    from hits.matching import match_record

    first: list[float] = []
    again: list[float] = []
    again_sql: list[float] = []
    statements: list[str] = []
    hits = 0
    for rep in range(reps + 2):  # two warm-up rounds
        with transaction.atomic():
            seizure = SeizureReport.objects.create(
                reference=f"BENCH-HIT-{rep}-{time.monotonic_ns()}",
                owner_agency_id=agency_id,
                seized_on="2026-01-15",
                country="JM",
                transport_mode="sea_container",
                tlp="AMBER",
            )
            Identifier.objects.bulk_create(
                Identifier(kind=k, digest=d, seizure=seizure, owner_agency_id=agency_id)
                for k, d in identifiers
            )
            started = time.perf_counter()
            created = match_record(seizure)
            middle = time.perf_counter()
            match_record(seizure)
            ended = time.perf_counter()
            # the decision alone, in PostgreSQL: lock, lookup, who sees what, insert (no-op)
            statements = emitted_sql(partial(match_record, seizure))
            in_server = statements_ms(statements)
            transaction.set_rollback(True)
        if rep >= 2:
            first.append((middle - started) * 1000)
            again.append((ended - middle) * 1000)
            again_sql.append(in_server)
            hits = len(created)
    with connection.cursor() as cursor:
        cursor.execute("SELECT reltuples::bigint FROM pg_class WHERE relname = 'cases_identifier'")
        rows = int(cursor.fetchone()[0])
    return Outcome(
        Sample(tuple(first)),
        Sample(tuple(again)),
        Sample(tuple(again_sql)),
        len(statements),
        hits,
        rows,
        "",
    )


def outside_agency() -> int:
    """An agency that owns none of the synthetic reports (created once)."""
    from agencies.models import Agency

    return Agency.objects.get_or_create(
        acronym="BHOME", defaults={"name": "Bench home agency", "kind": "customs", "country": "JM"}
    )[0].pk


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--synthetic", type=int, help="build this many identifiers first")
    parser.add_argument("--reps", type=int, default=30)
    args = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    sys.path.insert(0, ROOT)
    django.setup()
    from bench import seed as seeding
    from sharing import access

    if args.synthetic:
        total = build_synthetic(args.synthetic)
        identifiers = twenty_synthetic(total)
        agency_id = outside_agency()
        source = f"synthetic table of {total:,} identifiers (bench/hits.py --synthetic)"
    else:
        found = seeding.seeded()
        if found is None:
            print("not seeded: run manage.py seed_scale, or pass --synthetic N", file=sys.stderr)
            return 2
        plan = seeding.Plan(**found.plan)
        identifiers = twenty_from_region(plan)
        from django.contrib.auth.models import User

        user = User.objects.get(pk=found.users["median"])
        agency_id = int(access.principals_of(user).agency_id or 0)
        source = f"seeded region: {plan.describe()}"
    outcome = measure(agency_id, identifiers, args.reps)
    print(f"[bench.hits] {source}; ~{outcome.identifiers:,} rows in cases_identifier")
    print(
        f"match_record, 20 identifiers, first save ({outcome.hits} hits created): "
        f"median {outcome.first.median:.2f} ms, p95 {outcome.first.p95:.2f} ms"
    )
    print(
        f"match_record, same record saved again (nothing new): "
        f"median {outcome.again.median:.2f} ms, p95 {outcome.again.p95:.2f} ms"
    )
    print(
        f"the same, its {outcome.statements} statements timed in PostgreSQL: "
        f"median {outcome.again_sql.median:.2f} ms, p95 {outcome.again_sql.p95:.2f} ms"
    )
    for label, sample in (
        ("first save", outcome.first),
        ("decision in PostgreSQL", outcome.again_sql),
    ):
        met = "met" if sample.median < 20 else "MISSED"
        print(f"target median under 20 ms, {label}: {met}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
