"""Search across everything a reader may see, and pointers to what they may not.

- **Text**: PostgreSQL full-text search in English, Spanish, French and Portuguese
  (``insight.text``) over cases (reference, title, summary), seizure reports (reference, place,
  UN/LOCODE, concealment, summary) and non-personal entities (organisations, vessels, vehicle
  descriptions, flights), each read through the access door at *summary*; and over case
  messages, which are encrypted, through their keyed stems (``insight.messages``), only in
  cases the reader sees at *contribute* (the level that reads messages). Ranked by
  ``ts_rank`` of the query's stems as prefixes of the record's words
  (``text.quick_rank_sql``) among the newest ``CANDIDATES`` matches of each kind the reader
  may see (a common word matches hundreds of thousands of records; ranking parses each one's
  text); the reader's level is worked out only on the records they get, never on every match.
- **Identifiers**: what was typed is normalised as each kind of identifier it can be
  (container, IMO, MMSI, passport, phone, plate, company registration, firearm serial + make)
  and looked up by blind index in ``cases.Identifier``. A match in a record the reader sees at
  the level that shows that identifier (passport, phone and plate need *full*) is a result,
  ranked first. A match in a record they may not see is a **pointer**: "a record held by
  agency Y matches on a passport number — request access", with nothing of the record; none
  at all when the owner marked the record (or its case) "do not reveal on match".

Persons are never searched by name (names are encrypted): only by passport or phone.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from django.core import signing
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import QuerySet
from django.http import Http404
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from agencies.models import Agency
from cases.identifiers import normalise
from cases.models import (
    Case,
    Flight,
    Identifier,
    Organisation,
    SeizureReport,
    Vehicle,
    Vessel,
)
from insight import messages as message_index
from insight import text
from insight.dashboard import url_or_none
from portal.countries import COUNTRIES
from portal.crypto import blind_index
from sharing.access import levels_of, newest_visible_levels, principals_of, with_access_level
from sharing.models import Level

Kind = Identifier.Kind
LIMIT = 50
# Text search ranks only among the newest CANDIDATES matches (of each kind) the reader may see:
# ranking parses each candidate's text, so the candidates are bounded, and the newest are
# what an analyst wants first. A term the planner expects to match at most PROBE *
# ESTIMATE_SLACK rows in the whole region is read from the index (at most PROBE rows) and
# checked row by row; a commoner one walks the reader's visible records newest first, in
# slices sized to hold CANDIDATES matches at the expected share (between WALK_FIRST and
# WALK_FIRST_MOST records), then doubling, up to WALK_MOST records. A slice is matched by
# ANDing the full-text index with the key's index, except for a word in more than PARSE_ABOVE
# of the rows, whose slices are small: their rows' text is parsed instead (~100 µs a row,
# cheaper than reading a posting list of millions).
CANDIDATES = 1000
PROBE = 2000
# For the index reads of a search: memory enough for a common word's bitmap to stay exact (a
# lossy one would parse the text of every row of its pages again), no parallel workers or
# JIT compilation to start for statements of tens of milliseconds.
QUIET = {"work_mem": "64MB", "max_parallel_workers_per_gather": "0", "jit": "off"}
ESTIMATE_SLACK = 2
PARSE_ABOVE = 0.5
WALK_FIRST = 2_000
WALK_FIRST_MOST = 50_000
WALK_MOST = 256_000
MAX_QUERY = 200
IDENTIFIER_RANK = 100.0
MESSAGE_RANK = 0.05
# Identifier kinds that lead to a person: a reader sees them only at full level.
PERSONAL_KINDS = frozenset({Kind.PASSPORT, Kind.PHONE, Kind.PLATE})
SEARCHABLE_KINDS = [kind for kind in Kind if kind != Kind.FLIGHT]
POINTER_SALT = "insight.search.pointer"
POINTER_MAX_AGE = 24 * 3600


def level_needed(kind: str) -> int:
    return Level.FULL if kind in PERSONAL_KINDS else Level.SUMMARY


@dataclass(frozen=True)
class Query:
    q: str
    kind: str = ""  # "" = text, and every identifier the words can be
    make: str = ""  # firearm serial numbers are matched with their make
    country: str = ""  # plates and company registrations are per country

    @property
    def empty(self) -> bool:
        return not self.q.strip()


@dataclass
class Result:
    record_type: str  # "case" or "seizure"
    record: Any  # the Case or SeizureReport, with access_level
    rank: float
    matched: list[str] = field(default_factory=list)
    snippet: str = ""
    source: str = ""  # case, seizure, organisation, vessel, vehicle, flight, message, identifier

    @property
    def key(self) -> tuple[str, int]:
        return (self.record_type, int(self.record.pk))

    @property
    def level(self) -> int:
        return int(self.record.access_level)

    @property
    def level_name(self) -> str:
        return str(Level(min(self.level, Level.OWNER)).label)

    @property
    def title(self) -> str:
        if self.record_type == "case":
            return str(self.record.title)
        parts = [
            self.record.get_transport_mode_display(),
            self.record.place,
            self.record.country,
            date_format(self.record.seized_on, "SHORT_DATE_FORMAT"),
        ]
        return " · ".join(str(p) for p in parts if p)

    @property
    def url(self) -> str:
        name = "cases:case" if self.record_type == "case" else "cases:seizure"
        fallback = "cases" if self.record_type == "case" else "seizures"
        return url_or_none(name, self.record.pk) or f"/api/v1/{fallback}/{self.record.pk}/"

    @property
    def ask_more_url(self) -> str | None:
        """Where to ask the owner for more than the reader sees (below full)."""
        if self.level >= Level.FULL:
            return None
        return url_or_none(
            "sharing:request_new", query=f"kind=access&{self.record_type}={self.record.pk}"
        )


@dataclass
class Pointer:
    """A record the reader may not see (or not at the level that shows the identifier)
    matches: only the owner agency and the kinds of identifier are told."""

    agency: Agency
    kinds: list[str]
    token: str

    @property
    def kind_labels(self) -> list[str]:
        labels = dict(Kind.choices)
        return [str(labels.get(kind, kind)) for kind in self.kinds]


@dataclass
class Outcome:
    query: Query
    results: list[Result] = field(default_factory=list)
    pointers: list[Pointer] = field(default_factory=list)
    truncated: bool = False
    identifier_kinds: list[str] = field(default_factory=list)  # what the words were read as
    # When a word is common: text results were ranked among the newest this many matches of
    # each kind the reader may see (0: among all of them)...
    ranked_among: int = 0
    # ...and only the reader's newest this many records of a kind were looked at (0: all).
    walked: int = 0


# --- identifiers ---------------------------------------------------------------------------------


def candidates(query: Query) -> list[tuple[str, str]]:
    """(kind, blind index) of every identifier the query can be read as."""
    value = query.q.strip()
    kinds: Iterable[str]
    if query.kind:
        kinds = [query.kind]
    elif any(ch.isdigit() for ch in value):
        # Identifiers hold digits; plain words are searched as text only.
        kinds = [k for k in SEARCHABLE_KINDS if k != Kind.FIREARM or query.make]
    else:
        return []
    found: list[tuple[str, str]] = []
    for kind in kinds:
        if kind in (Kind.PLATE, Kind.COMPANY):
            countries = [query.country] if query.country else ["", *COUNTRIES]
            for country in countries:
                try:
                    canonical = normalise(kind, value, country=country)
                except ValidationError:
                    break
                found.append((kind, blind_index(kind, canonical)))
            continue
        try:
            canonical = normalise(kind, value, make=query.make)
        except (ValidationError, ValueError):
            continue
        found.append((kind, blind_index(kind, canonical)))
    return found


def pointer_token(user: Any, identifier_id: int) -> str:
    return signing.dumps({"u": user.pk, "i": identifier_id}, salt=POINTER_SALT, compress=True)


def identifier_of_pointer(user: Any, token: str) -> Identifier:
    """The identifier row a pointer names, if the token is this user's and still fresh."""
    try:
        data = signing.loads(token, salt=POINTER_SALT, max_age=POINTER_MAX_AGE)
    except signing.BadSignature:
        raise Http404(_("No such pointer.")) from None
    identifier_id = data.get("i") if isinstance(data, dict) else None
    if not isinstance(identifier_id, int) or data.get("u") != user.pk:
        raise Http404(_("No such pointer."))
    found = Identifier.objects.select_related("owner_agency").filter(pk=identifier_id).first()
    if found is None:
        raise Http404(_("No such pointer."))
    return found


def _identifier_matches(user: Any, query: Query, outcome: Outcome) -> list[Result]:
    digests = candidates(query)
    outcome.identifier_kinds = sorted({kind for kind, _digest in digests})
    if not digests:
        return []
    rows = list(
        Identifier.objects.filter(
            digest__in=[d for _kind, d in digests], kind__in={k for k, _d in digests}
        )
        .order_by("-created_at")
        .values_list("pk", "kind", "seizure_id")[: LIMIT * 4]
    )
    if not rows:
        return []
    seizure_ids = {seizure_id for _pk, _kind, seizure_id in rows}
    seizures = {
        s.pk: s
        for s in _levelled(SeizureReport.objects.filter(pk__in=seizure_ids), user).select_related(
            "owner_agency", "case"
        )
    }
    my_agency = principals_of(user).agency_id
    results: dict[int, Result] = {}
    pointers: dict[int, tuple[Agency, list[str], int]] = {}
    for identifier_pk, kind, seizure_id in rows:
        seizure = seizures.get(seizure_id)
        if seizure is None:
            continue
        label = str(dict(Kind.choices).get(kind, kind))
        if int(seizure.access_level) >= level_needed(kind):
            result = results.setdefault(
                seizure_id,
                Result("seizure", seizure, IDENTIFIER_RANK, source="identifier"),
            )
            if label not in result.matched:
                result.matched.append(label)
            continue
        hidden = seizure.effective_do_not_reveal
        if hidden or seizure.owner_agency_id == my_agency or not seizure.owner_agency.active:
            continue
        _agency, kinds, _first = pointers.setdefault(
            seizure_id, (seizure.owner_agency, [], identifier_pk)
        )
        if kind not in kinds:
            kinds.append(kind)
    outcome.pointers = [
        Pointer(agency, kinds, pointer_token(user, first))
        for agency, kinds, first in pointers.values()
    ]
    for result in results.values():
        result.snippet = str(result.record.summary or result.record.concealment or "")[:200]
    return list(results.values())


# --- text ------------------------------------------------------------------------------------


def _levelled(queryset: QuerySet[Any], user: Any) -> Any:
    return with_access_level(queryset, user)


@dataclass(frozen=True)
class _Source:
    """Rows of ``table`` that match a search, each belonging to one shared record (its id in
    ``key``): a case or seizure report (``key`` = ``id``), an entity (``seizure_id``), a
    message's terms (``case_id``)."""

    model: type[Any]  # Case or SeizureReport: whose visibility governs the row
    table: str
    row: str  # the row's own id column
    key: str  # the column holding the record's id
    condition: str  # SQL: the row matches (GIN-indexed)
    params: tuple[Any, ...]
    languages: int = len(text.CONFIGS)  # the condition ORs the query in this many languages


@contextmanager
def _planner(**settings: str) -> Iterator[Any]:
    """A cursor whose planner settings are changed for what runs inside: set in a savepoint
    (or a transaction of its own) that is rolled back after — the statements inside only
    read — which puts the settings back, also inside a longer transaction (a request's)."""
    with transaction.atomic(), connection.cursor() as cursor:
        calls = ", ".join("set_config(%s, %s, true)" for _ in settings)
        cursor.execute(f"SELECT {calls}", [part for pair in settings.items() for part in pair])  # nosec B608 - constant SQL, values are parameters
        try:
            yield cursor
        finally:
            transaction.set_rollback(True)


_ROWS: dict[str, float] = {}
_ROWS_READ = [0.0]  # when (monotonic seconds)


def _table_rows() -> dict[str, float]:
    """The planner's row count of the searched tables, read at most once a minute."""
    now = time.monotonic()
    if not _ROWS or now - _ROWS_READ[0] > 60:
        tables = [*text.DOCUMENTS, "insight_messageterms"]
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT relname, reltuples FROM pg_class WHERE relname = ANY(%s) AND relkind = 'r'",
                [tables],
            )
            _ROWS.clear()
            _ROWS.update({name: float(rows) for name, rows in cursor.fetchall()})
        _ROWS_READ[0] = now
    return _ROWS


def _share(source: _Source) -> tuple[float, float]:
    """The planner's estimate of the share of ``source.table``'s rows that match, and of the
    table's rows (from the
    statistics of the indexed expression: no row is read). The planner takes the query's
    languages for independent words, but they are mostly the same word stemmed alike: a
    share ``s`` in each reads as ``1 - (1 - s) ** 4``, which this undoes."""
    sql = f'EXPLAIN (FORMAT JSON) SELECT 1 FROM "{source.table}" WHERE {source.condition}'  # noqa: S608 # nosec B608 - constant SQL, values are parameters
    with connection.cursor() as cursor:
        cursor.execute(sql, list(source.params))
        (plan,) = cursor.fetchone()
    rows = _table_rows().get(source.table, 0.0)
    if isinstance(plan, str):
        plan = json.loads(plan)
    if not rows or rows <= 0:  # never analysed: small
        return 1.0, 0.0
    either = min(1.0, float(plan[0]["Plan"]["Plan Rows"]) / float(rows))
    return float(1 - (1 - either) ** (1 / source.languages)), float(rows)


def _probe(source: _Source, expected: float) -> list[tuple[int, int]] | None:
    """Every matching ``(row, record)``, read from the full-text index alone, when there are
    at most ``PROBE``; ``None`` for a term too common for that (nothing is read when the
    planner expects far more)."""
    if expected > PROBE * ESTIMATE_SLACK:
        return None
    sql = (
        f'SELECT "{source.row}", "{source.key}" FROM "{source.table}" '  # noqa: S608 # nosec B608 - constant SQL, values are parameters
        f"WHERE {source.condition} LIMIT {PROBE + 1}"
    )
    with connection.cursor() as cursor:  # a few thousand rows at most: no settings to change
        cursor.execute(sql, list(source.params))
        rows = [(int(row), int(key)) for row, key in cursor.fetchall() if key is not None]
    return rows if len(rows) <= PROBE else None


def _matching_in(source: _Source, keys: list[int], parse: bool) -> list[tuple[int, int]]:
    """``(row, record)`` of the matching rows among the records ``keys``.

    Either the full-text index is ANDed with the index on ``key`` (a bitmap of each): only
    matching rows are read and no text is parsed, but the index's whole posting list of the
    words is read; or (``parse``, for words in most rows) the rows of ``keys`` are read and
    their text parsed. The planner underrates parsing (four stemmers, ~100 µs a row) and
    would parse thousands of rows where the bitmaps cost milliseconds: for this one statement
    it is told which (plain index scans off and function calls dearer, or bitmaps off)."""
    sql = (
        f'SELECT "{source.row}", "{source.key}" FROM "{source.table}" '  # noqa: S608 # nosec B608 - constant SQL, values are parameters
        f'WHERE "{source.key}" = ANY(%s) AND {source.condition}'
    )
    how = (
        {"enable_bitmapscan": "off"}
        if parse
        else {"enable_indexscan": "off", "cpu_operator_cost": "0.25"}
    )
    with _planner(**QUIET, **how) as cursor:
        cursor.execute(sql, [keys, *source.params])
        return [(int(row), int(key)) for row, key in cursor.fetchall()]


@dataclass
class _Matches:
    rows: list[tuple[int, int, int]]  # (row, record, reader's level), newest record first
    bounded: bool = False  # CANDIDATES reached: older matches were not ranked
    partial: bool = False  # the walk stopped at WALK_MOST visible records


def _visible_matches(user: Any, source: _Source, level: int) -> _Matches:
    """The newest ``CANDIDATES`` matching rows in records the reader sees at ``level``.

    A rare term (expected in at most ``PROBE * ESTIMATE_SLACK`` rows of the region, found in
    at most ``PROBE``) is read from the index and the reader's level worked out on those
    records only. A common term walks the reader's visible records newest first, in slices
    (sized to hold ``CANDIDATES`` matches at the expected share, then doubling), asking which
    rows of each slice match, until ``CANDIDATES`` are found, the visible set ends, or
    ``WALK_MOST`` records were walked. No level is computed for a row the reader does not
    get."""
    share, total = _share(source)
    probed = _probe(source, share * total)
    if probed is not None:
        levels = levels_of(source.model, user, {key for _row, key in probed}, level)
        rows = [(row, key, levels[key][0]) for row, key in probed if key in levels]
        rows.sort(key=lambda r: (levels[r[1]][1], r[1], r[0]), reverse=True)
        return _Matches(rows[:CANDIDATES], bounded=len(rows) > CANDIDATES)
    parse = share > PARSE_ABOVE
    found: list[tuple[int, int, int]] = []
    wanted = CANDIDATES / max(share, 1e-6) * 1.25
    offset, size = 0, int(min(max(wanted, WALK_FIRST), WALK_FIRST_MOST, WALK_MOST))
    while True:
        page = newest_visible_levels(source.model, user, level, offset=offset, limit=size)
        if page:
            position = {key: n for n, (key, _level) in enumerate(page)}
            level_of = dict(page)
            hits = _matching_in(source, [key for key, _level in page], parse)
            hits.sort(key=lambda h: (position[h[1]], -h[0]))
            found.extend((row, key, level_of[key]) for row, key in hits)
        if len(found) >= CANDIDATES:
            return _Matches(found[:CANDIDATES], bounded=True)
        if len(page) < size:
            return _Matches(found)
        offset += size
        if offset >= WALK_MOST:
            return _Matches(found, partial=True)
        size = min(size * 2, WALK_MOST - offset)


def _text_source(model: type[Any], table: str, key: str, parts: list[str]) -> _Source:
    condition = text.matches_parts(table, parts)
    return _Source(model, table, "id", key, condition.sql, tuple(condition.params), len(parts))


def _ranks(table: str, prefixes: str, ids: list[int]) -> dict[int, float]:
    """The rank of the rows ``ids``: ``ts_rank`` of the query's stems as word prefixes over
    each row's words (``text.quick_rank_sql``: one cheap parse of the text, not four
    stemmers; the rows are known to match already)."""
    if not ids or not prefixes:
        return {}
    sql = f'SELECT "id", {text.quick_rank_sql(table)} FROM "{table}" WHERE "id" = ANY(%s)'  # noqa: S608 # nosec B608 - constant SQL, values are parameters
    with connection.cursor() as cursor:
        cursor.execute(sql, [prefixes, ids])
        return {int(pk): float(value) for pk, value in cursor.fetchall()}


def _records(model: type[Any], levels: dict[int, int]) -> dict[int, Any]:
    """The records ``levels`` names, each with the reader's ``access_level`` (already known)."""
    found = model.objects.filter(pk__in=list(levels)).select_related("owner_agency")
    for record in found:
        record.access_level = levels[record.pk]
    return {record.pk: record for record in found}


class _Search:
    """The text branches of one search, and what bounded them."""

    def __init__(self, user: Any, q: str) -> None:
        self.user = user
        self.q = q
        with connection.cursor() as cursor:
            self.parts = text.query_parts(cursor, q)
            self.stems = text.stems(cursor, text.words_of(q))
        self.prefixes = text.prefix_query(self.stems)
        self.truncated = False
        self.bounded = False
        self.partial = False

    def matches(self, source: _Source, level: int) -> list[tuple[int, int, int]]:
        found = _visible_matches(self.user, source, level)
        self.bounded |= found.bounded
        self.partial |= found.partial
        return found.rows

    def records(self, model: type[Any], table: str) -> list[tuple[Any, float]]:
        """The best-ranked ``LIMIT`` records of ``model`` whose own text matches."""
        if not self.parts:  # stop words only
            return []
        rows = self.matches(_text_source(model, table, "id", self.parts), Level.SUMMARY)
        ranks = _ranks(table, self.prefixes, [row for row, _key, _level in rows])
        newest = {key: n for n, (_row, key, _level) in enumerate(rows)}
        best = sorted(newest, key=lambda key: (-ranks.get(key, 0.0), newest[key]))
        self.truncated |= len(best) > LIMIT
        best = best[:LIMIT]
        kept = set(best)
        levels = {key: found for _row, key, found in rows if key in kept}
        by_id = _records(model, levels)
        return [(by_id[key], ranks.get(key, 0.0)) for key in best if key in by_id]

    def entities(
        self, model: type[Any], label: str, fields: tuple[str, ...]
    ) -> list[tuple[int, int, float, str, str]]:
        """(seizure, level, rank, label, shown) of the best-ranked matching entities."""
        table = model._meta.db_table
        if not self.parts:
            return []
        rows = self.matches(
            _text_source(SeizureReport, table, "seizure_id", self.parts), Level.SUMMARY
        )
        ranks = _ranks(table, self.prefixes, [row for row, _key, _level in rows])
        newest = {row: n for n, (row, _key, _level) in enumerate(rows)}
        best = sorted(newest, key=lambda row: (-ranks.get(row, 0.0), newest[row]))
        self.truncated |= len(best) > LIMIT
        best = best[:LIMIT]
        shown = {
            values[0]: " ".join(str(v) for v in values[1:] if v)
            for values in model.objects.filter(pk__in=best).values_list("pk", *fields)
        }
        where = {row: (key, found) for row, key, found in rows}
        return [
            (where[row][0], where[row][1], ranks.get(row, 0.0), label, shown.get(row, ""))
            for row in best
        ]


def _text_results(user: Any, query: Query) -> tuple[list[Result], bool, bool, bool]:
    """Text results, whether more matched than are shown, whether the ranked candidates were
    cut at ``CANDIDATES``, whether a walk stopped at ``WALK_MOST`` records."""
    q = query.q.strip()
    run = _Search(user, q)
    results: list[Result] = []

    for case, rank in run.records(Case, "cases_case"):
        results.append(
            Result(
                "case",
                case,
                rank,
                [str(_("reference, title or summary"))],
                str(case.summary or "")[:200],
                "case",
            )
        )

    for seizure, rank in run.records(SeizureReport, "cases_seizurereport"):
        results.append(
            Result(
                "seizure",
                seizure,
                rank,
                [str(_("reference, place, concealment or summary"))],
                str(seizure.concealment or seizure.summary or "")[:200],
                "seizure",
            )
        )

    entity_hits: list[tuple[int, int, float, str, str]] = []
    entities: list[tuple[type[Any], str, tuple[str, ...]]] = [
        (Organisation, str(_("organisation")), ("name", "registration_number")),
        (Vessel, str(_("vessel")), ("name", "vessel_type")),
        (Vehicle, str(_("vehicle")), ("description",)),
        (Flight, str(_("flight")), ("designator",)),
    ]
    for model, label, fields in entities:
        entity_hits.extend(run.entities(model, label, fields))
    if entity_hits:
        by_id = _records(SeizureReport, {hit[0]: hit[1] for hit in entity_hits})
        for seizure_id, _level, rank, label, shown in entity_hits:
            seizure = by_id.get(seizure_id)
            if seizure is not None:
                results.append(
                    Result("seizure", seizure, rank, [f"{label}: {shown}"], "", "entity")
                )

    terms = [[message_index.digest(stem) for stem in stems] for stems in run.stems if stems]
    if terms:
        condition = " AND ".join(["terms && %s::varchar(16)[]"] * len(terms))
        source = _Source(
            Case, "insight_messageterms", "message_id", "case_id", condition, tuple(terms), 1
        )
        found = sorted(run.matches(source, Level.CONTRIBUTE), key=lambda m: -m[0])
        run.truncated |= len(found) > LIMIT
        found = found[:LIMIT]
        if found:
            from cases.models import CaseMessage

            bodies = dict(
                CaseMessage.objects.filter(pk__in=[m for m, _c, _l in found]).values_list(
                    "pk", "body"
                )
            )
            cases_by_id = _records(Case, {c: found_level for _m, c, found_level in found})
            for message_id, case_id, _level in found:
                case = cases_by_id.get(case_id)
                if case is None:
                    continue
                results.append(
                    Result(
                        "case",
                        case,
                        MESSAGE_RANK,
                        [str(_("message"))],
                        str(bodies.get(message_id, ""))[:200],
                        "message",
                    )
                )
    return results, run.truncated, run.bounded, run.partial


def _merge(results: Iterable[Result]) -> list[Result]:
    """One result per record: the best rank, every reason it matched."""
    merged: dict[tuple[str, int], Result] = {}
    for result in results:
        kept = merged.get(result.key)
        if kept is None:
            merged[result.key] = result
            continue
        for reason in result.matched:
            if reason not in kept.matched:
                kept.matched.append(reason)
        if result.rank > kept.rank:
            kept.rank, kept.source = result.rank, result.source
        kept.snippet = kept.snippet or result.snippet
    return sorted(
        merged.values(),
        key=lambda r: (-r.rank, -r.record.created_at.timestamp(), -r.record.pk),
    )


def search(user: Any, query: Query) -> Outcome:
    """Results the reader may see, ranked, and pointers to matching records they may not."""
    outcome = Outcome(query=query)
    if query.empty or principals_of(user).is_nobody:
        return outcome
    found = _identifier_matches(user, query, outcome)
    if not query.kind:
        text_results, truncated, bounded, partial = _text_results(user, query)
        found += text_results
        outcome.truncated = truncated
        outcome.ranked_among = CANDIDATES if bounded else 0
        outcome.walked = WALK_MOST if partial else 0
    merged = _merge(found)
    outcome.truncated |= len(merged) > LIMIT
    outcome.results = merged[:LIMIT]
    return outcome
