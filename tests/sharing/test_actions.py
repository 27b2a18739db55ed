"""Share requests, decisions and grants through sharing.actions, against the real database."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import timezone

from audit.models import AuditEntry
from cases.models import Case, SeizureReport
from hits.models import Hit
from notifications.models import Event
from sharing import access, actions
from sharing.models import (
    CaseGroupAccess,
    CaseUserAccess,
    Grant,
    Level,
    SeizureGroupAccess,
    ShareRequest,
)
from tests import factories

pytestmark = pytest.mark.django_db


def ask(s: dict[str, Any], level: int = Level.FULL, **kw: Any) -> ShareRequest:
    return actions.request_access(
        s["diran_analyst"], s["case"], level=level, justification="Same container line", **kw
    )


def audit_actions() -> list[tuple[str, str]]:
    return list(AuditEntry.objects.order_by("id").values_list("action", "outcome"))


def field_errors(excinfo: pytest.ExceptionInfo[ValidationError]) -> dict[str, list[str]]:
    return excinfo.value.message_dict


# --- requests and decisions --------------------------------------------------------------


def test_an_access_request_waits_for_the_owner_and_tells_its_liaison_officers(
    sharing: dict[str, Any],
) -> None:
    # given DIRAN, which sees nothing of the JCA case: asking is a 404 (no probing for records)
    assert access.access_level(sharing["diran_analyst"], sharing["case"]) == Level.NONE
    with pytest.raises(Http404):
        ask(sharing)
    # and once it sees the summary (an approved offer), it asks for the full record
    offered = actions.offer(
        sharing["jca_liaison"],
        sharing["case"],
        level=Level.SUMMARY,
        justification="Partner on the route",
        recipient_agency=sharing["diran"],
    )
    actions.approve(sharing["jca_liaison2"], offered, note="ok")
    with pytest.raises(ValidationError) as excinfo:
        ask(sharing, level=Level.SUMMARY)
    assert "already see" in field_errors(excinfo)["level"][0]
    # when
    request = ask(sharing)
    # then
    assert request.status == ShareRequest.Status.PENDING
    assert request.owner_agency == sharing["jca"]
    assert request.requesting_agency == sharing["diran"]
    assert request.recipient_agency == sharing["diran"]
    event = Event.objects.filter(kind="share_request.created", object_id=str(request.pk)).get()
    assert list(event.agencies.all()) == [sharing["jca"]]
    assert event.roles == ["liaison"]
    assert "justification" not in event.data  # ids only, never content
    assert ("share_request.created", "success") in audit_actions()


def test_approval_creates_the_grant_and_its_access_row_in_one_go(sharing: dict[str, Any]) -> None:
    # given an offer by one JCA liaison officer
    offered = actions.offer(
        sharing["jca_liaison"],
        sharing["case"],
        level=Level.FULL,
        justification="Joint operation",
        recipient_agency=sharing["diran"],
    )
    # when another approves it
    grants = actions.approve(sharing["jca_liaison2"], offered, note="Approved for Op. Caribe")
    # then one grant, one access row on DIRAN's group, and DIRAN sees the case in full
    (grant,) = grants
    assert grant.status == Grant.Status.ACTIVE
    assert grant.level == Level.FULL
    row = CaseGroupAccess.objects.get(grant=grant)
    assert row.group_id == sharing["diran"].group_id
    assert row.permission.codename == "view_case"
    assert row.created == sharing["case"].created_at
    assert access.access_level(sharing["diran_analyst"], sharing["case"]) == Level.FULL
    assert access.access_level(sharing["senan_analyst"], sharing["case"]) == Level.NONE
    # the seizure report inside the case comes with it
    assert access.access_level(sharing["diran_analyst"], sharing["seizure"]) == Level.FULL
    offered.refresh_from_db()
    assert offered.status == ShareRequest.Status.APPROVED
    assert offered.decided_by == sharing["jca_liaison2"]
    assert offered.decision_note == "Approved for Op. Caribe"
    kinds = set(Event.objects.values_list("kind", flat=True))
    assert {"share_request.created", "share_request.decided", "grant.created"} <= kinds
    created = Event.objects.get(kind="grant.created")
    assert list(created.agencies.all()) == [sharing["diran"]]
    assert created.data["level"] == "full"
    assert [a for a, _ in audit_actions()][-2:] == ["grant.created", "share_request.decided"]


def test_nobody_decides_a_request_they_made(sharing: dict[str, Any]) -> None:
    offered = actions.offer(
        sharing["jca_liaison"],
        sharing["case"],
        level=Level.FULL,
        justification="Joint operation",
        recipient_agency=sharing["diran"],
    )
    with pytest.raises(PermissionDenied, match="four-eyes"):
        actions.approve(sharing["jca_liaison"], offered, note="self-approval")
    offered.refresh_from_db()
    assert offered.status == ShareRequest.Status.PENDING
    assert not Grant.objects.exists()
    # the refused attempt is itself on the audit trail
    refused = AuditEntry.objects.get(action="share_request.decided")
    assert refused.outcome == "denied"
    assert refused.actor == sharing["jca_liaison"]


@pytest.mark.parametrize("decider", ["jca_analyst", "jca_agency_admin"])
def test_only_a_liaison_officer_of_the_owner_decides(sharing: dict[str, Any], decider: str) -> None:
    offered = actions.offer(
        sharing["jca_liaison"],
        sharing["case"],
        level=Level.FULL,
        justification="Joint operation",
        recipient_agency=sharing["diran"],
    )
    with pytest.raises(PermissionDenied, match="liaison officer of JCA"):
        actions.approve(sharing[decider], offered, note="ok")
    with pytest.raises(PermissionDenied):
        actions.deny(sharing[decider], offered, note="no")


def test_a_partner_liaison_officer_cannot_even_see_the_owner_s_internal_offer(
    sharing: dict[str, Any],
) -> None:
    offered = actions.offer(
        sharing["jca_liaison"],
        sharing["case"],
        level=Level.FULL,
        justification="Joint operation",
        recipient_agency=sharing["diran"],
    )
    with pytest.raises(Http404):
        actions.approve(sharing["diran_liaison"], offered, note="I approve my own access")
    with pytest.raises(Http404):
        actions.approve(sharing["senan_liaison"], offered, note="?")


def test_a_decision_is_final(sharing: dict[str, Any]) -> None:
    offered = actions.offer(
        sharing["jca_liaison"],
        sharing["case"],
        level=Level.FULL,
        justification="Joint operation",
        recipient_agency=sharing["diran"],
    )
    actions.deny(sharing["jca_liaison2"], offered, note="Not while the operation runs")
    with pytest.raises(ValidationError) as excinfo:
        actions.approve(sharing["jca_liaison2"], offered, note="changed my mind")
    assert "final" in field_errors(excinfo)["status"][0]
    with pytest.raises(ValidationError):
        actions.withdraw(sharing["jca_liaison"], offered)
    assert not Grant.objects.exists()


def test_a_decision_needs_a_note(sharing: dict[str, Any]) -> None:
    offered = actions.offer(
        sharing["jca_liaison"],
        sharing["case"],
        level=Level.FULL,
        justification="Joint operation",
        recipient_agency=sharing["diran"],
    )
    with pytest.raises(ValidationError) as excinfo:
        actions.deny(sharing["jca_liaison2"], offered, note="  ")
    assert "note" in field_errors(excinfo)


def test_the_requester_withdraws_and_the_owner_is_told(sharing: dict[str, Any]) -> None:
    sharing["case"].tlp = "CLEAR"
    sharing["case"].save()
    request = ask(sharing, level=Level.CONTRIBUTE)
    with pytest.raises(PermissionDenied):
        actions.withdraw(sharing["diran_agency_admin"], request)
    actions.withdraw(sharing["diran_analyst"], request)
    request.refresh_from_db()
    assert request.status == ShareRequest.Status.WITHDRAWN
    event = Event.objects.get(kind="share_request.withdrawn")
    assert list(event.agencies.all()) == [sharing["jca"]]
    with pytest.raises(ValidationError):
        actions.approve(sharing["jca_liaison"], request, note="too late")


# --- TLP and trust --------------------------------------------------------------------------


def offer_to(s: dict[str, Any], record: Any, level: int = Level.FULL, **recipients: Any) -> Any:
    return actions.offer(
        s["jca_liaison"], record, level=level, justification="Route overlap", **recipients
    )


def test_a_clear_record_needs_no_grant_except_to_contribute(sharing: dict[str, Any]) -> None:
    clear = factories.case(sharing["jca"], tlp="CLEAR")
    assert access.access_level(sharing["senan_analyst"], clear) == Level.FULL
    with pytest.raises(ValidationError) as excinfo:
        offer_to(sharing, clear, recipient_agency=sharing["senan"])
    assert "TLP:CLEAR" in field_errors(excinfo)["level"][0]
    offered = offer_to(sharing, clear, level=Level.CONTRIBUTE, recipient_agency=sharing["senan"])
    actions.approve(sharing["jca_liaison2"], offered, note="ok")
    assert access.access_level(sharing["senan_analyst"], clear) == Level.CONTRIBUTE


@pytest.mark.parametrize("tlp", ["GREEN", "AMBER"])
def test_green_and_amber_go_to_agencies_or_teams_not_named_people(
    sharing: dict[str, Any], tlp: str
) -> None:
    record = factories.case(sharing["jca"], tlp=tlp)
    with pytest.raises(ValidationError) as excinfo:
        offer_to(sharing, record, recipient_users=[sharing["diran_analyst"]])
    assert "not with named people" in field_errors(excinfo)["recipient_users"][0]
    team = factories.team(agencies=[sharing["diran"]])
    offered = offer_to(sharing, record, recipient_team=team)
    (grant,) = actions.approve(sharing["jca_liaison2"], offered, note="ok")
    assert CaseGroupAccess.objects.get(grant=grant).group_id == team.group_id
    assert access.access_level(sharing["diran_liaison"], record) == Level.FULL


def test_amber_strict_goes_to_one_agency_only(sharing: dict[str, Any]) -> None:
    record = factories.case(sharing["jca"], tlp="AMBER+STRICT")
    team = factories.team(agencies=[sharing["diran"]])
    with pytest.raises(ValidationError) as excinfo:
        offer_to(sharing, record, recipient_team=team)
    assert "one agency only" in field_errors(excinfo)["recipient_team"][0]
    with pytest.raises(ValidationError) as excinfo:
        offer_to(sharing, record, recipient_users=[sharing["diran_analyst"]])
    assert "one agency only" in field_errors(excinfo)["recipient_users"][0]
    offered = offer_to(sharing, record, recipient_agency=sharing["diran"])
    actions.approve(sharing["jca_liaison2"], offered, note="ok")
    assert access.access_level(sharing["diran_analyst"], record) == Level.FULL


def test_red_goes_to_named_people_only_and_needs_close_trust(sharing: dict[str, Any]) -> None:
    record = factories.case(sharing["jca"], tlp="RED")
    with pytest.raises(ValidationError) as excinfo:
        offer_to(sharing, record, recipient_agency=sharing["diran"])
    assert "named people only" in field_errors(excinfo)["recipient_agency"][0]
    # trust 2 (trusted) is not enough for RED
    with pytest.raises(ValidationError) as excinfo:
        offer_to(sharing, record, recipient_users=[sharing["diran_analyst"]])
    message = field_errors(excinfo)["recipient_users"][0]
    assert "JCA's trust in DIRAN is 2" in message and "TLP:RED" in message
    factories.trust(sharing["jca"], sharing["diran"], 3)
    offered = offer_to(
        sharing, record, recipient_users=[sharing["diran_analyst"], sharing["diran_liaison"]]
    )
    grants = actions.approve(sharing["jca_liaison2"], offered, note="ok")
    assert len(grants) == 2
    assert CaseUserAccess.objects.count() == 2
    assert access.access_level(sharing["diran_analyst"], record) == Level.FULL
    # the named people see it; their colleague does not
    assert access.access_level(sharing["diran_agency_admin"], record) == Level.NONE


def test_no_grant_goes_above_the_owner_s_trust_in_any_team_member(
    sharing: dict[str, Any],
) -> None:
    # AMBER needs trust 2: DIRAN has it, SENAN (1) does not
    team = factories.team(agencies=[sharing["diran"], sharing["senan"]])
    with pytest.raises(ValidationError) as excinfo:
        offer_to(sharing, sharing["case"], recipient_team=team)
    message = field_errors(excinfo)["recipient_team"][0]
    assert "SENAN" in message and "TLP:AMBER" in message
    # a person of SENAN in the team counts as SENAN
    people_team = factories.team(users=[sharing["senan_analyst"]], agencies=[sharing["diran"]])
    with pytest.raises(ValidationError):
        offer_to(sharing, sharing["case"], recipient_team=people_team)


def test_trust_is_checked_again_at_approval(sharing: dict[str, Any]) -> None:
    offered = offer_to(sharing, sharing["case"], recipient_agency=sharing["diran"])
    factories.trust(sharing["jca"], sharing["diran"], 1)
    with pytest.raises(ValidationError) as excinfo:
        actions.approve(sharing["jca_liaison2"], offered, note="ok")
    assert "recipient_agency" in field_errors(excinfo)
    offered.refresh_from_db()
    assert offered.status == ShareRequest.Status.PENDING
    assert not Grant.objects.exists()


def test_a_new_grant_to_the_same_recipient_supersedes_the_old_one(
    sharing: dict[str, Any],
) -> None:
    first = offer_to(
        sharing, sharing["case"], level=Level.SUMMARY, recipient_agency=sharing["diran"]
    )
    (old,) = actions.approve(sharing["jca_liaison2"], first, note="ok")
    second = offer_to(
        sharing, sharing["case"], level=Level.CONTRIBUTE, recipient_agency=sharing["diran"]
    )
    (new,) = actions.approve(sharing["jca_liaison2"], second, note="ok")
    old.refresh_from_db()
    assert old.status == Grant.Status.SUPERSEDED
    assert CaseGroupAccess.objects.filter(grant=old).count() == 0
    assert CaseGroupAccess.objects.filter(grant=new).count() == 1
    assert access.access_level(sharing["diran_analyst"], sharing["case"]) == Level.CONTRIBUTE


# --- originator control ------------------------------------------------------------------


def test_a_recipient_cannot_share_further_but_can_ask_the_owner_to_extend(
    sharing: dict[str, Any],
) -> None:
    offered = offer_to(sharing, sharing["case"], recipient_agency=sharing["diran"])
    actions.approve(sharing["jca_liaison2"], offered, note="ok")
    # DIRAN's liaison officer cannot offer JCA's record to anyone
    with pytest.raises(PermissionDenied, match="extend"):
        actions.offer(
            sharing["diran_liaison"],
            sharing["case"],
            level=Level.SUMMARY,
            justification="pass it on",
            recipient_agency=sharing["senan"],
        )
    # nor approve anything about it
    senan_case = factories.case(sharing["jca"], tlp="GREEN")
    assert senan_case.owner_agency == sharing["jca"]
    # but can ask JCA to extend to SENAN; JCA decides, within its trust in SENAN
    factories.trust(sharing["jca"], sharing["senan"], 2)
    extend = actions.request_extension(
        sharing["diran_liaison"],
        sharing["case"],
        level=Level.SUMMARY,
        justification="SENAN intercepted the vessel",
        recipient_agency=sharing["senan"],
    )
    assert extend.kind == ShareRequest.Kind.EXTEND
    assert extend.requesting_agency == sharing["diran"]
    with pytest.raises(PermissionDenied):
        actions.approve(sharing["diran_liaison"], extend, note="mine")
    actions.approve(sharing["jca_liaison"], extend, note="ok")
    assert access.access_level(sharing["senan_analyst"], sharing["case"]) == Level.SUMMARY


def test_a_stranger_cannot_ask_to_extend_what_it_cannot_see(sharing: dict[str, Any]) -> None:
    with pytest.raises(Http404):
        actions.request_extension(
            sharing["senan_liaison"],
            sharing["case"],
            level=Level.SUMMARY,
            justification="?",
            recipient_agency=sharing["diran"],
        )


# --- requests for information ----------------------------------------------------------------


def rfi(s: dict[str, Any], **kw: Any) -> ShareRequest:
    s["case"].tlp = "GREEN"
    s["case"].save()
    factories.trust(s["jca"], s["senan"], 1)
    offered = offer_to(s, s["case"], level=Level.SUMMARY, recipient_agency=s["senan"])
    actions.approve(s["jca_liaison2"], offered, note="ok")
    return actions.send_rfi(
        s["senan_analyst"],
        s["case"],
        question="Was the vessel's AIS off before the intercept?",
        justification="Pattern across three seizures",
        **kw,
    )


def test_an_rfi_is_answered_and_the_requester_is_told(sharing: dict[str, Any]) -> None:
    request = rfi(sharing, priority="urgent", due_date=timezone.localdate() + timedelta(days=2))
    assert request.priority == "urgent"
    with pytest.raises(ValidationError):
        actions.approve(sharing["jca_liaison"], request, note="ok")
    with pytest.raises(PermissionDenied):
        actions.answer(sharing["senan_liaison"], request, answer="we answer ourselves")
    actions.answer(sharing["jca_analyst"], request, answer="Yes, for 14 hours.")
    request.refresh_from_db()
    assert request.status == ShareRequest.Status.APPROVED
    assert request.answer == "Yes, for 14 hours."
    event = Event.objects.get(kind="rfi.answered")
    assert list(event.users.all()) == [sharing["senan_analyst"]]
    assert "answer" not in event.data


def test_an_rfi_needs_a_question_and_a_sane_due_date(sharing: dict[str, Any]) -> None:
    with pytest.raises(ValidationError) as excinfo:
        rfi(sharing, due_date=timezone.localdate() - timedelta(days=1))
    assert "due_date" in field_errors(excinfo)
    with pytest.raises(ValidationError) as excinfo:
        actions.send_rfi(sharing["senan_analyst"], sharing["case"], question="", justification="x")
    assert "question" in field_errors(excinfo)


def test_an_rfi_answer_stays_within_the_owner_s_trust(sharing: dict[str, Any]) -> None:
    request = rfi(sharing)
    factories.trust(sharing["jca"], sharing["senan"], 0)
    with pytest.raises(ValidationError) as excinfo:
        actions.answer(sharing["jca_liaison"], request, answer="…")
    assert "trust in SENAN" in field_errors(excinfo)["answer"][0]


# --- asking from a hit --------------------------------------------------------------------


def test_a_hit_lets_an_agency_ask_for_a_record_it_cannot_see(sharing: dict[str, Any]) -> None:
    theirs = sharing["seizure"]
    ours = factories.seizure(sharing["diran"])
    hit = Hit.objects.create(
        kind="container",
        our_seizure=ours,
        our_agency=sharing["diran"],
        their_seizure=theirs,
        their_agency=sharing["jca"],
    )
    with pytest.raises(Http404):
        actions.request_access(
            sharing["diran_analyst"], theirs, level=Level.FULL, justification="match"
        )
    request = actions.request_access(
        sharing["diran_analyst"], theirs, level=Level.FULL, justification="match", hit=hit
    )
    assert request.hit == hit
    # another agency's hit opens nothing
    with pytest.raises(Http404):
        actions.request_access(
            sharing["senan_analyst"], theirs, level=Level.FULL, justification="x", hit=hit
        )
    (grant,) = actions.approve(sharing["jca_liaison"], request, note="ok")
    assert grant.seizure == theirs
    assert SeizureGroupAccess.objects.filter(grant=grant).exists()
    assert access.access_level(sharing["diran_analyst"], theirs) == Level.FULL


# --- time, revocation, suspension -------------------------------------------------------------


def granted(s: dict[str, Any], expires_at: Any = None, level: int = Level.FULL) -> Grant:
    offered = offer_to(
        s, s["case"], level=level, recipient_agency=s["diran"], expires_at=expires_at
    )
    (grant,) = actions.approve(s["jca_liaison2"], offered, note="ok")
    return grant


def test_a_grant_stops_counting_at_its_expiry_and_the_task_marks_it(
    sharing: dict[str, Any],
) -> None:
    grant = granted(sharing, expires_at=timezone.now() + timedelta(hours=1))
    assert access.access_level(sharing["diran_analyst"], sharing["case"]) == Level.FULL
    # time passes: the row still exists, but the door ignores it at once
    Grant.objects.filter(pk=grant.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    CaseGroupAccess.objects.filter(grant=grant).update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )
    assert access.access_level(sharing["diran_analyst"], sharing["case"]) == Level.NONE
    assert actions.expire_due_grants() == 1
    grant.refresh_from_db()
    assert grant.status == Grant.Status.EXPIRED
    assert not CaseGroupAccess.objects.filter(grant=grant).exists()
    assert AuditEntry.objects.filter(action="grant.expired", object_id=str(grant.pk)).exists()
    audiences = sorted(e.data["audience"] for e in Event.objects.filter(kind="grant.expired"))
    assert audiences == ["owner", "recipients"]
    assert actions.expire_due_grants() == 0  # idempotent


def test_owners_and_recipients_are_warned_three_days_before_expiry(
    sharing: dict[str, Any],
) -> None:
    granted(sharing, expires_at=timezone.now() + timedelta(days=2))
    assert actions.warn_expiring_grants() == 1
    assert actions.warn_expiring_grants() == 0
    assert Event.objects.filter(kind="grant.expiring").count() == 2


def test_a_pending_request_whose_expiry_passed_expires(sharing: dict[str, Any]) -> None:
    offered = offer_to(
        sharing,
        sharing["case"],
        recipient_agency=sharing["diran"],
        expires_at=timezone.now() + timedelta(minutes=5),
    )
    assert actions.expire_stale_requests(timezone.now() + timedelta(minutes=6)) == 1
    offered.refresh_from_db()
    assert offered.status == ShareRequest.Status.EXPIRED


def test_revocation_ends_access_at_once(sharing: dict[str, Any]) -> None:
    grant = granted(sharing)
    with pytest.raises(PermissionDenied):
        actions.revoke(sharing["jca_analyst"], grant, reason="x")
    with pytest.raises(PermissionDenied, match="recipient cannot"):
        actions.revoke(sharing["diran_liaison"], grant, reason="x")
    with pytest.raises(Http404):
        actions.revoke(sharing["senan_liaison"], grant, reason="x")
    with pytest.raises(ValidationError):
        actions.revoke(sharing["jca_liaison"], grant, reason="")
    actions.revoke(sharing["jca_liaison"], grant, reason="Operation compromised")
    grant.refresh_from_db()
    assert grant.status == Grant.Status.REVOKED
    assert grant.ended_by == sharing["jca_liaison"]
    assert access.access_level(sharing["diran_analyst"], sharing["case"]) == Level.NONE
    event = Event.objects.get(kind="grant.revoked")
    assert list(event.agencies.all()) == [sharing["diran"]]
    with pytest.raises(ValidationError):
        actions.revoke(sharing["jca_liaison"], grant, reason="again")


def test_lowering_trust_suspends_the_grants_above_the_new_ceiling(
    sharing: dict[str, Any],
) -> None:
    amber = granted(sharing)
    green_case = factories.case(sharing["jca"], tlp="GREEN")
    offered = offer_to(sharing, green_case, recipient_agency=sharing["diran"])
    (green,) = actions.approve(sharing["jca_liaison2"], offered, note="ok")
    # trust JCA→DIRAN goes from 2 to 1: AMBER no longer allowed, GREEN still is
    above = actions.grants_above_trust(sharing["jca"], sharing["diran"], 1)
    assert list(above) == [amber]
    count = actions.suspend_above_trust(
        sharing["jca"], sharing["diran"], 1, actor=None, reason="trust lowered to 1"
    )
    assert count == 1
    amber.refresh_from_db()
    green.refresh_from_db()
    assert amber.status == Grant.Status.SUSPENDED
    assert green.status == Grant.Status.ACTIVE
    assert access.access_level(sharing["diran_analyst"], sharing["case"]) == Level.NONE
    assert access.access_level(sharing["diran_analyst"], green_case) == Level.FULL
    assert Event.objects.filter(kind="grant.suspended").count() == 2
    assert AuditEntry.objects.filter(action="grant.suspended").count() == 1


def test_a_team_grant_is_suspended_when_a_less_trusted_agency_joins(
    sharing: dict[str, Any],
) -> None:
    team = factories.team(agencies=[sharing["diran"]])
    offered = offer_to(sharing, sharing["case"], recipient_team=team)
    (grant,) = actions.approve(sharing["jca_liaison2"], offered, note="ok")
    team.agencies.add(sharing["senan"])
    assert actions.recheck_team_grants(team) == 1
    grant.refresh_from_db()
    assert grant.status == Grant.Status.SUSPENDED
    assert "SENAN" in grant.end_reason


# --- what a case grant reaches ---------------------------------------------------------------


def test_a_case_grant_reaches_seizures_inside_it_marked_no_stricter(
    sharing: dict[str, Any],
) -> None:
    stricter = factories.seizure(sharing["jca"], case=sharing["case"], tlp="RED")
    milder = factories.seizure(sharing["jca"], case=sharing["case"], tlp="GREEN")
    granted(sharing, level=Level.SUMMARY)
    viewer = sharing["diran_analyst"]
    assert access.access_level(viewer, sharing["seizure"]) == Level.SUMMARY
    assert access.access_level(viewer, milder) == Level.SUMMARY
    assert access.access_level(viewer, stricter) == Level.NONE
    visible_ids = set(access.visible_seizures(viewer).values_list("pk", flat=True))
    assert visible_ids == {sharing["seizure"].pk, milder.pk}
    page = access.newest_visible(SeizureReport, viewer)
    assert {s.pk: s.access_level for s in page} == {  # type: ignore[attr-defined]
        sharing["seizure"].pk: Level.SUMMARY,
        milder.pk: Level.SUMMARY,
    }
    assert access.count_visible(Case, viewer).value == 1
