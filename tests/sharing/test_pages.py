"""The sharing pages by role: shared with us, what we share (revoke), the approval queue
(approve, deny, answer), our requests (withdraw), asking and offering from a record's page.

Region (tests/sharing/conftest.py): JCA owns an AMBER case and seizure report; JCA trusts
DIRAN at 2 and SENAN at 1 (too little for AMBER). Names: ``test_it_*``; one fixture world.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from audit.models import AuditEntry
from sharing import actions
from sharing.models import Grant, Level, ShareRequest
from tests import factories

pytestmark = pytest.mark.django_db

SignedIn = Callable[..., Client]


def share(s: dict[str, Any], record: Any = None, level: int = Level.FULL, **kw: Any) -> Grant:
    if not {"recipient_agency", "recipient_team", "recipient_users"} & set(kw):
        kw["recipient_agency"] = s["diran"]
    offered = actions.offer(
        s["jca_liaison"], record or s["case"], level=level, justification="route", **kw
    )
    (grant,) = actions.approve(s["jca_liaison2"], offered, note="ok")
    return grant


def ask(s: dict[str, Any], who: str = "diran_analyst", **kw: Any) -> ShareRequest:
    return actions.request_access(
        s[who], kw.pop("record", s["case"]), level=kw.pop("level", Level.FULL),
        justification=kw.pop("justification", "We hold the consignee"), **kw,
    )  # fmt: skip


# --- shared with us ---------------------------------------------------------------------------


def test_it_lists_what_is_shared_with_my_agency_and_links_through_the_door(
    sharing: dict[str, Any], signed_in: SignedIn
) -> None:
    share(sharing, expires_at=timezone.now() + timedelta(days=9))
    html = signed_in(sharing["diran_analyst"]).get("/sharing/shared-with-us/").content.decode()
    case = sharing["case"]
    assert case.reference in html and f'href="/cases/{case.pk}/"' in html
    assert "JCA" in html and "full" in html
    assert (timezone.now() + timedelta(days=9)).strftime("%Y-%m-%d") in html
    # a stranger and the owner see nothing shared with them
    for who in ("senan_analyst", "jca_analyst"):
        body = signed_in(sharing[who]).get("/sharing/shared-with-us/").content.decode()
        assert case.reference not in body, who
    assert AuditEntry.objects.filter(action="grant.listed", actor_username="diran-analyst").exists()


def test_it_shows_team_and_named_shares_to_their_members(
    sharing: dict[str, Any], signed_in: SignedIn
) -> None:
    team = factories.team("Kingston PCU", agencies=[sharing["diran"]])
    share(sharing, recipient_team=team)
    html = signed_in(sharing["diran_analyst"]).get("/sharing/shared-with-us/").content.decode()
    assert "Kingston PCU" in html and sharing["case"].reference in html


# --- what we share ------------------------------------------------------------------------


def test_it_lists_our_active_grants_with_revoke_for_liaison_officers_only(
    sharing: dict[str, Any], signed_in: SignedIn
) -> None:
    grant = share(sharing)
    revoke_url = f"/sharing/grants/{grant.pk}/revoke/"
    liaison = signed_in(sharing["jca_liaison"]).get("/sharing/what-we-share/").content.decode()
    assert sharing["case"].reference in liaison and "DIRAN" in liaison
    assert revoke_url in liaison
    for who in ("jca_analyst", "jca_agency_admin"):
        response = signed_in(sharing[who]).get("/sharing/what-we-share/")
        assert response.status_code == 200
        assert sharing["case"].reference in response.content.decode()
        assert revoke_url not in response.content.decode(), who
    # the recipient's "what we share" is its own (empty)
    diran = signed_in(sharing["diran_liaison"]).get("/sharing/what-we-share/").content.decode()
    assert sharing["case"].reference not in diran


def test_it_revokes_with_a_reason_and_shows_the_missing_reason_beside_the_field(
    sharing: dict[str, Any], signed_in: SignedIn
) -> None:
    grant = share(sharing)
    client = signed_in(sharing["jca_liaison"])
    url = f"/sharing/grants/{grant.pk}/revoke/"
    refused = client.post(url, {f"revoke-{grant.pk}-reason": "  "})
    assert refused.status_code == 400
    assert f'id="id_revoke-{grant.pk}-reason_errors"' in refused.content.decode()
    grant.refresh_from_db()
    assert grant.status == Grant.Status.ACTIVE
    done = client.post(url, {f"revoke-{grant.pk}-reason": "Operation closed"})
    assert done.status_code == 302 and done["Location"] == "/sharing/what-we-share/"
    grant.refresh_from_db()
    assert grant.status == Grant.Status.REVOKED and grant.end_reason == "Operation closed"
    assert AuditEntry.objects.filter(action="grant.revoked", object_id=str(grant.pk)).exists()


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("jca_analyst", 403),
        ("jca_agency_admin", 403),
        ("diran_liaison", 403),  # the recipient never unshares
        ("senan_liaison", 404),  # a stranger learns nothing
    ],
)
def test_it_refuses_revocation_with_the_rules_message_and_changes_nothing(
    sharing: dict[str, Any], signed_in: SignedIn, who: str, status: int
) -> None:
    grant = share(sharing)
    client = signed_in(sharing[who])
    url = f"/sharing/grants/{grant.pk}/revoke/"
    assert client.get(url).status_code == status
    response = client.post(url, {f"revoke-{grant.pk}-reason": "no"})
    assert response.status_code == status
    if status == 403:
        assert "Only" in response.content.decode() and "owner agency" in response.content.decode()
    else:
        assert sharing["case"].reference not in response.content.decode()
    grant.refresh_from_db()
    assert grant.status == Grant.Status.ACTIVE


# --- the approval queue ----------------------------------------------------------------------


def test_it_orders_the_queue_urgent_first_then_oldest_and_shows_what_a_decision_needs(
    sharing: dict[str, Any], signed_in: SignedIn
) -> None:
    share(sharing, level=Level.SUMMARY)
    first = ask(sharing, justification="Routine one")
    rfi = actions.send_rfi(
        sharing["diran_analyst"], sharing["seizure"], question="Who is the consignee?",
        justification="Urgent interdiction", priority="urgent",
    )  # fmt: skip
    ShareRequest.objects.filter(pk=rfi.pk).update(created_at=timezone.now() + timedelta(hours=1))
    html = signed_in(sharing["jca_liaison"]).get("/sharing/queue/").content.decode()
    assert html.index(f"#{rfi.pk}<") < html.index(f"#{first.pk}<")
    assert "Routine one" in html and "Who is the consignee?" in html
    assert "diran-analyst" in html and "DIRAN" in html
    assert "TLP:AMBER" in html and f">{sharing['case'].handling_code}</abbr>" in html
    assert "trust-2" in html  # JCA's trust in DIRAN, in force
    assert f"/sharing/requests/{first.pk}/approve/" in html
    assert f"/sharing/requests/{rfi.pk}/answer/" in html
    assert f"/sharing/requests/{rfi.pk}/approve/" not in html  # an RFI is answered
    # an analyst of the owner sees the queue and may answer, not decide
    analyst = signed_in(sharing["jca_analyst"]).get("/sharing/queue/").content.decode()
    assert f"/sharing/requests/{rfi.pk}/answer/" in analyst
    assert f"/sharing/requests/{first.pk}/approve/" not in analyst
    # the asking agency's queue does not hold it
    other = signed_in(sharing["diran_liaison"]).get("/sharing/queue/").content.decode()
    assert f"#{first.pk}<" not in other


def test_it_approves_at_a_chosen_level_with_an_expiry(
    sharing: dict[str, Any], signed_in: SignedIn
) -> None:
    share(sharing, level=Level.SUMMARY)
    asked = ask(sharing, level=Level.CONTRIBUTE)
    ends = (timezone.now() + timedelta(days=20)).strftime("%Y-%m-%dT%H:%M")
    prefix = f"approve-{asked.pk}"
    response = signed_in(sharing["jca_liaison"]).post(
        f"/sharing/requests/{asked.pk}/approve/",
        {f"{prefix}-level": "full", f"{prefix}-recipient": "agency",
         f"{prefix}-expires_at": ends, f"{prefix}-note": "Agreed at full",
         "next": "/sharing/queue/"},
    )  # fmt: skip
    assert response.status_code == 302 and response["Location"] == "/sharing/queue/"
    asked.refresh_from_db()
    assert asked.status == ShareRequest.Status.APPROVED
    grant = Grant.objects.get(share_request=asked)
    assert grant.level == Level.FULL and grant.expires_at is not None
    assert grant.recipient_agency == sharing["diran"]


def test_it_approves_for_a_team_the_asking_agency_is_in(
    sharing: dict[str, Any], signed_in: SignedIn
) -> None:
    team = factories.team("Caribbean TF", agencies=[sharing["diran"]])
    share(sharing, level=Level.SUMMARY)
    asked = ask(sharing)
    prefix = f"approve-{asked.pk}"
    response = signed_in(sharing["jca_liaison"]).post(
        f"/sharing/requests/{asked.pk}/approve/",
        {f"{prefix}-level": "full", f"{prefix}-recipient": f"team-{team.pk}",
         f"{prefix}-note": "To the task force"},
    )  # fmt: skip
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Grant.objects.get(share_request=asked).recipient_team == team


def test_it_shows_a_rule_refusal_beside_the_field_and_changes_nothing(
    sharing: dict[str, Any], signed_in: SignedIn
) -> None:
    share(sharing, level=Level.SUMMARY)
    asked = ask(sharing, level=Level.FULL)
    prefix = f"approve-{asked.pk}"
    client = signed_in(sharing["jca_liaison"])
    # a note is required; an expiry in the past is refused by the rule
    empty = client.post(f"/sharing/requests/{asked.pk}/approve/", {f"{prefix}-level": "full"})
    assert empty.status_code == 400
    assert f'id="id_{prefix}-note_errors"' in empty.content.decode()
    past = (timezone.now() - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    late = client.post(
        f"/sharing/requests/{asked.pk}/approve/",
        {f"{prefix}-level": "full", f"{prefix}-note": "ok", f"{prefix}-expires_at": past},
    )
    assert late.status_code == 400
    assert f'id="id_{prefix}-expires_at_errors"' in late.content.decode()
    assert "Choose a time in the future." in late.content.decode()
    asked.refresh_from_db()
    assert asked.status == ShareRequest.Status.PENDING
    assert not Grant.objects.filter(share_request=asked).exists()


def test_it_refuses_the_four_eyes_breach_and_a_trust_breach_with_their_messages(
    sharing: dict[str, Any], signed_in: SignedIn
) -> None:
    # an offer made by one liaison officer cannot be approved by the same officer
    offered = actions.offer(sharing["jca_liaison"], sharing["case"], level=Level.FULL,
                            justification="x", recipient_agency=sharing["diran"])  # fmt: skip
    prefix = f"approve-{offered.pk}"
    body = {f"{prefix}-level": "full", f"{prefix}-note": "mine"}
    own = signed_in(sharing["jca_liaison"]).post(f"/sharing/requests/{offered.pk}/approve/", body)
    assert own.status_code == 403 and "four-eyes" in own.content.decode()
    # trust JCA -> SENAN is 1: an AMBER record cannot go there
    offered_to_senan = ShareRequest.objects.create(
        kind="offer", case=sharing["case"], owner_agency=sharing["jca"],
        requested_by=sharing["jca_liaison"], requesting_agency=sharing["jca"],
        recipient_agency=sharing["senan"], level=Level.FULL, justification="x",
    )  # fmt: skip
    prefix = f"approve-{offered_to_senan.pk}"
    refused = signed_in(sharing["jca_liaison2"]).post(
        f"/sharing/requests/{offered_to_senan.pk}/approve/",
        {f"{prefix}-level": "full", f"{prefix}-note": "try"},
    )
    assert refused.status_code == 400
    assert "trust in SENAN" in refused.content.decode()
    assert not Grant.objects.filter(share_request__in=[offered, offered_to_senan]).exists()


@pytest.mark.parametrize(
    ("who", "status"),
    [("jca_analyst", 403), ("jca_agency_admin", 403), ("diran_liaison", 403),
     ("senan_liaison", 404)],
)  # fmt: skip
def test_it_lets_only_the_owners_liaison_officers_decide(
    sharing: dict[str, Any], signed_in: SignedIn, who: str, status: int
) -> None:
    share(sharing, level=Level.SUMMARY)
    asked = ask(sharing)
    client = signed_in(sharing[who])
    body = {f"approve-{asked.pk}-level": "full", f"approve-{asked.pk}-note": "x"}
    approve = client.post(f"/sharing/requests/{asked.pk}/approve/", body)
    deny = client.post(f"/sharing/requests/{asked.pk}/deny/", {f"deny-{asked.pk}-note": "x"})
    assert approve.status_code == deny.status_code == status
    # even with empty input, the answer is the refusal, not a form error
    assert client.post(f"/sharing/requests/{asked.pk}/deny/", {}).status_code == status
    asked.refresh_from_db()
    assert asked.status == ShareRequest.Status.PENDING
    detail = client.get(f"/sharing/requests/{asked.pk}/")
    assert detail.status_code == (404 if status == 404 else 200)


def test_it_denies_with_a_note_and_answers_an_rfi(
    sharing: dict[str, Any], signed_in: SignedIn
) -> None:
    share(sharing, level=Level.SUMMARY)
    asked = ask(sharing)
    client = signed_in(sharing["jca_liaison"])
    assert client.post(f"/sharing/requests/{asked.pk}/deny/", {}).status_code == 400
    done = client.post(f"/sharing/requests/{asked.pk}/deny/", {f"deny-{asked.pk}-note": "No"})
    assert done.status_code == 302
    asked.refresh_from_db()
    assert asked.status == ShareRequest.Status.DENIED and asked.decision_note == "No"
    rfi = actions.send_rfi(sharing["diran_analyst"], sharing["case"], question="When?",
                           justification="x", priority="urgent")  # fmt: skip
    answered = signed_in(sharing["jca_analyst"]).post(
        f"/sharing/requests/{rfi.pk}/answer/", {f"answer-{rfi.pk}-answer": "Tuesday"}
    )
    assert answered.status_code == 302
    rfi.refresh_from_db()
    assert rfi.answer == "Tuesday" and rfi.status == ShareRequest.Status.APPROVED
    mine = signed_in(sharing["diran_analyst"]).get("/sharing/requests/").content.decode()
    assert "Tuesday" in mine and "No" in mine
    assert AuditEntry.objects.filter(action="share_request.decided").count() >= 2


# --- our requests -----------------------------------------------------------------------------


def test_it_lists_our_requests_and_lets_the_requester_withdraw(
    sharing: dict[str, Any], signed_in: SignedIn
) -> None:
    share(sharing, level=Level.SUMMARY)
    asked = ask(sharing)
    requester = signed_in(sharing["diran_analyst"])
    html = requester.get("/sharing/requests/").content.decode()
    assert f"/sharing/requests/{asked.pk}/withdraw/" in html and sharing["case"].reference in html
    assert "trust-" not in html  # the owner's trust in us is not ours to read
    # the owner may not withdraw; a stranger does not learn the request exists
    owner = signed_in(sharing["jca_liaison"]).post(f"/sharing/requests/{asked.pk}/withdraw/")
    assert owner.status_code == 403
    stranger = signed_in(sharing["senan_liaison"]).post(f"/sharing/requests/{asked.pk}/withdraw/")
    assert stranger.status_code == 404
    done = requester.post(f"/sharing/requests/{asked.pk}/withdraw/")
    assert done.status_code == 302
    asked.refresh_from_db()
    assert asked.status == ShareRequest.Status.WITHDRAWN
    again = requester.post(f"/sharing/requests/{asked.pk}/withdraw/")
    assert again.status_code == 400 and "already withdrawn" in again.content.decode()


def test_a_request_made_from_a_hit_never_names_the_record_to_the_asker(
    sharing: dict[str, Any], signed_in: SignedIn
) -> None:
    share(sharing, level=Level.SUMMARY)
    asked = ask(sharing)
    Grant.objects.filter(recipient_agency=sharing["diran"]).update(status="revoked")
    from sharing.models import CaseGroupAccess

    CaseGroupAccess.objects.all().delete()
    html = signed_in(sharing["diran_analyst"]).get(f"/sharing/requests/{asked.pk}/").content
    assert sharing["case"].reference not in html.decode()
    assert "you do not see it" in html.decode()


# --- asking and offering from a record's page -------------------------------------------------


def test_it_asks_for_access_from_a_record_seen_in_summary(
    sharing: dict[str, Any], signed_in: SignedIn
) -> None:
    share(sharing, level=Level.SUMMARY)
    client = signed_in(sharing["diran_analyst"])
    page = client.get(f"/cases/{sharing['case'].pk}/").content.decode()
    new = f"/sharing/requests/new/?kind=access&amp;case={sharing['case'].pk}"
    assert new in page
    url = f"/sharing/requests/new/?kind=access&case={sharing['case'].pk}"
    assert client.get(url).status_code == 200
    missing = client.post(url, {"level": "full"})
    assert missing.status_code == 400 and 'id="id_justification_errors"' in missing.content.decode()
    assert not ShareRequest.objects.filter(kind="access").exists()
    sent = client.post(url, {"level": "full", "justification": "Consignee known to us"})
    assert sent.status_code == 302
    created = ShareRequest.objects.get(kind="access")
    assert sent["Location"] == f"/sharing/requests/{created.pk}/"
    assert created.level == Level.FULL and created.requesting_agency == sharing["diran"]


def test_it_sends_an_rfi_about_a_seizure_report(
    sharing: dict[str, Any], signed_in: SignedIn
) -> None:
    share(sharing, record=sharing["seizure"], level=Level.SUMMARY)
    client = signed_in(sharing["diran_analyst"])
    url = f"/sharing/requests/new/?kind=rfi&seizure={sharing['seizure'].pk}"
    sent = client.post(url, {"question": "Which vessel?", "priority": "urgent",
                             "justification": "Boarding tonight"})  # fmt: skip
    assert sent.status_code == 302
    assert ShareRequest.objects.get(kind="rfi").priority == "urgent"


def test_it_answers_404_for_a_record_one_may_not_see(
    sharing: dict[str, Any], signed_in: SignedIn
) -> None:
    client = signed_in(sharing["diran_analyst"])
    for url in (
        f"/sharing/requests/new/?kind=access&case={sharing['case'].pk}",
        f"/sharing/requests/new/?kind=rfi&seizure={sharing['seizure'].pk}",
        "/sharing/requests/new/?kind=access&case=987654",
        "/sharing/requests/new/?kind=access",
    ):
        response = client.get(url)
        assert response.status_code == 404, url
        assert sharing["case"].reference not in response.content.decode()
    assert client.post(f"/sharing/requests/new/?kind=access&case={sharing['case'].pk}",
                       {"level": "full", "justification": "x"}).status_code == 404  # fmt: skip
    assert not ShareRequest.objects.exists()
    assert AuditEntry.objects.filter(
        action="share_request.created", outcome=AuditEntry.Outcome.DENIED
    ).exists()


def test_it_lets_the_owners_liaison_officer_offer_and_refuses_others(
    sharing: dict[str, Any], signed_in: SignedIn
) -> None:
    url = f"/sharing/requests/new/?kind=offer&case={sharing['case'].pk}"
    liaison = signed_in(sharing["jca_liaison"])
    assert "?kind=offer&amp;case=" in liaison.get(f"/cases/{sharing['case'].pk}/").content.decode()
    # trust refusal beside the recipient field
    refused = liaison.post(url, {"recipient_agency": sharing["senan"].pk, "level": "full",
                                 "justification": "x"})  # fmt: skip
    assert refused.status_code == 400
    assert 'id="id_recipient_agency_errors"' in refused.content.decode()
    sent = liaison.post(url, {"recipient_agency": sharing["diran"].pk, "level": "full",
                              "justification": "Shared route"})  # fmt: skip
    assert sent.status_code == 302
    assert ShareRequest.objects.filter(kind="offer").count() == 1
    analyst = signed_in(sharing["jca_analyst"])
    assert "?kind=offer" not in analyst.get(f"/cases/{sharing['case'].pk}/").content.decode()
    assert analyst.get(url).status_code == 403
    assert analyst.post(url, {"recipient_agency": sharing["diran"].pk, "level": "full",
                              "justification": "x"}).status_code == 403  # fmt: skip
    assert ShareRequest.objects.filter(kind="offer").count() == 1


def test_search_results_seen_in_summary_link_to_the_request_form(
    sharing: dict[str, Any], signed_in: SignedIn
) -> None:
    share(sharing, level=Level.SUMMARY)
    html = signed_in(sharing["diran_analyst"]).get("/search/?q=reefer").content.decode()
    assert sharing["case"].reference in html
    assert f"/sharing/requests/new/?kind=access&amp;case={sharing['case'].pk}" in html


# --- query counts: a list costs the same for 2 rows as for 12 ------------------------------


def _queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_it_reads_every_list_page_in_a_constant_number_of_queries(
    sharing: dict[str, Any], signed_in: SignedIn
) -> None:
    def more(n: int) -> None:
        for _ in range(n):
            case = factories.case(sharing["jca"], by=sharing["jca_analyst"], tlp="AMBER")
            share(sharing, record=case, level=Level.SUMMARY)
            actions.request_access(sharing["diran_analyst"], case, level=Level.FULL,
                                   justification="x")  # fmt: skip
            actions.send_rfi(sharing["diran_analyst"], case, question="q", justification="x")

    pages = {
        "diran_analyst": ["/sharing/shared-with-us/", "/sharing/requests/"],
        "diran_liaison": ["/sharing/requests/"],
        "jca_liaison": ["/sharing/what-we-share/", "/sharing/queue/"],
        "jca_analyst": ["/sharing/queue/"],
    }
    more(2)
    clients = {who: signed_in(sharing[who]) for who in pages}
    few = {(who, url): _queries(clients[who], url) for who, urls in pages.items() for url in urls}
    more(10)
    for (who, url), count in few.items():
        many = _queries(clients[who], url)
        assert many == count, f"{url} for {who}: {count} queries with few rows, {many} with many"
