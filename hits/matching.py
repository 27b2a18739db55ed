"""Matching a saved seizure report against every other agency's identifiers (DESIGN §4).

``match_record(seizure, actor=None)`` is the one entry point. Every path that saves a seizure
report's items and entities calls it after ``cases.identifiers.index_identifiers(seizure)``,
inside the same transaction (the quick form and the API through ``cases.actions``; a bulk
import calls ``match_records`` once for all its reports). It returns the hits it created;
calling it again for the same report creates nothing new (``ON CONFLICT DO NOTHING`` on the
unique ``(kind, our_seizure, their_seizure)``).

For each identifier of the report found in another agency's report:

- the two agencies are told only when they cannot already see each other's record (a record
  they can see is shown as a link on the record page instead, see ``visible_matches``);
- each side gets its own ``Hit`` row (its record, the other agency, the identifier kind) and
  its liaison officers a ``hit.created`` notification through the outbox;
- a record marked "do not reveal on match" (itself or its case) tells its own owner only; the
  other side learns nothing. When both records are so marked, each owner is told that a
  record held by *another agency* matches, without its name (``revealed=False``).

Two agencies saving matching reports at the same moment would each miss the other's
uncommitted rows; a transaction-scoped advisory lock per identifier digest serialises them,
so the one that commits second finds the first.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import connection

from audit.log import build_entry, record_many
from cases.models import Identifier, SeizureReport
from notifications.events import Emission, emit_many
from sharing.access import agency_levels
from sharing.models import Level

# Advisory-lock namespace of identifier digests (the first key of the two-key form).
LOCK_NAMESPACE = 7_207
# A very common identifier (a switchboard's phone number) could sit in thousands of records:
# one save tells at most this many other records, newest first.
MAX_MATCHED_RECORDS = 500
# A bulk import locks this one key instead of one per digest (thousands of advisory locks
# would overflow PostgreSQL's lock table); single saves take it shared before theirs.
BULK_NAMESPACE = LOCK_NAMESPACE + 1

Kind = Identifier.Kind
# Identifier kinds that lead to a person: a link shows them only to a reader at full level.
PERSONAL_KINDS = frozenset({Kind.PASSPORT, Kind.PHONE, Kind.PLATE})


@dataclass(frozen=True)
class Match:
    kind: str
    seizure_id: int
    agency_id: int


def _matches(seizure_id: int, exclude_agency_id: int | None) -> list[Match]:
    """Every (kind, other report) sharing an identifier with ``seizure_id``: one statement,
    one probe of the (digest, kind) index per identifier of the report."""
    other_agency = "AND o.owner_agency_id <> %(agency)s" if exclude_agency_id else ""
    sql = f"""
        SELECT DISTINCT o.kind, o.seizure_id, o.owner_agency_id
        FROM cases_identifier m
        JOIN cases_identifier o ON o.digest = m.digest AND o.kind = m.kind
        WHERE m.seizure_id = %(seizure)s AND o.seizure_id <> %(seizure)s {other_agency}
        ORDER BY o.seizure_id DESC
        LIMIT %(limit)s
    """  # noqa: S608 # nosec B608
    with connection.cursor() as cursor:
        cursor.execute(
            sql,
            {"seizure": seizure_id, "agency": exclude_agency_id, "limit": MAX_MATCHED_RECORDS},
        )
        return [Match(kind, other, agency) for kind, other, agency in cursor.fetchall()]


def _lock_digests(seizure_id: int) -> None:
    with connection.cursor() as cursor:
        # a bulk import matching at this moment holds this exclusively (``match_records``)
        cursor.execute("SELECT pg_advisory_xact_lock_shared(%s, 0)", [BULK_NAMESPACE])
        cursor.execute(
            """
            SELECT count(pg_advisory_xact_lock(%s, k)) FROM (
                SELECT DISTINCT hashtext(kind || ':' || digest) AS k
                FROM cases_identifier WHERE seizure_id = %s ORDER BY 1
            ) AS keys
            """,
            [LOCK_NAMESPACE, seizure_id],
        )


@dataclass(frozen=True)
class _Planned:
    kind: str
    our_seizure: int
    our_agency: int
    their_seizure: int
    their_agency: int
    revealed: bool


def _plan(seizure: SeizureReport, matches: list[Match]) -> list[_Planned]:
    """Who is told of which match: four statements whatever the number of matches."""
    ours = seizure.pk
    our_agency = seizure.owner_agency_id
    marks = ("do_not_reveal", "case__do_not_reveal")
    theirs = agency_levels(
        SeizureReport, sorted({m.seizure_id for m in matches}), [our_agency], *marks
    )
    mine = agency_levels(SeizureReport, [ours], {m.agency_id for m in matches}, *marks)[ours]
    hidden = {
        pk: bool(row["do_not_reveal"] or row["case__do_not_reveal"]) for pk, row in theirs.items()
    }
    hidden[ours] = bool(mine["do_not_reveal"] or mine["case__do_not_reveal"])
    we_see = {pk: row["levels"].get(our_agency, Level.NONE) for pk, row in theirs.items()}
    they_see: dict[int, int] = mine["levels"]
    planned: list[_Planned] = []
    for match in matches:
        our_hidden, their_hidden = hidden.get(ours, False), hidden.get(match.seizure_id, False)
        # our side: told unless we already see theirs, or theirs hides and ours does not
        if we_see.get(match.seizure_id, Level.NONE) < Level.SUMMARY and (
            our_hidden or not their_hidden
        ):
            planned.append(
                _Planned(
                    match.kind, ours, our_agency, match.seizure_id, match.agency_id,
                    revealed=not their_hidden,
                )
            )  # fmt: skip
        # their side, symmetrically
        if they_see.get(match.agency_id, Level.NONE) < Level.SUMMARY and (
            their_hidden or not our_hidden
        ):
            planned.append(
                _Planned(
                    match.kind, match.seizure_id, match.agency_id, ours, our_agency,
                    revealed=not our_hidden,
                )
            )  # fmt: skip
    return planned


def _insert(planned: list[_Planned]) -> list[Any]:
    """Insert the planned rows; return those that were new (as unsaved-looking ``Hit``s)."""
    from hits.models import Hit

    if not planned:
        return []
    values = ", ".join(["(%s, %s, %s, %s, %s, %s, 'new', now(), now())"] * len(planned))
    params: list[Any] = []
    for p in planned:
        params += [p.kind, p.our_seizure, p.our_agency, p.their_seizure, p.their_agency, p.revealed]
    sql = f"""
        INSERT INTO hits_hit (kind, our_seizure_id, our_agency_id, their_seizure_id,
                              their_agency_id, revealed, status, created_at, updated_at)
        VALUES {values}
        ON CONFLICT (kind, our_seizure_id, their_seizure_id) DO NOTHING
        RETURNING id, kind, our_seizure_id, our_agency_id, their_seizure_id, their_agency_id,
                  revealed, status, created_at, updated_at
    """  # noqa: S608 # nosec B608
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    columns = [
        "id", "kind", "our_seizure_id", "our_agency_id", "their_seizure_id", "their_agency_id",
        "revealed", "status", "created_at", "updated_at",
    ]  # fmt: skip
    return [Hit(**dict(zip(columns, row, strict=True))) for row in rows]


def match_record(seizure: SeizureReport, *, actor: Any = None) -> list[Any]:
    """Create the deconfliction hits of a just-saved seizure report (see the module docstring).

    Call inside the transaction that saved the report, after ``index_identifiers``. ``actor``
    is the person who saved it (``None`` for imports run by the system); it is recorded on the
    saving side's own hits only, never on the other agency's.
    """
    if seizure.pk is None:
        raise ValueError("match_record needs a saved seizure report")
    _lock_digests(seizure.pk)
    matches = _matches(seizure.pk, seizure.owner_agency_id)
    if not matches:
        return []
    return _tell(seizure, matches, actor)


def match_records(seizure_ids: list[int], agency_id: int, *, actor: Any = None) -> list[Any]:
    """``match_record`` for many just-saved reports of one agency (an import), in one query.

    Takes the bulk lock exclusively, so no single save matches at the same moment (each
    side then finds the other's committed rows); the reports that match anything are then
    told one by one, exactly as ``match_record`` tells one."""
    if not seizure_ids:
        return []
    sql = """
        SELECT our, kind, seizure_id, owner_agency_id FROM (
            SELECT d.*, row_number() OVER (PARTITION BY our ORDER BY seizure_id DESC) AS n
            FROM (
                SELECT DISTINCT m.seizure_id AS our, o.kind, o.seizure_id, o.owner_agency_id
                FROM cases_identifier m
                JOIN cases_identifier o ON o.digest = m.digest AND o.kind = m.kind
                WHERE m.seizure_id = ANY(%(ids)s) AND o.owner_agency_id <> %(agency)s
            ) AS d
        ) AS ranked
        WHERE n <= %(limit)s
        ORDER BY our, seizure_id DESC
    """
    by_report: dict[int, list[Match]] = {}
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s, 0)", [BULK_NAMESPACE])
        cursor.execute(
            sql, {"ids": list(seizure_ids), "agency": agency_id, "limit": MAX_MATCHED_RECORDS}
        )
        for our, kind, other, other_agency in cursor.fetchall():
            by_report.setdefault(our, []).append(Match(kind, other, other_agency))
    created: list[Any] = []
    for seizure in SeizureReport.objects.filter(pk__in=list(by_report)).order_by("pk"):
        created += _tell(seizure, by_report[seizure.pk], actor)
    return created


def _tell(seizure: SeizureReport, matches: list[Match], actor: Any) -> list[Any]:
    """Write the hits of ``seizure``'s matches and tell both sides (audit and outbox)."""
    created = _insert(_plan(seizure, matches))
    # one audit entry per agency told (each lists its hits); one notification per hit
    by_agency: dict[int, list[Any]] = {}
    for hit in created:
        by_agency.setdefault(hit.our_agency_id, []).append(hit)
    record_many(
        [
            build_entry(
                "hit.created",
                actor=actor if agency_id == seizure.owner_agency_id else None,
                obj=hits[0],
                object_agency=agency_id,
                hits=[hit.pk for hit in hits],
                kinds=sorted({hit.kind for hit in hits}),
                seizures=sorted({hit.our_seizure_id for hit in hits}),
                revealed=all(hit.revealed for hit in hits),
            )
            for agency_id, hits in by_agency.items()
        ]
    )
    emit_many(
        "hit.created",
        (
            Emission(
                obj=hit,
                agency_ids=(hit.our_agency_id,),
                actor=actor if hit.our_agency_id == seizure.owner_agency_id else None,
                data={"hit": hit.pk, "identifier": hit.kind},
            )
            for hit in created
        ),
        roles=["liaison"],
    )
    return created


@dataclass(frozen=True)
class VisibleMatch:
    """A report the reader can already see that shares an identifier with the one shown."""

    seizure: SeizureReport
    kinds: list[str]


def visible_matches(user: Any, seizure: SeizureReport, level: int) -> list[VisibleMatch]:
    """Reports the reader may see that share an identifier with ``seizure`` (which they see at
    ``level``). A person's identifier (passport, phone, plate) links only at full on both."""
    from sharing.access import with_access_level

    matches = _matches(seizure.pk, None)
    if not matches:
        return []
    annotated: Any = with_access_level(
        SeizureReport.objects.filter(pk__in={m.seizure_id for m in matches}), user
    )
    shown = annotated.filter(access_level__gte=Level.SUMMARY).order_by("-created_at", "-id")
    by_id: dict[int, Any] = {s.pk: s for s in shown}
    kinds: dict[int, list[str]] = {}
    for match in matches:
        other = by_id.get(match.seizure_id)
        if other is None:
            continue
        if match.kind in PERSONAL_KINDS and min(level, int(other.access_level)) < Level.FULL:
            continue
        kinds.setdefault(other.pk, []).append(match.kind)
    return [VisibleMatch(by_id[pk], sorted(k)) for pk, k in kinds.items()]
