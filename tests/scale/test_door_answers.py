"""The access door's fast paths give exactly the answers of its rules, on a random region.

The door reads each source of visibility in index order and merges them (sharing/access.py);
these tests build a small region with every kind of source — ownership, TLP:CLEAR, grants to
an agency, to an active team (by agency and by person), to an ended team, to a named user,
expired grants, ties on the creation time — and compare the door's page, count and queryset
with an oracle computed in Python from the rules in docs/ACCESS.md.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any

import pytest
from django.contrib.auth.models import Permission, User
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from agencies.models import Agency, Team
from cases.models import Case, SeizureReport
from sharing import access
from sharing.models import (
    CASE_PERMISSION,
    CaseGroupAccess,
    CaseUserAccess,
    Grant,
    Level,
)
from tests import factories

TLPS = ["CLEAR", "GREEN", "AMBER", "AMBER+STRICT", "RED"]


def _permission(level: int) -> Permission:
    return Permission.objects.get(
        content_type__app_label="cases", codename=CASE_PERMISSION[Level(level)]
    )


@pytest.fixture
def world(db: Any) -> dict[str, Any]:
    """Five agencies, their analysts, three teams, 120 cases and ~150 access rows."""
    rng = random.Random(20260)
    now = timezone.now()
    agencies = [factories.agency(f"AG{i}", country="JM") for i in range(5)]
    users = [
        factories.user(a, "analyst", username=f"ag{i}-analyst") for i, a in enumerate(agencies)
    ]
    liaisons = [
        factories.user(a, "liaison", username=f"ag{i}-liaison") for i, a in enumerate(agencies)
    ]
    by_agency = Team.objects.create(name="Port control unit", active_from=date(2020, 1, 1))
    by_agency.agencies.set([agencies[1], agencies[2]])
    by_person = Team.objects.create(name="Joint task force", active_from=date(2020, 1, 1))
    by_person.users.set([users[3]])
    ended = Team.objects.create(
        name="Closed operation",
        active_from=date(2020, 1, 1),
        active_until=timezone.localdate() - timedelta(days=1),
    )
    ended.agencies.set([agencies[1]])

    base = now - timedelta(days=300)
    cases = []
    for i in range(120):
        owner = agencies[rng.randrange(5)]
        # every 7th case shares its creation time with the previous one: ties break on id
        created = base + timedelta(hours=i - (1 if i % 7 == 0 else 0))
        cases.append(
            Case(
                reference=f"JM-{owner.acronym}-2026-{i:05d}",
                owner_agency=owner,
                title=f"case {i}",
                tlp=TLPS[rng.randrange(5)] if i % 9 else "CLEAR",
                status=rng.choice(["open", "closed"]),
                created_at=created,
            )
        )
    Case.objects.bulk_create(cases)
    cases = list(Case.objects.order_by("id"))

    def grant(case: Case, level: int, expires: Any, **recipient: Any) -> Grant:
        return Grant.objects.create(
            case=case,
            owner_agency=case.owner_agency,
            level=level,
            granted_by=liaisons[agencies.index(case.owner_agency)],
            expires_at=expires,
            **recipient,
        )

    for case in cases:
        for _ in range(rng.randrange(3)):
            level = rng.choice([1, 2, 3])
            expires = rng.choice([None, None, now + timedelta(days=5), now - timedelta(days=1)])
            pick = rng.random()
            if pick < 0.6:
                agency = agencies[rng.randrange(5)]
                g = grant(case, level, expires, recipient_agency=agency)
                group = agency.group
            elif pick < 0.85:
                team = rng.choice([by_agency, by_person, ended])
                g = grant(case, level, expires, recipient_team=team)
                group = team.group
            else:
                user = users[rng.randrange(5)]
                g = grant(case, level, expires, recipient_user=user)
                CaseUserAccess.objects.get_or_create(
                    user=user,
                    permission=_permission(level),
                    content_object=case,
                    defaults={
                        "grant": g,
                        "level": level,
                        "created": case.created_at,
                        "expires_at": expires,
                    },
                )
                continue
            CaseGroupAccess.objects.get_or_create(
                group=group,
                permission=_permission(level),
                content_object=case,
                defaults={
                    "grant": g,
                    "level": level,
                    "created": case.created_at,
                    "expires_at": expires,
                },
            )
    return {
        "agencies": agencies,
        "users": users,
        "teams": {"by_agency": by_agency, "by_person": by_person, "ended": ended},
        "now": now,
    }


def _oracle(user: User, level: int, world: dict[str, Any]) -> list[tuple[int, int]]:
    """(case id, level) of every case ``user`` may see at ``level``, newest first — from the
    rules, in Python."""
    agency = user.membership.agency
    teams = world["teams"]
    groups = {agency.group_id}
    for team in (teams["by_agency"], teams["by_person"], teams["ended"]):
        member = (
            team.agencies.filter(pk=agency.pk).exists() or team.users.filter(pk=user.pk).exists()
        )
        if member and team.is_active_on():
            groups.add(team.group_id)
    now = timezone.now()
    best: dict[int, int] = {}
    rows = [
        *CaseGroupAccess.objects.filter(group_id__in=groups).values_list(
            "content_object_id", "level", "expires_at"
        ),
        *CaseUserAccess.objects.filter(user=user).values_list(
            "content_object_id", "level", "expires_at"
        ),
    ]
    for case_id, granted, expires_at in rows:
        if expires_at is None or expires_at > now:
            best[case_id] = max(best.get(case_id, 0), granted)
    found = []
    for case in Case.objects.order_by("-created_at", "-id"):
        if case.owner_agency_id == agency.pk:
            seen = int(Level.OWNER)
        else:
            seen = max(best.get(case.pk, 0), int(access.CLEAR_LEVEL) if case.tlp == "CLEAR" else 0)
        if seen >= max(level, 1):
            found.append((case.pk, seen))
    return found


def _page(user: User, level: int, **kwargs: Any) -> list[tuple[int, int]]:
    return [
        (c.pk, c.access_level)  # type: ignore[attr-defined]
        for c in access.newest_visible(Case, user, level, **kwargs)
    ]


@pytest.mark.parametrize("level", [Level.SUMMARY, Level.FULL, Level.CONTRIBUTE])
def test_it_pages_exactly_the_visible_cases_newest_first_with_their_level(
    world: dict[str, Any], level: int
) -> None:
    for user in world["users"]:
        expected = _oracle(user, level, world)
        assert len(expected) > 10, "the region should give every user a few pages"
        assert _page(user, level, limit=1000) == expected
        for offset, limit in ((0, 5), (5, 5), (7, 11), (len(expected) - 3, 10)):
            assert (
                _page(user, level, offset=offset, limit=limit) == expected[offset : offset + limit]
            )


@pytest.mark.parametrize("level", [Level.SUMMARY, Level.CONTRIBUTE])
def test_it_counts_exactly_up_to_the_cap_and_caps_beyond(world: dict[str, Any], level: int) -> None:
    for user in world["users"]:
        total = len(_oracle(user, level, world))
        assert access.count_visible(Case, user, level) == access.Count(total, False)
        assert access.count_visible(Case, user, level, cap=total) == access.Count(total, False)
        assert access.count_visible(Case, user, level, cap=total - 1) == access.Count(
            total - 1, True
        )
        assert access.count_visible(Case, user, level, cap=3) == access.Count(3, True)


def test_the_general_queryset_holds_the_same_records(world: dict[str, Any]) -> None:
    for user in world["users"]:
        for level in (Level.SUMMARY, Level.FULL, Level.CONTRIBUTE):
            expected = {pk for pk, _ in _oracle(user, level, world)}
            assert set(access.visible_cases(user, level).values_list("pk", flat=True)) == expected
            assert set(Case.objects.visible_to(user, level).values_list("pk", flat=True)) == (
                expected
            )


def test_filters_apply_to_every_source(world: dict[str, Any]) -> None:
    closed = set(Case.objects.filter(status="closed").values_list("pk", flat=True))

    def only_closed(qs: Any) -> Any:
        return qs.filter(status="closed")

    for user in world["users"]:
        expected = [(pk, lv) for pk, lv in _oracle(user, Level.SUMMARY, world) if pk in closed]
        assert _page(user, Level.SUMMARY, filter_fn=only_closed, limit=1000) == expected
        assert (
            _page(user, Level.SUMMARY, filter_fn=only_closed, offset=2, limit=4) == (expected[2:6])
        )
        assert access.count_visible(Case, user, filter_fn=only_closed) == access.Count(
            len(expected), False
        )


def test_a_filter_that_changes_nothing_takes_the_narrow_path_with_the_same_answer(
    world: dict[str, Any],
) -> None:
    user = world["users"][1]
    expected = _oracle(user, Level.SUMMARY, world)

    def unchanged(qs: Any) -> Any:
        return qs.all()

    assert access._is_noop(unchanged, Case)
    assert not access._is_noop(lambda qs: qs.filter(status="open"), Case)
    assert not access._is_noop(lambda qs: qs.filter(group_access__level=2), Case)
    assert _page(user, Level.SUMMARY, filter_fn=unchanged, limit=1000) == expected


def test_a_page_and_its_count_are_planned_once_per_connection(world: dict[str, Any]) -> None:
    """Page 1 is two statements (its ids and levels, prepared; then those rows), the count one
    (prepared): the first time on a connection they are prepared in the same round trip, then
    only executed by name — another reader of the same shape included."""
    user, other = world["users"][2], world["users"][3]
    access.principals_of(user)
    access.principals_of(other)
    with CaptureQueriesContext(connection) as first:
        rows = list(access.newest_visible(Case, user, limit=50))
        access.count_visible(Case, user)
    with CaptureQueriesContext(connection) as again:
        again_rows = list(access.newest_visible(Case, user, limit=50))
        access.count_visible(Case, user)
    assert len(rows) == 50 and again_rows == rows
    sent = [q["sql"] for q in first.captured_queries]
    assert len(sent) == 3
    # prepared here unless an earlier test on this connection already did
    assert sent[0].startswith(("PREPARE enlace_", "EXECUTE enlace_"))
    assert "array_position(" in sent[1]
    assert sent[2].startswith(("PREPARE enlace_", "EXECUTE enlace_"))
    sent = [q["sql"] for q in again.captured_queries]
    assert len(sent) == 3
    assert sent[0].startswith("EXECUTE enlace_") and sent[2].startswith("EXECUTE enlace_")
    with CaptureQueriesContext(connection) as reader:
        list(access.newest_visible(Case, other, limit=50))
    shape_same = len(access.principals_of(other).group_ids) == len(
        access.principals_of(user).group_ids
    )
    assert reader.captured_queries[0]["sql"].startswith("EXECUTE " if shape_same else "PREPARE ")


def test_nobody_sees_nothing(world: dict[str, Any]) -> None:
    user = world["users"][0]
    user.membership.locked_at = timezone.now()
    user.membership.save()
    access.forget_principals(user)
    assert list(access.newest_visible(Case, user)) == []
    assert access.count_visible(Case, user) == access.Count(0, False)
    Agency.objects.filter(pk=world["agencies"][1].pk).update(active=False)
    other = User.objects.get(pk=world["users"][1].pk)
    assert not access.visible_cases(other).exists()


def test_seizure_pages_agree_with_the_seizure_queryset(world: dict[str, Any]) -> None:
    """Seizure reports: the merged page and the count match the general queryset's order."""
    agencies = world["agencies"]
    for i, case in enumerate(Case.objects.order_by("id")[:60]):
        factories.seizure(case.owner_agency, case=case if i % 3 else None, tlp=case.tlp)
    factories.seizure(agencies[2], tlp="CLEAR")
    assert SeizureReport.objects.count() == 61
    for user in world["users"]:
        expected = list(
            access.visible_seizures(user)
            .order_by("-created_at", "-id")
            .values_list("pk", flat=True)
        )
        page = [s.pk for s in access.newest_visible(SeizureReport, user, limit=1000)]
        assert page == expected
        assert access.count_visible(SeizureReport, user).value == len(expected)


def test_a_page_works_as_any_queryset(world: dict[str, Any]) -> None:
    """The page joins its own rows (with their level) to the records: it still composes."""
    user = world["users"][1]
    expected = _oracle(user, Level.SUMMARY, world)[:10]
    page = access.newest_visible(Case, user, limit=10)
    assert [(c.pk, c.owner_agency.acronym) for c in page.select_related("owner_agency")] == [
        (pk, Case.objects.get(pk=pk).owner_agency.acronym) for pk, _ in expected
    ]
    assert page.count() == 10
    assert list(page.values_list("pk", "access_level")) == expected  # type: ignore[misc]
    inside = Case.objects.filter(pk__in=page.values("pk")).order_by("-created_at", "-id")
    assert [c.pk for c in inside] == [pk for pk, _ in expected]
    relabelled = Case.objects.filter(pk__in=access.newest_visible(Case, user, limit=3).values("pk"))
    assert relabelled.count() == 3


def test_the_page_level_is_the_level_of_every_other_door(world: dict[str, Any]) -> None:
    for user in world["users"]:
        for record in access.newest_visible(Case, user, limit=1000):
            assert record.access_level == access.access_level(user, record)  # type: ignore[attr-defined]
            found = access.get_visible_or_404(user, Case, pk=record.pk)
            assert found.access_level == record.access_level  # type: ignore[attr-defined]


# --- filtered lists: from the door's sources or from the matching records --------------------

FILTERS = [
    "tlp=RED",
    "tlp=AMBER%2BSTRICT",
    "tlp=CLEAR",
    "tlp=GREEN&status=closed",
    "status=open",
    "q=case+1",
    "q=JM-AG2",
    "q=nothing+like+this",
]


def _filter_of(query: str) -> Any:
    from django.http import QueryDict

    from cases.filters import CaseFilter

    form = CaseFilter(QueryDict(query), queryset=Case.objects.none())
    assert form.is_valid(), form.errors
    return form.filter_queryset


@pytest.mark.parametrize("query", FILTERS)
def test_a_filtered_list_gives_the_same_rows_read_either_way(
    world: dict[str, Any], query: str
) -> None:
    """Named-user grants (RED), AMBER+STRICT, expired grants, an ended team and
    do-not-reveal cases: reading the matching records and testing each for visibility gives
    the door's rows, levels, pages and counts, and both are the rules' answer."""
    Case.objects.filter(pk__in=list(Case.objects.values_list("pk", flat=True)[::4])).update(
        do_not_reveal=True
    )
    filter_fn = _filter_of(query)
    matching = set(filter_fn(Case.objects.all()).values_list("pk", flat=True))
    for user in world["users"]:
        for level in (Level.SUMMARY, Level.FULL, Level.CONTRIBUTE):
            expected = [(pk, lv) for pk, lv in _oracle(user, level, world) if pk in matching]
            for drive in ("door", "records", "auto"):
                kwargs: dict[str, Any] = {"filter_fn": filter_fn, "drive": drive}
                assert _page(user, level, limit=1000, **kwargs) == expected, (drive, level)
                assert _page(user, level, offset=2, limit=3, **kwargs) == expected[2:5]
                assert access.count_visible(Case, user, level, **kwargs) == access.Count(
                    len(expected), False
                )
                if len(expected) > 2:
                    assert access.count_visible(Case, user, level, cap=2, **kwargs) == (
                        access.Count(2, True)
                    )


def test_a_selective_filter_reads_the_matching_records_and_a_broad_one_the_sources(
    world: dict[str, Any],
) -> None:
    """The planner's estimates choose: a rare search term is read from its matching records
    (the visibility test appears in the SQL), a filter matching every record through the
    door's sources."""
    user = world["users"][0]
    access.principals_of(user)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE cases_case, sharing_casegroupaccess, sharing_caseuseraccess")
    for query, from_records in (("q=nothing+like+this", True), ("q=case", False)):
        filter_fn = _filter_of(query)
        with CaptureQueriesContext(connection) as queries:
            list(access.newest_visible(Case, user, filter_fn=filter_fn))
        page = queries.captured_queries[-1]["sql"]
        assert ("EXISTS" in page and "UNION ALL" not in page) is from_records, query


def test_a_filtered_seizure_list_gives_the_same_rows_read_either_way(
    world: dict[str, Any],
) -> None:
    """Seizure reports add the case-reach rows: a grant on a case reaches its reports marked
    no stricter; both ways agree with the general queryset."""
    agencies = world["agencies"]
    for i, case in enumerate(Case.objects.order_by("id")[:60]):
        tlp = TLPS[(TLPS.index(case.tlp) + i % 2) % 5]
        factories.seizure(case.owner_agency, case=case if i % 3 else None, tlp=tlp)
    factories.seizure(agencies[2], tlp="CLEAR")

    def amber_or_red(qs: Any) -> Any:
        return qs.filter(tlp__in=["AMBER", "RED"])

    for user in world["users"]:
        for level in (Level.SUMMARY, Level.CONTRIBUTE):
            expected = list(
                amber_or_red(access.visible_seizures(user, level))
                .order_by("-created_at", "-id")
                .values_list("pk", flat=True)
            )
            for drive in ("door", "records"):
                kwargs: dict[str, Any] = {"filter_fn": amber_or_red, "drive": drive}
                rows = access.newest_visible(SeizureReport, user, level, limit=1000, **kwargs)
                assert [(s.pk, s.access_level) for s in rows] == [  # type: ignore[attr-defined]
                    (s.pk, access.access_level(user, s))
                    for s in SeizureReport.objects.filter(pk__in=expected).order_by(
                        "-created_at", "-id"
                    )
                ]
                assert access.count_visible(SeizureReport, user, level, **kwargs).value == len(
                    expected
                )


def test_prepared_door_statements_name_their_constants_so_partial_indexes_serve(
    world: dict[str, Any],
) -> None:
    """A generic plan cannot use the TLP:CLEAR partial index for ``tlp = $n``: for seizure
    reports (no other index on their TLP) page 1 read the whole creation-time index (1.2 ms
    to 140 ms at the bench's size). Constants are written into the prepared text."""
    user = world["users"][2]
    for model in (Case, SeizureReport):
        list(access.newest_visible(model, user, limit=50))
        access.count_visible(model, user)
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements WHERE name LIKE 'enlace_%%'")
        texts = [text for (text,) in cursor.fetchall()]
    for table in ("cases_case", "cases_seizurereport"):
        mine = [text for text in texts if f'FROM "{table}"' in text]
        assert mine, table
        assert any(f'"{table}"."tlp" = \'CLEAR\'' in text for text in mine)
        for text in mine:  # (a level above FULL has no TLP:CLEAR source)
            assert '"tlp" = $' not in text and '"level" >= $' not in text
