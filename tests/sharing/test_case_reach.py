"""The seizure reports a case grant reaches: rows the database keeps in step with every change
(sharing/migrations/0002), checked against the rule as the door states it
(``access.no_stricter_than_case``) after each kind of change, and read by the door."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest
from django.db import connection
from django.utils import timezone

from cases import actions as case_actions
from cases.models import Case, SeizureReport
from sharing import access, actions
from sharing.models import (
    CaseGroupAccess,
    CaseUserAccess,
    Grant,
    Level,
    SeizureCaseGroupAccess,
    SeizureCaseUserAccess,
)
from tests import factories

pytestmark = pytest.mark.django_db

Row = tuple[int, str, int, int, int, datetime, datetime | None]


def expected_rows() -> set[Row]:
    """(grant, principal kind, principal, report, level, created, expires) by the door's rule."""
    rows: set[Row] = set()
    for grant in Grant.objects.filter(status=Grant.Status.ACTIVE, case__isnull=False):
        if grant.recipient_user_id:
            principal = ("user", grant.recipient_user_id)
        else:
            owner = grant.recipient_agency or grant.recipient_team
            principal = ("group", owner.group_id)  # type: ignore[union-attr]
        expires = (
            CaseGroupAccess.objects.filter(grant=grant).values_list("expires_at", flat=True)
            or CaseUserAccess.objects.filter(grant=grant).values_list("expires_at", flat=True)
        )[0]
        reached = SeizureReport.objects.filter(access.no_stricter_than_case(), case=grant.case_id)
        for report in reached:
            rows.add((grant.pk, *principal, report.pk, grant.level, report.created_at, expires))
    return rows


def stored_rows() -> set[Row]:
    rows: set[Row] = set()
    for kind, model, column in (
        ("group", SeizureCaseGroupAccess, "group_id"),
        ("user", SeizureCaseUserAccess, "user_id"),
    ):
        for values in model.objects.values_list(
            "grant_id", column, "content_object_id", "level", "created", "expires_at"
        ):
            grant, who, *rest = values
            rows.add((grant, kind, who, *rest))
    return rows


def share(s: dict[str, Any], record: Any, level: int = Level.FULL, **recipients: Any) -> Grant:
    offered = actions.offer(s["jca_liaison"], record, level=level, justification="op", **recipients)
    (grant,) = actions.approve(s["jca_liaison2"], offered, note="ok")
    return grant


def seen(viewer: Any) -> dict[int, int]:
    """What the door lists for ``viewer`` (report → level), checked against the record check."""
    page = {
        s.pk: s.access_level  # type: ignore[attr-defined]
        for s in access.newest_visible(SeizureReport, viewer, limit=100)
    }
    assert access.count_visible(SeizureReport, viewer).value == len(page)
    assert set(access.visible_seizures(viewer).values_list("pk", flat=True)) == set(page)
    for report in SeizureReport.objects.all():
        assert access.access_level(viewer, report) == page.get(report.pk, Level.NONE)
    return page


def test_rows_follow_grants_reports_and_markings(sharing: dict[str, Any]) -> None:
    s = sharing
    viewer = s["diran_analyst"]
    case, amber = s["case"], s["seizure"]
    red = factories.seizure(s["jca"], case=case, tlp="RED")
    assert stored_rows() == set()

    # given a grant on the case: its AMBER report is reached, the RED one is not
    grant = share(s, case, recipient_agency=s["diran"])
    assert stored_rows() == expected_rows() != set()
    assert seen(viewer) == {amber.pk: Level.FULL}

    # a report created in the case afterwards is reached (through the cases action too)
    added = factories.seizure(s["jca"], case=case, tlp="GREEN")
    loose = case_actions.create_seizure(
        s["jca_analyst"],
        {
            "seized_on": timezone.localdate(),
            "country": "JM",
            "transport_mode": "sea_container",
            "tlp": "AMBER",
        },
    )
    assert stored_rows() == expected_rows()
    assert seen(viewer) == {amber.pk: Level.FULL, added.pk: Level.FULL}

    # a report moved into the case by its owner is reached; moved out, it is not
    case_actions.update_seizure(s["jca_analyst"], loose.pk, {"case": case.pk}, version=1)
    assert seen(viewer) == {amber.pk: Level.FULL, added.pk: Level.FULL, loose.pk: Level.FULL}
    case_actions.update_seizure(s["jca_analyst"], loose.pk, {"case": None}, version=2)
    assert stored_rows() == expected_rows()
    assert seen(viewer) == {amber.pk: Level.FULL, added.pk: Level.FULL}

    # a report marked stricter than its case leaves; marked milder again, it comes back
    SeizureReport.objects.filter(pk=added.pk).update(tlp="RED")
    red.tlp = "AMBER"
    red.save()
    assert stored_rows() == expected_rows()
    assert seen(viewer) == {amber.pk: Level.FULL, red.pk: Level.FULL}

    # the case marked milder: its AMBER reports are now stricter than it
    Case.objects.filter(pk=case.pk).update(tlp="GREEN")
    assert stored_rows() == expected_rows()
    assert seen(viewer) == {}
    Case.objects.filter(pk=case.pk).update(tlp="AMBER")
    assert stored_rows() == expected_rows()

    # the grant's expiry moves: the rows carry it, and the door stops at it
    past = timezone.now() - timedelta(seconds=1)
    Grant.objects.filter(pk=grant.pk).update(expires_at=past)
    CaseGroupAccess.objects.filter(grant=grant).update(expires_at=past)
    assert stored_rows() == expected_rows()
    assert {row[-1] for row in stored_rows()} == {past}
    assert seen(viewer) == {}
    assert actions.expire_due_grants() == 1
    assert stored_rows() == set()


def test_every_way_a_grant_ends_takes_its_rows(sharing: dict[str, Any]) -> None:
    s = sharing
    viewer = s["diran_analyst"]
    grant = share(s, s["case"], recipient_agency=s["diran"])
    assert seen(viewer) == {s["seizure"].pk: Level.FULL}
    # superseded by a new grant to the same recipient: one set of rows, the new level
    newer = share(s, s["case"], Level.SUMMARY, recipient_agency=s["diran"])
    assert {row[0] for row in stored_rows()} == {newer.pk}
    assert seen(viewer) == {s["seizure"].pk: Level.SUMMARY}
    actions.revoke(s["jca_liaison"], newer, reason="Operation compromised")
    assert stored_rows() == set()
    assert seen(viewer) == {}
    # suspended when trust is lowered
    share(s, s["case"], recipient_agency=s["diran"])
    assert stored_rows() == expected_rows() != set()
    actions.suspend_above_trust(s["jca"], s["diran"], 1, reason="trust lowered")
    assert stored_rows() == set()
    assert grant.pk not in {row[0] for row in stored_rows()}


def test_named_and_team_grants_reach_reports_too(sharing: dict[str, Any]) -> None:
    s = sharing
    factories.trust(s["jca"], s["diran"], 3)
    red_case = factories.case(s["jca"], tlp="RED")
    red_report = factories.seizure(s["jca"], case=red_case, tlp="RED")
    share(s, red_case, recipient_users=[s["diran_analyst"]])
    team = factories.team(agencies=[s["diran"]])
    share(s, s["case"], Level.SUMMARY, recipient_team=team)
    assert stored_rows() == expected_rows()
    assert {row[1] for row in stored_rows()} == {"user", "group"}
    assert seen(s["diran_analyst"]) == {red_report.pk: Level.FULL, s["seizure"].pk: Level.SUMMARY}
    assert seen(s["diran_liaison"]) == {s["seizure"].pk: Level.SUMMARY}
    # a report deleted takes its rows with it
    red_report.delete()
    assert stored_rows() == expected_rows()


def test_refill_rebuilds_the_same_rows(sharing: dict[str, Any]) -> None:
    """Bulk loads (bench/seed.py) write with the triggers off and call the refill."""
    s = sharing
    factories.seizure(s["jca"], case=s["case"], tlp="GREEN")
    share(s, s["case"], recipient_agency=s["diran"])
    before = stored_rows()
    with connection.cursor() as cursor:
        cursor.execute("SELECT sharing_refill_case_reach()")
    after = stored_rows()
    assert {row[1:] for row in after} == {row[1:] for row in before}
    assert after == expected_rows()
