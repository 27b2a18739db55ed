"""/api/v1/share-requests/ and /api/v1/grants/: per-field 400s, 404 for the invisible, the
four-eyes 403, and list query counts that do not grow with the rows."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from sharing import access, actions
from sharing.models import Grant, Level, ShareRequest
from tests import factories

pytestmark = pytest.mark.django_db

REQUESTS = "/api/v1/share-requests/"
GRANTS = "/api/v1/grants/"


def offer(s: dict[str, Any], record: Any = None, **kw: Any) -> ShareRequest:
    params: dict[str, Any] = {"level": Level.FULL}
    if not {"recipient_team", "recipient_users", "recipient_agency"} & set(kw):
        params["recipient_agency"] = s["diran"]
    params.update(kw)
    return actions.offer(
        s["jca_liaison"], record or s["case"], justification="Route overlap", **params
    )


def test_a_partner_asks_for_access_to_a_record_it_sees_in_summary(
    sharing: dict[str, Any], signed_in: Callable[..., Client]
) -> None:
    actions.approve(sharing["jca_liaison2"], offer(sharing, level=Level.SUMMARY), note="ok")
    client = signed_in(sharing["diran_analyst"])
    response = client.post(
        REQUESTS,
        {
            "kind": "access",
            "target": sharing["case"].pk,
            "level": "full",
            "justification": "We hold the consignee",
            "expires_at": (timezone.now() + timedelta(days=30)).isoformat(),
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["kind"] == "access"
    assert body["status"] == "pending"
    assert body["level"] == "full"
    assert body["case"] == sharing["case"].pk
    assert body["record"]["reference"] == sharing["case"].reference
    assert body["recipient_agency"]["acronym"] == "DIRAN"
    assert body["requested_by"]["username"] == "diran-analyst"


def test_asking_about_a_missing_or_an_invisible_record_gets_the_same_answer(
    sharing: dict[str, Any], signed_in: Callable[..., Client]
) -> None:
    client = signed_in(sharing["diran_analyst"])
    base = {"kind": "access", "level": "full", "justification": "x"}
    invisible = client.post(
        REQUESTS, {**base, "target": sharing["case"].pk}, content_type="application/json"
    )
    missing = client.post(REQUESTS, {**base, "target": 987654}, content_type="application/json")
    assert invisible.status_code == missing.status_code == 400
    assert invisible.json() == missing.json() == {"target": ["No such case."]}
    invisible = client.post(
        REQUESTS, {**base, "seizure": sharing["seizure"].pk}, content_type="application/json"
    )
    missing = client.post(REQUESTS, {**base, "seizure": 987654}, content_type="application/json")
    assert invisible.json() == missing.json() == {"seizure": ["No such seizure report."]}
    assert not ShareRequest.objects.exists()


def test_a_request_the_caller_s_agency_is_not_party_to_is_a_404(
    sharing: dict[str, Any], signed_in: Callable[..., Client]
) -> None:
    request = offer(sharing)
    stranger = signed_in(sharing["senan_liaison"])
    invisible = stranger.get(f"{REQUESTS}{request.pk}/")
    missing = stranger.get(f"{REQUESTS}987654/")
    assert invisible.status_code == missing.status_code == 404
    assert invisible.content == missing.content
    for verb in ("approve", "deny", "withdraw", "answer"):
        assert stranger.post(f"{REQUESTS}{request.pk}/{verb}/", {"note": "x"}).status_code == 404
    assert stranger.get(REQUESTS).json()["count"] == 0


def test_approval_over_the_api_obeys_four_eyes_and_is_final(
    sharing: dict[str, Any], signed_in: Callable[..., Client]
) -> None:
    request = offer(sharing)
    url = f"{REQUESTS}{request.pk}/approve/"
    own = signed_in(sharing["jca_liaison"]).post(url, {"note": "mine"})
    assert own.status_code == 403
    assert "four-eyes" in own.json()["detail"]
    analyst = signed_in(sharing["jca_analyst"]).post(url, {"note": "x"})
    assert analyst.status_code == 403
    no_note = signed_in(sharing["jca_liaison2"]).post(url, {"note": ""})
    assert no_note.status_code == 400
    assert "note" in no_note.json()
    approved = signed_in(sharing["jca_liaison2"]).post(url, {"note": "For Op. Caribe"})
    assert approved.status_code == 200, approved.content
    assert approved.json()["status"] == "approved"
    assert approved.json()["decision_note"] == "For Op. Caribe"
    again = signed_in(sharing["jca_liaison2"]).post(url, {"note": "again"})
    assert again.status_code == 400
    assert "final" in again.json()["status"][0]
    assert Grant.objects.filter(share_request=request).count() == 1


def test_a_tlp_or_trust_refusal_names_the_rule_beside_the_field(
    sharing: dict[str, Any], signed_in: Callable[..., Client]
) -> None:
    client = signed_in(sharing["jca_liaison"])
    red = factories.case(sharing["jca"], tlp="RED")
    response = client.post(
        REQUESTS,
        {
            "kind": "offer",
            "target": red.pk,
            "level": "full",
            "justification": "x",
            "recipient_agency": sharing["diran"].pk,
        },
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json() == {
        "recipient_agency": ["TLP:RED records may be shared with named people only."]
    }
    response = client.post(
        REQUESTS,
        {
            "kind": "offer",
            "target": sharing["case"].pk,
            "level": "full",
            "justification": "x",
            "recipient_agency": sharing["senan"].pk,
        },
        content_type="application/json",
    )
    assert response.status_code == 400
    (message,) = response.json()["recipient_agency"]
    assert "JCA's trust in SENAN is 1" in message
    assert not ShareRequest.objects.exists()


def test_a_recipient_offering_someone_else_s_record_is_refused(
    sharing: dict[str, Any], signed_in: Callable[..., Client]
) -> None:
    actions.approve(sharing["jca_liaison2"], offer(sharing), note="ok")
    response = signed_in(sharing["diran_liaison"]).post(
        REQUESTS,
        {
            "kind": "offer",
            "target": sharing["case"].pk,
            "level": "summary",
            "justification": "pass it on",
            "recipient_agency": sharing["senan"].pk,
        },
        content_type="application/json",
    )
    assert response.status_code == 403
    assert "extend" in response.json()["detail"]


def test_an_rfi_is_answered_over_the_api_and_the_requester_reads_the_answer(
    sharing: dict[str, Any], signed_in: Callable[..., Client]
) -> None:
    actions.approve(sharing["jca_liaison2"], offer(sharing, level=Level.SUMMARY), note="ok")
    asker = signed_in(sharing["diran_analyst"])
    created = asker.post(
        REQUESTS,
        {
            "kind": "rfi",
            "seizure": sharing["seizure"].pk,
            "question": "Which shipping line?",
            "justification": "Same route",
            "priority": "urgent",
            "due_date": (timezone.localdate() + timedelta(days=1)).isoformat(),
        },
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    answer = signed_in(sharing["jca_analyst"]).post(
        f"{REQUESTS}{pk}/answer/", {"answer": "Caribe Line"}
    )
    assert answer.status_code == 200, answer.content
    seen = asker.get(f"{REQUESTS}{pk}/").json()
    assert seen["answer"] == "Caribe Line"
    assert seen["status"] == "approved"


def test_grants_list_what_we_share_and_what_is_shared_with_us_and_revoke(
    sharing: dict[str, Any], signed_in: Callable[..., Client]
) -> None:
    (grant,) = actions.approve(sharing["jca_liaison2"], offer(sharing), note="ok")
    owner = signed_in(sharing["jca_liaison"])
    given = owner.get(GRANTS, {"direction": "given"}).json()
    assert [g["id"] for g in given["results"]] == [grant.pk]
    assert given["results"][0]["recipient"] == {
        "type": "agency",
        "id": sharing["diran"].pk,
        "acronym": "DIRAN",
        "name": "DIRAN agency",
    }
    recipient = signed_in(sharing["diran_analyst"])
    received = recipient.get(GRANTS, {"direction": "received"}).json()
    assert [g["id"] for g in received["results"]] == [grant.pk]
    assert received["results"][0]["record"]["reference"] == sharing["case"].reference
    assert recipient.post(f"{GRANTS}{grant.pk}/revoke/", {"reason": "x"}).status_code == 403
    assert signed_in(sharing["senan_liaison"]).get(f"{GRANTS}{grant.pk}/").status_code == 404
    revoked = owner.post(f"{GRANTS}{grant.pk}/revoke/", {"reason": "Operation compromised"})
    assert revoked.status_code == 200, revoked.content
    assert revoked.json()["status"] == "revoked"
    # the recipient no longer sees the grant, nor the record
    assert recipient.get(GRANTS).json()["count"] == 0
    assert recipient.get(f"{GRANTS}{grant.pk}/").status_code == 404
    assert access.access_level(sharing["diran_analyst"], sharing["case"]) == Level.NONE


def _queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def test_list_endpoints_cost_the_same_for_3_or_13_rows(
    sharing: dict[str, Any], signed_in: Callable[..., Client]
) -> None:
    factories.trust(sharing["jca"], sharing["diran"], 3)
    hit_team = factories.team(agencies=[sharing["diran"]])

    def add_rows(n: int) -> None:
        for i in range(n):
            record = factories.case(sharing["jca"], tlp=["GREEN", "AMBER", "RED"][i % 3])
            if record.tlp == "RED":
                recipients: dict[str, Any] = {"recipient_users": [sharing["diran_analyst"]]}
            elif i % 2:
                recipients = {"recipient_team": hit_team}
            else:
                recipients = {"recipient_agency": sharing["diran"]}
            request = offer(sharing, record, **recipients)
            actions.approve(sharing["jca_liaison2"], request, note="ok")
            actions.send_rfi(
                sharing["diran_analyst"], record, question="?", justification="because"
            )

    add_rows(3)
    owner, recipient = signed_in(sharing["jca_liaison"]), signed_in(sharing["diran_analyst"])
    urls = [REQUESTS, GRANTS, f"{GRANTS}?direction=received", f"{REQUESTS}?direction=outgoing"]
    before = {
        (who, url): _queries(c, url) for who, c in [("o", owner), ("r", recipient)] for url in urls
    }
    add_rows(10)
    after = {
        (who, url): _queries(c, url) for who, c in [("o", owner), ("r", recipient)] for url in urls
    }
    assert after == before
    assert max(after.values()) <= 14
