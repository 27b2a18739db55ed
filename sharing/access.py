"""The access door: which records a user may see, and at which level (DESIGN §2).

Every list, page, API endpoint, search, export, chart and notification reads cases and
seizure reports through this module and nothing else:

- ``visible_cases(user, level)`` / ``visible_seizures(user, level)``: a QuerySet of what
  the user may see at ``level`` or above, one SQL statement, usable with any filter;
- ``newest_visible(...)`` / ``count_visible(...)``: page 1 (and any page) and a capped count
  of the same set, newest first, read in index order from each source and combined with
  UNION ALL, so a heavy receiver costs what a light one does; ``newest_visible_levels``: the
  ids and levels of such a page without reading the records;
- ``levels_of(model, user, ids, level)``: of a few given records, those visible at ``level``
  with the user's level on each;
- ``get_visible_or_404(user, model, level, **lookup)``: one record with its
  ``access_level``, or ``Http404`` — never 403, so existence is not disclosed.

Sources of visibility, each indexed for "newest first":
owner agency (level OWNER), TLP:CLEAR (level FULL for every agency on the portal), the
guardian direct-FK rows of active grants to the user's agency group, active team groups, or
the user (level as granted, until ``expires_at``). A seizure report is also reached through a
grant on its case when it is marked no stricter than the case: the database keeps a row per
(case grant, report) for that (``SeizureCaseGroupAccess`` / ``SeizureCaseUserAccess``), read
like every other source. Platform admins are members of the operator agency: same rules.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any, Literal, TypeVar, cast

from django.db import connection
from django.db.models import (
    Case as When_,
)
from django.db.models import (
    Exists,
    F,
    IntegerField,
    Model,
    OuterRef,
    Q,
    QuerySet,
    SmallIntegerField,
    Subquery,
    Value,
    When,
)
from django.db.models.expressions import Expression, RawSQL
from django.db.models.functions import Cast, Coalesce, Greatest
from django.db.models.sql.constants import INNER
from django.http import Http404
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from cases.markings import Tlp
from cases.models import Case, SeizureReport
from portal import prepared
from sharing.models import (
    CaseGroupAccess,
    CaseUserAccess,
    Level,
    SeizureCaseGroupAccess,
    SeizureCaseUserAccess,
    SeizureGroupAccess,
    SeizureUserAccess,
)

M = TypeVar("M", bound=Model)
Filter = Callable[[QuerySet[Any]], QuerySet[Any]]

COUNT_CAP = 10_000
# A filtered list is driven from the records matching the filter (each tested for visibility)
# rather than from the reader's sources when the planner expects fewer matching records than
# source rows, and at most this many: beyond it a filter-first count would test too many.
FILTER_FIRST_MAX = 150_000
Drive = Literal["auto", "door", "records"]
CLEAR_LEVEL = Level.FULL  # what every agency sees of a TLP:CLEAR record without a grant
TLP_ORDER = [Tlp.CLEAR, Tlp.GREEN, Tlp.AMBER, Tlp.AMBER_STRICT, Tlp.RED]


def no_stricter_than_case() -> Q:
    """Seizure reports marked no stricter than their case: a grant on a case reaches these.

    A seizure report marked stricter than its case (say RED inside an AMBER case) needs its
    own grant, so a case grant never carries a record past the TLP and trust rules. The
    database applies the same rule when it writes the case-reach rows (sharing_tlp_rank,
    sharing/migrations/0002); tests compare the two.
    """
    condition = Q()
    for rank, case_tlp in enumerate(TLP_ORDER):
        condition |= Q(case__tlp=case_tlp, tlp__in=TLP_ORDER[: rank + 1])
    return condition


@dataclass(frozen=True)
class Principals:
    """Who a user is for access purposes: their agency, and the groups they act through."""

    user_id: int
    agency_id: int | None
    group_ids: tuple[int, ...]

    @property
    def is_nobody(self) -> bool:
        return self.agency_id is None


NOBODY = Principals(user_id=0, agency_id=None, group_ids=())


def principals_of(user: Any) -> Principals:
    """The user's agency and groups (agency group + groups of teams active today that count
    the user or the user's agency as members). One query, cached on the user object."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return NOBODY
    cached = getattr(user, "_enlace_principals", None)
    if cached is not None:
        return cached
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT a.id, a.group_id, m.locked_at IS NOT NULL,
                   ARRAY(
                       SELECT t.group_id FROM agencies_team t
                       WHERE t.active_from <= %(today)s
                         AND (t.active_until IS NULL OR t.active_until >= %(today)s)
                         AND (EXISTS (SELECT 1 FROM agencies_team_users tu
                                      WHERE tu.team_id = t.id AND tu.user_id = %(user)s)
                              OR EXISTS (SELECT 1 FROM agencies_team_agencies ta
                                         WHERE ta.team_id = t.id AND ta.agency_id = a.id))
                       ORDER BY t.group_id
                   )
            FROM agencies_membership m JOIN agencies_agency a ON a.id = m.agency_id
            WHERE m.user_id = %(user)s AND a.active
            """,
            {"user": user.pk, "today": timezone.localdate()},
        )
        row = cursor.fetchone()
    if row is None or row[2]:
        found = Principals(user_id=user.pk, agency_id=None, group_ids=())
    else:
        found = Principals(user_id=user.pk, agency_id=row[0], group_ids=(row[1], *row[3]))
    user._enlace_principals = found
    return found


def principals_of_agencies(agency_ids: Iterable[int]) -> dict[int, Principals]:
    """What each agency as a whole sees through: its group and the groups of teams active
    today that count the agency as a member (no one person's own grants). One query. Used
    where the question is "may this agency already see that record", e.g. deconfliction hits.
    """
    ids = sorted(set(agency_ids))
    if not ids:
        return {}
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT a.id, a.group_id,
                   ARRAY(
                       SELECT t.group_id FROM agencies_team t
                       JOIN agencies_team_agencies ta ON ta.team_id = t.id
                       WHERE ta.agency_id = a.id AND t.active_from <= %(today)s
                         AND (t.active_until IS NULL OR t.active_until >= %(today)s)
                       ORDER BY t.group_id
                   )
            FROM agencies_agency a WHERE a.id = ANY(%(agencies)s)
            """,
            {"agencies": ids, "today": timezone.localdate()},
        )
        rows = cursor.fetchall()
    return {
        agency: Principals(user_id=0, agency_id=agency, group_ids=(group, *teams))
        for agency, group, teams in rows
    }


def principals_of_agency(agency_id: int) -> Principals:
    return principals_of_agencies([agency_id]).get(agency_id, NOBODY)


def forget_principals(user: Any) -> None:
    """Call after changing a user's agency, lock or teams within the same request."""
    if hasattr(user, "_enlace_principals"):
        del user._enlace_principals


# --- building blocks ------------------------------------------------------------------------


def _live(prefix: str = "", now: datetime | None = None) -> Q:
    now = now or timezone.now()
    return Q(**{f"{prefix}expires_at__isnull": True}) | Q(**{f"{prefix}expires_at__gt": now})


@dataclass(frozen=True)
class _Spec:
    model: type[Model]
    group_rows: type[Model]
    user_rows: type[Model]
    group_rel: str  # reverse accessor from the record to its group rows
    user_rel: str
    # rows of the records a grant on another record reaches (a seizure report in a case)
    reach_group_rows: type[Model] | None = None
    reach_user_rows: type[Model] | None = None
    reach_group_rel: str = ""
    reach_user_rel: str = ""


_CASE = _Spec(Case, CaseGroupAccess, CaseUserAccess, "group_access", "user_access")
_SEIZURE = _Spec(
    SeizureReport,
    SeizureGroupAccess,
    SeizureUserAccess,
    "group_access",
    "user_access",
    SeizureCaseGroupAccess,
    SeizureCaseUserAccess,
    "case_group_access",
    "case_user_access",
)


@dataclass(frozen=True)
class _Branch:
    """One source of visibility, newest first, with the level it gives.

    ``records`` is the source as a queryset of the record model (what a filter applies to);
    ``created``/``tiebreak`` name its ordering columns, which follow an index, and ``level`` is
    the level this source gives each row (``None``: only ``_level_expression`` knows it).
    ``narrow`` is the same rows read from one index alone — its id and creation columns in
    ``narrow_fields``, its level in ``narrow_level`` — used when no filter needs the record's
    columns: an index-only scan with no join."""

    records: QuerySet[Any]
    level: Any
    created: str = "created_at"
    tiebreak: str = "id"
    narrow: QuerySet[Any] | None = None
    narrow_fields: tuple[str, str] = ("id", "created_at")
    narrow_level: Any = None


def _level_constant(value: int) -> Cast:
    # smallint like the access rows' level: the sources then line up without a conversion
    # step, which would hide their index order from the merge.
    return Cast(Value(int(value)), output_field=SmallIntegerField())


def _branches(spec: _Spec, p: Principals, level: int, now: datetime | None = None) -> list[_Branch]:
    """Each source of visibility of ``spec.model`` for ``p`` at ``level`` or above."""
    if p.is_nobody:
        return []
    model = spec.model
    owned = model._default_manager.filter(owner_agency_id=p.agency_id)
    owner_level = _level_constant(Level.OWNER)
    branches = [_Branch(owned, owner_level, narrow=owned, narrow_level=owner_level)]
    if level <= CLEAR_LEVEL:
        # The owner's own CLEAR records come twice (owner, CLEAR): the merge folds them. Not
        # excluding them here keeps this an index-only scan of the partial index.
        clear = model._default_manager.filter(tlp=Tlp.CLEAR)
        clear_level = _level_constant(CLEAR_LEVEL)
        branches.append(_Branch(clear, clear_level, narrow=clear, narrow_level=clear_level))
    granted: list[tuple[type[Model], str, str, int]] = [
        (spec.group_rows, spec.group_rel, "group_id", group_id) for group_id in p.group_ids
    ]
    granted.append((spec.user_rows, spec.user_rel, "user_id", p.user_id))
    if spec.reach_group_rows is not None and spec.reach_user_rows is not None:
        # A grant on a case reaches the seizure reports inside it marked no stricter.
        granted.extend(
            (spec.reach_group_rows, spec.reach_group_rel, "group_id", group_id)
            for group_id in p.group_ids
        )
        granted.append((spec.reach_user_rows, spec.reach_user_rel, "user_id", p.user_id))
    for rows, rel, column, who in granted:
        live = Q(**{column: who, "level__gte": level}) & _live(now=now)
        wide = Q(**{f"{rel}__{column}": who, f"{rel}__level__gte": level}) & _live(f"{rel}__", now)
        branches.append(
            _Branch(
                model._default_manager.filter(wide),
                F(f"{rel}__level"),
                created=f"{rel}__created",
                tiebreak=f"{rel}__content_object_id",
                narrow=rows._default_manager.filter(live),
                narrow_fields=("content_object_id", "created"),
                narrow_level=F("level"),
            )
        )
    return branches


def _is_noop(filter_fn: Filter | None, model: type[Model]) -> bool:
    """True when ``filter_fn`` leaves a queryset as it was (e.g. a filter form left empty)."""
    if filter_fn is None:
        return True
    base = model._default_manager.all()
    query = filter_fn(base).query
    return (
        not query.where.children
        and len(query.alias_map) <= 1
        and not query.distinct
        and not query.annotations
        and query.low_mark == 0
        and query.high_mark is None
        and not query.extra
        and not query.extra_tables
    )


def _branch_sql(
    branch: _Branch, filter_fn: Filter | None, limit: int | None, with_level: bool
) -> tuple[str, list[Any]]:
    """``SELECT record id, created[, level]`` of one source, newest first, cut at ``limit``."""
    if filter_fn is None and branch.narrow is not None:
        qs = branch.narrow
        (ident, created), tiebreak = branch.narrow_fields, branch.narrow_fields[0]
        level = branch.narrow_level
    else:
        qs = filter_fn(branch.records) if filter_fn is not None else branch.records
        ident, created, tiebreak = "id", branch.created, branch.tiebreak
        level = branch.level
    fields = [ident, created]
    if with_level:
        # No level known here: the page annotates these rows' level itself.
        qs = qs.annotate(vlevel=level if level is not None else _level_constant(Level.NONE))
        fields.append("vlevel")
    qs = qs.values_list(*fields)
    qs = qs.order_by(f"-{created}", f"-{tiebreak}")[:limit] if limit is not None else qs.order_by()
    sql, params = qs.query.sql_with_params()
    return f"({sql})", list(params)


# Compiling a dozen querysets costs a request milliseconds of Python. Without a filter the
# sources' SQL depends only on the model, the level, the number of groups and the cut, so it
# is compiled once, for a stand-in reader whose ids and clock are recognisable, and reused
# with the real reader's values in their places.
_STAND_IN = 7_000_000_000_000  # ids no table reaches
_STAND_IN_NOW = datetime(2999, 1, 1, tzinfo=UTC)

Template = tuple[tuple[str, tuple[tuple[str, Any], ...]], ...]


@lru_cache(maxsize=512)
def _narrow_template(
    spec: _Spec, level: int, groups: int, limit: int | None, with_level: bool
) -> Template | None:
    stand_in = Principals(
        user_id=_STAND_IN,
        agency_id=_STAND_IN + 1,
        group_ids=tuple(_STAND_IN + 2 + n for n in range(groups)),
    )
    branches = _branches(spec, stand_in, level, now=_STAND_IN_NOW)
    if any(branch.narrow is None for branch in branches):
        return None
    template = []
    for branch in branches:
        sql, params = _branch_sql(branch, None, limit, with_level)
        roles: list[tuple[str, Any]] = []
        constants: list[Any] = []
        for value in params:
            if isinstance(value, datetime) and value == _STAND_IN_NOW:
                roles.append(("now", None))
                constants.append(None)
            elif isinstance(value, int) and value >= _STAND_IN:
                roles.append(("principal", value - _STAND_IN))
                constants.append(None)
            else:
                constants.append(value)
        template.append((_with_constants(sql, constants), tuple(roles)))
    return tuple(template)


def _literal(value: Any) -> str:
    """``value`` written into SQL: the few constants a source has (a TLP, a level)."""
    if isinstance(value, bool) or not isinstance(value, (int, str)):
        raise TypeError(f"no literal for {value!r}")
    if isinstance(value, int):
        return str(int(value))
    if not value.isascii() or not value.replace("_", "").replace("+", "").isalnum():
        raise TypeError(f"no literal for {value!r}")
    return f"'{value}'"


def _with_constants(sql: str, constants: list[Any]) -> str:
    """``sql`` with the parameters that are the same for every reader (``constants``: a value,
    or ``None`` for a reader's id or the clock) written in as literals.

    The door's statements are planned once per connection (``portal/prepared.py``); a plan
    made for a parameter cannot use an index whose predicate names a value — the TLP:CLEAR
    source's partial index (``tlp = 'CLEAR'``) — and for seizure reports, which have no other
    index on their TLP, the generic plan read the whole creation-time index instead (page 1:
    1.2 ms → 140 ms). Written in, the constant is part of the statement, as when Django sent
    it with its values inlined."""
    parts = sql.split("%s")
    if len(parts) != len(constants) + 1:
        raise ValueError("placeholders and parameters do not line up")
    out = [parts[0]]
    for constant, rest in zip(constants, parts[1:], strict=True):
        out.append("%s" if constant is None else _literal(constant))
        out.append(rest)
    return "".join(out)


def _fill(template: Template, p: Principals) -> list[tuple[str, list[Any]]]:
    now = timezone.now()
    ids = (p.user_id, p.agency_id, *p.group_ids)
    return [
        (sql, [now if role == "now" else ids[arg] for role, arg in roles])
        for sql, roles in template
    ]


def _sources_sql(
    spec: _Spec,
    p: Principals,
    level: int,
    filter_fn: Filter | None,
    limit: int | None,
    with_level: bool = True,
) -> tuple[list[tuple[str, list[Any]]], bool]:
    """Each source's SQL and parameters, and whether every source knows the level it gives."""
    if _is_noop(filter_fn, spec.model):
        filter_fn = None
    if p.is_nobody:
        return [], True
    if filter_fn is None:
        template = _narrow_template(spec, int(level), len(p.group_ids), limit, with_level)
        if template is not None:
            return _fill(template, p), True
    branches = _branches(spec, p, level)
    sources = [_branch_sql(branch, filter_fn, limit, with_level) for branch in branches]
    return sources, all(b.level is not None for b in branches)


def _union_of(sources: list[tuple[str, list[Any]]], with_level: bool) -> tuple[str, list[Any]]:
    """The sources side by side as ``u(vid, vcreated[, vlevel])``: a FROM item."""
    columns = "vid, vcreated, vlevel" if with_level else "vid, vcreated"
    empty = "NULL::bigint, NULL::timestamptz" + (", NULL::smallint" if with_level else "")
    parts = [sql for sql, _ in sources] or [f"(SELECT {empty} WHERE FALSE)"]
    params = [param for _, source_params in sources for param in source_params]
    return f"({' UNION ALL '.join(parts)}) AS u ({columns})", params


def _union(
    spec: _Spec, p: Principals, level: int, filter_fn: Filter | None, limit: int | None
) -> tuple[str, list[Any], bool]:
    """The sources cut at ``limit`` as one FROM item, its parameters, and whether ``vlevel``
    is the reader's level on every row."""
    sources, carries_levels = _sources_sql(spec, p, level, filter_fn, limit)
    union, params = _union_of(sources, with_level=True)
    return union, params, carries_levels


def _visible_ids(spec: _Spec, p: Principals, level: int) -> QuerySet[Any]:
    union, params, _ = _union(spec, p, level, None, None)
    return _pk_in(spec.model, f"SELECT vid FROM {union}", params)  # noqa: S608 # nosec B608


def _pk_in(model: type[Model], ids_sql: str, params: list[Any]) -> QuerySet[Any]:
    # The SQL is compiled by the ORM from the branch querysets; values stay parameters.
    return model._default_manager.filter(pk__in=RawSQL(ids_sql, params))  # noqa: S611 # nosec B611


def _page_sql(
    spec: _Spec,
    p: Principals,
    level: int,
    filter_fn: Filter | None,
    offset: int,
    limit: int,
    drive: Drive = "auto",
) -> tuple[str, list[Any], bool]:
    """``(vid, vcreated, vlevel)`` of positions ``offset .. offset+limit``, newest first.

    Every source is ordered like its index and cut at ``offset+limit``; ``DISTINCT ON`` keeps
    one row per record (the highest level: a record reached through two sources comes twice,
    with the same created and id), always on sorted input, never hashed; the cost follows the
    page, not the size of the visible set. A selective filter is read the other way round
    (``_records_page_sql``)."""
    if _drives_from_records(spec, p, level, filter_fn, drive):
        sql, params = _records_page_sql(spec, p, level, cast("Filter", filter_fn), offset, limit)
        return sql, params, True
    union, params, carries_levels = _union(spec, p, level, filter_fn, offset + limit)
    sql = (
        f"SELECT DISTINCT ON (vcreated, vid) vid, vcreated, vlevel FROM {union} "  # noqa: S608 # nosec B608
        f"ORDER BY vcreated DESC, vid DESC, vlevel DESC LIMIT {int(limit)} OFFSET {int(offset)}"
    )
    return sql, params, carries_levels


def _count_sql(
    spec: _Spec,
    p: Principals,
    level: int,
    filter_fn: Filter | None,
    cap: int,
    drive: Drive = "auto",
) -> tuple[str, list[Any]]:
    """How many distinct records, counting at most ``cap + 1``.

    First, grant source by grant source (that is where a regional body's hundreds of
    thousands are), whether one alone holds more than ``cap``: then the answer is "more than
    cap" after reading ``cap + 1`` index entries of it, and nothing else runs (PostgreSQL
    evaluates the later tests and the count only when it reaches them). Otherwise all the
    sources, each cut at ``cap + 1``, are counted, a record reached twice counted once. A
    selective filter is counted from its matching records (``_records_count_sql``)."""
    if _drives_from_records(spec, p, level, filter_fn, drive):
        return _records_count_sql(spec, p, level, cast("Filter", filter_fn), cap)
    sources, _ = _sources_sql(spec, p, level, filter_fn, cap + 1, with_level=False)
    first = 2 if level <= CLEAR_LEVEL else 1  # owner[, CLEAR] come first in _branches
    granted = sources[first:]
    tests = [
        f"(SELECT count(*) FROM {sql} AS source) > {int(cap)}"  # noqa: S608 # nosec B608
        for sql, _ in granted
    ]
    union, union_params = _union_of(sources, with_level=False)
    exact = f"(SELECT count(DISTINCT vid) FROM {union})"  # noqa: S608 # nosec B608
    if not tests:
        return f"SELECT {exact}", union_params
    sql = f"SELECT CASE WHEN {' OR '.join(tests)} THEN {int(cap) + 1} ELSE {exact} END"
    params = [param for _, source_params in granted for param in source_params]
    return sql, params + union_params


# --- selective filters: from the matching records -------------------------------------------
#
# With a filter, every source above joins the records table row by row in its index order;
# when few records match, it walks the reader's whole access index (a regional body's
# hundreds of thousands of rows) to find them. Then the list is read the other way round:
# the records matching the filter (through whatever index serves it: TLP newest first, the
# search box's trigrams), newest first, each tested for visibility by the same rules (owner,
# TLP:CLEAR, a live access row of the reader's groups or the reader, and for seizure reports
# the case-reach rows), with the same level. The planner's estimates choose: records first
# when fewer records are expected to match the filter than the reader has source rows, and
# at most ``FILTER_FIRST_MAX``. Both ways give the same rows (tests/scale/test_door_answers.py;
# the bench compares them too).


def _visible_condition(spec: _Spec, p: Principals, level: int) -> Q:
    """The record is visible to ``p`` at ``level`` or above (the sources of ``_branches``)."""
    now = timezone.now()
    condition = Q(owner_agency_id=p.agency_id)
    if level <= CLEAR_LEVEL:
        condition |= Q(tlp=Tlp.CLEAR)
    groups = Q(group_id__in=list(p.group_ids))
    user = Q(user_id=p.user_id)
    granted: list[tuple[type[Model], Q]] = [(spec.group_rows, groups), (spec.user_rows, user)]
    if spec.reach_group_rows is not None and spec.reach_user_rows is not None:
        granted += [(spec.reach_group_rows, groups), (spec.reach_user_rows, user)]
    for rows, who in granted:
        live = rows._default_manager.filter(
            who, _live(now=now), level__gte=level, content_object_id=OuterRef("pk")
        )
        condition |= Q(Exists(live))
    return condition


def _matching(spec: _Spec, filter_fn: Filter) -> QuerySet[Any]:
    return filter_fn(spec.model._default_manager.all())


def _plan(sql: str, params: list[Any]) -> dict[str, Any]:
    """The planner's plan of ``sql`` (planned, not run)."""
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", params)
        raw = cursor.fetchone()[0]
    return cast("dict[str, Any]", (json.loads(raw) if isinstance(raw, str) else raw)[0]["Plan"])


# A sequential scan of the records table costing more than this (planner units, about one
# per 8 kB page) means no index serves the filter: reading from the records would read the
# table, so the door's sources are read instead.
SCAN_COST_MAX = 10_000.0


def _scans_table(plan: dict[str, Any], table: str) -> bool:
    if (
        plan.get("Node Type") == "Seq Scan"
        and plan.get("Relation Name") == table
        and float(plan.get("Total Cost", 0)) > SCAN_COST_MAX
    ):
        return True
    return any(_scans_table(child, table) for child in plan.get("Plans", ()))


def _drives_from_records(
    spec: _Spec, p: Principals, level: int, filter_fn: Filter | None, drive: Drive
) -> bool:
    """Whether a filtered list is read from the records matching the filter: when an index
    serves the filter and fewer records are expected to match than the reader has source
    rows (and at most ``FILTER_FIRST_MAX``)."""
    if drive == "door" or p.is_nobody or _is_noop(filter_fn, spec.model):
        return False
    if drive == "records":
        return True
    matching = _matching(spec, cast("Filter", filter_fn)).values("pk")
    sql, params = matching.query.sql_with_params()
    plan = _plan(sql, list(params))
    expected = float(plan["Plan Rows"])
    if expected > FILTER_FIRST_MAX or _scans_table(plan, spec.model._meta.db_table):
        return False
    sources, _ = _sources_sql(spec, p, level, None, None, with_level=False)
    union, union_params = _union_of(sources, with_level=False)
    reader = _plan(f"SELECT vid FROM {union}", union_params)  # noqa: S608 # nosec B608
    return expected <= float(reader["Plan Rows"])


def _records_page_sql(
    spec: _Spec, p: Principals, level: int, filter_fn: Filter, offset: int, limit: int
) -> tuple[str, list[Any]]:
    """``(vid, vcreated, vlevel)`` of the page, from the records matching the filter."""
    rows = (
        _matching(spec, filter_fn)
        .filter(_visible_condition(spec, p, level))
        .annotate(vlevel=_level_expression(spec, p))
        .order_by("-created_at", "-id")
        .values_list("id", "created_at", "vlevel")[offset : offset + limit]
    )
    sql, params = rows.query.sql_with_params()
    return f"SELECT * FROM ({sql}) AS matching (vid, vcreated, vlevel)", list(params)  # noqa: S608 # nosec B608


def _records_count_sql(
    spec: _Spec, p: Principals, level: int, filter_fn: Filter, cap: int
) -> tuple[str, list[Any]]:
    """How many records matching the filter are visible, counting at most ``cap + 1``."""
    rows = (
        _matching(spec, filter_fn)
        .filter(_visible_condition(spec, p, level))
        .order_by()
        .values("pk")[: cap + 1]
    )
    sql, params = rows.query.sql_with_params()
    return f"SELECT count(*) FROM ({sql}) AS matching", list(params)  # noqa: S608 # nosec B608


class _PageJoin:
    """``INNER JOIN (<page SQL>) AS <alias> ON <alias>.vid = <record>.id`` in a QuerySet.

    Django cannot join a model to a derived table, so this object takes a place in
    ``Query.alias_map`` with the interface Django asks of its entries (``table_name``,
    ``table_alias``, ``join_type``, ``parent_alias``, ``as_sql``, ``relabeled_clone``): the
    page's rows are read once, with their level, and only they touch the records table."""

    join_type = INNER
    nullable = False
    filtered_relation = None

    table_name = "visible_page"

    def __init__(self, parent_alias: str, sql: str, params: list[Any], alias: str) -> None:
        self.parent_alias = parent_alias
        self.sql = sql
        self.params = params
        self.table_alias = alias

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, list[Any]]:
        qn = compiler.quote_name_unless_alias
        on = f"{qn(self.table_alias)}.vid = {qn(self.parent_alias)}.{qn('id')}"
        return f"INNER JOIN ({self.sql}) {qn(self.table_alias)} ON ({on})", list(self.params)

    def relabeled_clone(self, change_map: dict[str, str]) -> _PageJoin:
        return _PageJoin(
            change_map.get(self.parent_alias, self.parent_alias),
            self.sql,
            self.params,
            change_map.get(self.table_alias, self.table_alias),
        )

    @property
    def identity(self) -> tuple[Any, ...]:
        return (self.__class__, self.parent_alias, self.table_alias, self.sql, *self.params)

    def equals(self, other: object) -> bool:
        return isinstance(other, _PageJoin) and self.identity == other.identity

    def __eq__(self, other: object) -> bool:
        return self.equals(other)

    def __hash__(self) -> int:
        return hash(self.identity)

    def demote(self) -> _PageJoin:
        return self

    def promote(self) -> _PageJoin:
        return self


class _PageLevel(Expression):
    """The reader's level carried by the page's own rows (``<alias>.vlevel``)."""

    output_field = IntegerField()

    def __init__(self, alias: str) -> None:
        super().__init__()
        self.alias = alias

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, tuple[str | int, ...]]:
        return f"{compiler.quote_name_unless_alias(self.alias)}.vlevel", ()

    def relabeled_clone(self, change_map: Mapping[str, str]) -> _PageLevel:
        return _PageLevel(change_map.get(self.alias, self.alias))

    def get_group_by_cols(self) -> list[Any]:
        return [self]


def _joined_page(model: type[Model], sql: str, params: list[Any]) -> QuerySet[Any]:
    """``model`` rows of the page, each with ``access_level`` from the page's own rows."""
    queryset = model._default_manager.all()
    query = queryset.query
    base = query.get_initial_alias()
    alias = query.join(_PageJoin(base, sql, params, _PageJoin.table_name))  # type: ignore[arg-type]
    return queryset.annotate(access_level=_PageLevel(alias))


def _page_of(model: type[Model], rows: list[tuple[Any, ...]]) -> QuerySet[Any]:
    """``model`` rows of a page already read as ``(vid, vcreated, vlevel)``, each with its
    ``access_level``: looked up by primary key (one table to plan), the level picked from the
    page's levels by the id's position among the page's ids."""
    if not rows:
        return model._default_manager.none().annotate(
            access_level=Value(Level.NONE, output_field=IntegerField())
        )
    ids = [int(vid) for vid, _created, _level in rows]
    ids_array = "{" + ",".join(map(str, ids)) + "}"
    levels_array = "{" + ",".join(str(int(vlevel)) for _vid, _created, vlevel in rows) + "}"
    column = f'"{model._meta.db_table}"."id"'  # the model's own table; values are parameters
    level = RawSQL(  # noqa: S611 # nosec B611
        f"(%s::smallint[])[array_position(%s::bigint[], {column})]",
        [levels_array, ids_array],
        output_field=IntegerField(),
    )
    return model._default_manager.filter(pk__in=ids).annotate(access_level=level)


def _level_expression(spec: _Spec, p: Principals) -> Any:
    """SQL expression: the reader's level on each row (0 when none)."""
    if p.is_nobody:
        return Value(Level.NONE, output_field=IntegerField())

    def best(rows: type[Model], who: Q, ref: str = "pk") -> Any:
        return Coalesce(
            Subquery(
                rows._default_manager.filter(who, _live(), content_object_id=OuterRef(ref))
                .order_by("-level")
                .values("level")[:1],
                output_field=IntegerField(),
            ),
            Value(0),
        )

    groups = Q(group_id__in=list(p.group_ids))
    user = Q(user_id=p.user_id)
    parts = [
        When_(
            When(tlp=Tlp.CLEAR, then=Value(int(CLEAR_LEVEL))),
            default=Value(0),
            output_field=IntegerField(),
        ),
        best(spec.group_rows, groups),
        best(spec.user_rows, user),
    ]
    if spec.reach_group_rows is not None and spec.reach_user_rows is not None:
        parts.append(best(spec.reach_group_rows, groups))
        parts.append(best(spec.reach_user_rows, user))
    return When_(
        When(owner_agency_id=p.agency_id, then=Value(int(Level.OWNER))),
        default=Greatest(*parts),
        output_field=IntegerField(),
    )


def _spec_for(model: type[Model]) -> _Spec:
    if model is Case:
        return _CASE
    if model is SeizureReport:
        return _SEIZURE
    raise TypeError(f"{model.__name__} is not a shared record")


# --- the door ---------------------------------------------------------------------------------


def visible_cases(user: Any, level: int = Level.SUMMARY) -> QuerySet[Case]:
    return _visible_ids(_CASE, principals_of(user), level)


def visible_seizures(user: Any, level: int = Level.SUMMARY) -> QuerySet[SeizureReport]:
    return _visible_ids(_SEIZURE, principals_of(user), level)


def visible(model: type[M], user: Any, level: int = Level.SUMMARY) -> QuerySet[M]:
    return _visible_ids(_spec_for(model), principals_of(user), level)


def with_access_level(queryset: QuerySet[M], user: Any) -> QuerySet[M]:
    """Annotate ``access_level`` on each row (for rows already known to be visible)."""
    spec = _spec_for(queryset.model)
    annotated = queryset.annotate(access_level=_level_expression(spec, principals_of(user)))
    return cast("QuerySet[M]", annotated)


def access_level(user: Any, record: Case | SeizureReport) -> int:
    """The user's level on one record (``Level.NONE`` when it is not visible)."""
    spec = _spec_for(type(record))
    value = (
        spec.model._default_manager.filter(pk=record.pk)
        .annotate(access_level=_level_expression(spec, principals_of(user)))
        .values_list("access_level", flat=True)
        .first()
    )
    return int(value or Level.NONE)


def agency_levels(
    model: type[Model], ids: list[int], agency_ids: Iterable[int], *fields: str
) -> dict[int, dict[str, Any]]:
    """For each record of ``ids``: the level each agency of ``agency_ids`` as a whole has on
    it (its group and the groups of its teams active today, as ``principals_of_agencies``;
    ``Level.NONE`` for none), keyed by agency id, plus the record's own ``fields``.

    One statement, written out rather than built from ORM expressions (one level expression
    per agency made the deconfliction decision spend most of its time compiling queries):
    every (record, agency) pair gets the owner's level, TLP:CLEAR's, or the best live row of
    the agency's groups among the record's access rows (and, for seizure reports, the rows of
    the case grants that reach them)."""
    agencies = sorted(set(agency_ids))
    if not ids:
        return {}
    spec = _spec_for(model)
    records = (
        spec.model._default_manager.filter(pk__in=ids)
        .order_by()
        .values_list("pk", "tlp", "owner_agency_id", *fields)
    )
    records_sql, records_params = records.query.sql_with_params()
    field_columns = [f"f{i}" for i in range(len(fields))]
    tables = [spec.group_rows._meta.db_table]
    if spec.reach_group_rows is not None:
        tables.append(spec.reach_group_rows._meta.db_table)
    now = timezone.now()
    granted = ", ".join(
        f"COALESCE((SELECT max(x.level) FROM {table} x WHERE x.content_object_id = r.id "  # noqa: S608 # nosec B608
        "AND x.group_id = ANY(a.group_ids) AND (x.expires_at IS NULL OR x.expires_at > %s)), 0)"
        for table in tables
    )
    sql = f"""
        WITH a AS (
            SELECT g.id AS agency_id, g.group_id || ARRAY(
                SELECT t.group_id FROM agencies_team t
                JOIN agencies_team_agencies ta ON ta.team_id = t.id
                WHERE ta.agency_id = g.id AND t.active_from <= %s
                  AND (t.active_until IS NULL OR t.active_until >= %s)
            ) AS group_ids
            FROM agencies_agency g WHERE g.id = ANY(%s)
        ), r (id, tlp, owner_agency_id{"".join(", " + c for c in field_columns)}) AS (
            {records_sql}
        )
        SELECT r.*, a.agency_id,
               CASE WHEN r.owner_agency_id = a.agency_id THEN %s
                    ELSE GREATEST(CASE WHEN r.tlp = %s THEN %s ELSE 0 END, {granted}) END
        FROM r LEFT JOIN a ON true
    """  # noqa: S608 # nosec B608 - table names from the models, values as parameters
    today = timezone.localdate()
    params: list[Any] = [today, today, agencies, *records_params]
    params += [int(Level.OWNER), Tlp.CLEAR, int(CLEAR_LEVEL), *([now] * len(tables))]
    found: dict[int, dict[str, Any]] = {}
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for row in cursor.fetchall():
            pk, values, agency, level = row[0], row[3 : 3 + len(fields)], row[-2], row[-1]
            entry = found.setdefault(
                int(pk), {"levels": {}, **dict(zip(fields, values, strict=True))}
            )
            if agency is not None:
                entry["levels"][int(agency)] = int(level or Level.NONE)
    return found


def get_visible_or_404(
    user: Any, model_or_queryset: type[M] | QuerySet[M], level: int = Level.SUMMARY, **lookup: Any
) -> M:
    """The record, with ``access_level`` set, if the user may see it at ``level``; else 404."""
    queryset = (
        model_or_queryset
        if isinstance(model_or_queryset, QuerySet)
        else model_or_queryset._default_manager.all()
    )
    spec = _spec_for(queryset.model)
    found = (
        queryset.filter(**lookup)
        .annotate(access_level=_level_expression(spec, principals_of(user)))
        .filter(access_level__gte=max(int(level), 1))
        .first()
    )
    if found is None:
        raise Http404(_("No such record."))
    return found


def newest_visible(
    model: type[M],
    user: Any,
    level: int = Level.SUMMARY,
    *,
    filter_fn: Filter | None = None,
    offset: int = 0,
    limit: int = 50,
    drive: Drive = "auto",
) -> QuerySet[M]:
    """The records at positions ``offset .. offset+limit`` of the visible set, newest first.

    Each source is read in its own index order, filtered, and cut at ``offset+limit`` before
    the sources are combined, so the cost follows the page, not the size of the set. With a
    selective filter the matching records are read instead, each tested for visibility
    (``drive``: "auto" lets the planner's estimates choose; "door" / "records" force one way,
    for tests and the bench, which compare them). Evaluate the page (``select_related`` and
    ``prefetch_related`` are welcome); it is not meant to be nested in another query.
    """
    spec = _spec_for(model)
    p = principals_of(user)
    sql, params, carries_levels = _page_sql(spec, p, level, filter_fn, offset, limit, drive)
    if carries_levels and _is_noop(filter_fn, spec.model):
        # The unfiltered page has a few shapes only: planned once per connection, its rows
        # then fetched by id (``_page_of``).
        page = _page_of(spec.model, prepared.fetchall(sql, params))
    elif carries_levels:
        page = _joined_page(spec.model, sql, params)
    else:
        page = _pk_in(spec.model, f"SELECT vid FROM ({sql}) AS page", params).annotate(  # noqa: S608 # nosec B608
            access_level=_level_expression(spec, p)
        )
    return page.order_by("-created_at", "-id")[:limit]


def newest_visible_levels(
    model: type[Model], user: Any, level: int = Level.SUMMARY, *, offset: int = 0, limit: int = 50
) -> list[tuple[int, int]]:
    """``(id, level)`` of the records at positions ``offset .. offset+limit`` of the visible
    set, newest first — the page of ``newest_visible`` without reading the records (each source
    read from its own index alone). Used to walk the visible set in slices, e.g. by search."""
    spec = _spec_for(model)
    p = principals_of(user)
    sql, params, carries_levels = _page_sql(spec, p, level, None, offset, limit)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = [(int(vid), int(vlevel)) for vid, _created, vlevel in cursor.fetchall()]
    if carries_levels or not rows:
        return rows
    known = levels_of(model, user, [vid for vid, _ in rows], level)
    return [(vid, known[vid][0]) for vid, _ in rows if vid in known]


def levels_of(
    model: type[Model], user: Any, ids: Iterable[int], level: int = Level.SUMMARY
) -> dict[int, tuple[int, datetime]]:
    """Of the records ``ids``: those the user sees at ``level`` or above, each with the user's
    level and its ``created_at``. The level is worked out record by record (as
    ``with_access_level``), so keep ``ids`` to a few thousand."""
    wanted = sorted({int(pk) for pk in ids})
    if not wanted:
        return {}
    spec = _spec_for(model)
    rows = (
        spec.model._default_manager.filter(pk__in=wanted)
        .annotate(access_level=_level_expression(spec, principals_of(user)))
        .filter(access_level__gte=max(int(level), 1))
        .values_list("pk", "access_level", "created_at")
    )
    return {int(pk): (int(found), created) for pk, found, created in rows}


@dataclass(frozen=True)
class Count:
    value: int
    capped: bool

    def __str__(self) -> str:
        shown = number_format(self.value, force_grouping=True)  # in the reader's language
        return f"{shown}+" if self.capped else shown


def count_visible(
    model: type[Model],
    user: Any,
    level: int = Level.SUMMARY,
    *,
    filter_fn: Filter | None = None,
    cap: int = COUNT_CAP,
    drive: Drive = "auto",
) -> Count:
    """How many records are visible, exact up to ``cap``; above it, ``cap`` and capped=True.
    ``drive`` as for ``newest_visible``."""
    spec = _spec_for(model)
    sql, params = _count_sql(spec, principals_of(user), level, filter_fn, cap, drive)
    # Unfiltered, the count has a few shapes only: planned once per connection.
    ((value,),) = prepared.fetchall(sql, params, prepare=_is_noop(filter_fn, spec.model))
    if value > cap:
        return Count(cap, True)
    return Count(value, False)
