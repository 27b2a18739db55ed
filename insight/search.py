"""Search across everything a reader may see, and pointers to what they may not.

- **Text**: PostgreSQL full-text search in English, Spanish, French and Portuguese
  (``insight.text``) over cases (reference, title, summary), seizure reports (reference, place,
  UN/LOCODE, concealment, summary) and non-personal entities (organisations, vessels, vehicle
  descriptions, flights), each read through the access door at *summary*; and over case
  messages, which are encrypted, through their keyed stems (``insight.messages``), only in
  cases the reader sees at *contribute* (the level that reads messages). Ranked by
  ``ts_rank``.
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

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core import signing
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
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
from insight.models import MessageTerms
from portal.countries import COUNTRIES
from portal.crypto import blind_index
from sharing.access import principals_of, visible_cases, visible_seizures, with_access_level
from sharing.models import Level

Kind = Identifier.Kind
LIMIT = 50
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


def _text_results(user: Any, query: Query) -> tuple[list[Result], bool]:
    q = query.q.strip()
    truncated = False
    results: list[Result] = []

    cases = list(
        _levelled(visible_cases(user, Level.SUMMARY).filter(text.matches("cases_case", q)), user)
        .annotate(rank=text.rank("cases_case", q))
        .select_related("owner_agency")
        .order_by("-rank", "-created_at", "-id")[: LIMIT + 1]
    )
    truncated |= len(cases) > LIMIT
    for case in cases[:LIMIT]:
        results.append(
            Result(
                "case",
                case,
                float(case.rank),
                [str(_("reference, title or summary"))],
                str(case.summary or "")[:200],
                "case",
            )
        )

    seizures = list(
        _levelled(
            visible_seizures(user, Level.SUMMARY).filter(text.matches("cases_seizurereport", q)),
            user,
        )
        .annotate(rank=text.rank("cases_seizurereport", q))
        .select_related("owner_agency")
        .order_by("-rank", "-created_at", "-id")[: LIMIT + 1]
    )
    truncated |= len(seizures) > LIMIT
    for seizure in seizures[:LIMIT]:
        results.append(
            Result(
                "seizure",
                seizure,
                float(seizure.rank),
                [str(_("reference, place, concealment or summary"))],
                str(seizure.concealment or seizure.summary or "")[:200],
                "seizure",
            )
        )

    entity_hits: list[tuple[int, float, str, str]] = []  # seizure, rank, label, shown
    entities: list[tuple[type[Any], str, tuple[str, ...]]] = [
        (Organisation, str(_("organisation")), ("name", "registration_number")),
        (Vessel, str(_("vessel")), ("name", "vessel_type")),
        (Vehicle, str(_("vehicle")), ("description",)),
        (Flight, str(_("flight")), ("designator",)),
    ]
    visible = visible_seizures(user, Level.SUMMARY).values("pk")
    for model, label, fields in entities:
        table = model._meta.db_table
        rows = list(
            model.objects.filter(text.matches(table, q), seizure_id__in=visible)
            .annotate(rank=text.rank(table, q))
            .order_by("-rank", "-id")
            .values_list("seizure_id", "rank", *fields)[: LIMIT + 1]
        )
        truncated |= len(rows) > LIMIT
        for row in rows[:LIMIT]:
            shown = " ".join(str(v) for v in row[2:] if v)
            entity_hits.append((row[0], float(row[1]), label, shown))
    if entity_hits:
        by_id = {
            s.pk: s
            for s in _levelled(
                SeizureReport.objects.filter(pk__in={hit[0] for hit in entity_hits}), user
            ).select_related("owner_agency")
        }
        for seizure_id, rank, label, shown in entity_hits:
            seizure = by_id.get(seizure_id)
            if seizure is None or int(seizure.access_level) < Level.SUMMARY:
                continue
            results.append(Result("seizure", seizure, rank, [f"{label}: {shown}"], "", "entity"))

    terms = message_index.query_terms(q)
    if terms:
        contributing = visible_cases(user, Level.CONTRIBUTE).values("pk")
        condition = Q()
        for alternatives in terms:
            condition &= Q(terms__overlap=alternatives)
        found = list(
            MessageTerms.objects.filter(condition, case_id__in=contributing)
            .select_related("message")
            .order_by("-message__created_at", "-message_id")
            .values_list("case_id", "message_id")[: LIMIT + 1]
        )
        truncated |= len(found) > LIMIT
        found = found[:LIMIT]
        if found:
            from cases.models import CaseMessage

            bodies = dict(
                CaseMessage.objects.filter(pk__in=[m for _c, m in found]).values_list("pk", "body")
            )
            cases_by_id = {
                c.pk: c
                for c in _levelled(
                    Case.objects.filter(pk__in={c for c, _m in found}), user
                ).select_related("owner_agency")
            }
            for case_id, message_id in found:
                case = cases_by_id.get(case_id)
                if case is None or int(case.access_level) < Level.CONTRIBUTE:
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
    return results, truncated


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
        text_results, truncated = _text_results(user, query)
        found += text_results
        outcome.truncated = truncated
    merged = _merge(found)
    outcome.truncated |= len(merged) > LIMIT
    outcome.results = merged[:LIMIT]
    return outcome
