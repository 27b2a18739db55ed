"""People acting at the same moment, through the API of a real gunicorn: one decision per
share request, no edit silently overwritten, and no duplicate or lost seizure report when
fifty arrive at once. (``tests/sharing/test_concurrency.py`` proves the first at the level of
the actions, with two database connections.)"""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal
from functools import partial
from typing import Any

import pytest
import requests

from audit.models import AuditEntry
from cases.models import Case, SeizureItem, SeizureReport
from sharing.models import Grant, ShareRequest
from tests.cases.builders import seizure_payload
from tests.reliability.conftest import Started
from tests.reliability.servers import Portal, api

pytestmark = [pytest.mark.slow]


@pytest.fixture
def portal(started: Started, _isolated_queue: str) -> Portal:
    return started.portal(_isolated_queue)


def at_once(calls: list[Callable[[], requests.Response]]) -> list[requests.Response]:
    """Run the calls in threads released together; their responses, in order."""
    barrier = threading.Barrier(len(calls))

    def run(call: Callable[[], requests.Response]) -> requests.Response:
        barrier.wait(timeout=60)
        return call()

    with ThreadPoolExecutor(max_workers=len(calls)) as pool:
        return list(pool.map(run, calls))


def offer(portal: Portal, world: dict[str, Any], case_id: int) -> int:
    response = api(world["tokens"]["jca_liaison3"]).post(
        f"{portal.url}/api/v1/share-requests/",
        json={
            "kind": "offer",
            "target": case_id,
            "level": "full",
            "justification": "Same vessel",
            "recipient_agency": world["agencies"]["diran"],
        },
        timeout=30,
    )
    assert response.status_code == 201, response.text
    return int(response.json()["id"])


def test_a_share_request_decided_twice_at_once_gets_one_decision(
    world: dict[str, Any], portal: Portal
) -> None:
    from tests import factories

    jca = Case.objects.get(pk=world["case"]).owner_agency
    liaisons = [api(world["tokens"][n]) for n in ("jca_liaison", "jca_liaison2")]
    for round_ in range(4):
        request_id = offer(portal, world, factories.case(jca, title=f"Round {round_}").pk)
        url = f"{portal.url}/api/v1/share-requests/{request_id}"
        # two approvals at once, then an approval racing a denial
        verbs = ("approve", "approve") if round_ % 2 == 0 else ("approve", "deny")
        responses = at_once(
            [
                partial(session.post, f"{url}/{verb}/", json={"note": verb}, timeout=60)
                for session, verb in zip(liaisons, verbs, strict=True)
            ]
        )
        statuses = sorted(r.status_code for r in responses)
        assert statuses == [200, 400], [r.text for r in responses]
        loser = next(r for r in responses if r.status_code == 400)
        assert "status" in loser.json()  # "this request was already decided"
        share_request = ShareRequest.objects.get(pk=request_id)
        winner = next(r for r in responses if r.status_code == 200)
        assert share_request.status == winner.json()["status"]
        grants = Grant.objects.filter(share_request=share_request).count()
        assert grants == (1 if share_request.status == "approved" else 0)
        decisions = AuditEntry.objects.filter(
            action="share_request.decided", object_id=str(request_id), outcome="success"
        ).count()
        assert decisions == 1


def test_two_edits_of_one_case_at_once_one_wins_and_the_other_gets_a_409(
    world: dict[str, Any], portal: Portal
) -> None:
    editors = [api(world["tokens"]["jca_analyst"]), api(world["tokens"]["jca_analyst"])]
    url = f"{portal.url}/api/v1/cases/{world['case']}/"
    for round_ in range(4):
        version = editors[0].get(url, timeout=30).json()["version"]
        titles = [f"Round {round_} by editor {n}" for n in (1, 2)]
        responses = at_once(
            [
                partial(session.patch, url, json={"title": title, "version": version}, timeout=60)
                for session, title in zip(editors, titles, strict=True)
            ]
        )
        assert sorted(r.status_code for r in responses) == [200, 409], [r.text for r in responses]
        winner = next(r for r in responses if r.status_code == 200).json()
        conflict = next(r for r in responses if r.status_code == 409).json()
        assert conflict["current_version"] == version + 1
        assert "version" in conflict["detail"]
        case = Case.objects.get(pk=world["case"])
        assert case.title == winner["title"] and case.version == version + 1


def test_two_edits_of_one_seizure_report_never_mix_their_items(
    world: dict[str, Any], portal: Portal
) -> None:
    session = api(world["tokens"]["jca_analyst"])
    created = session.post(f"{portal.url}/api/v1/seizures/", json=seizure_payload(), timeout=60)
    assert created.status_code == 201, created.text
    url = f"{portal.url}/api/v1/seizures/{created.json()['id']}/"
    for round_ in range(3):
        version = session.get(url, timeout=30).json()["version"]
        item = {"kind": "drug", "substance": "cannabis_herb", "unit": "kg"}
        # each edit differs from the report as it stands (an edit that changes nothing is no
        # conflict) and from the other one
        bodies = [
            {
                "version": version,
                "items": [
                    {**item, "quantity": str(100 * round_ + 10 * n + q)} for q in range(n + 1)
                ],
            }
            for n in (1, 2)
        ]
        responses = at_once(
            [
                partial(api(world["tokens"]["jca_analyst"]).patch, url, json=body, timeout=60)
                for body in bodies
            ]
        )
        statuses = [r.status_code for r in responses]
        assert sorted(statuses) == [200, 409], [r.text for r in responses]
        # the report holds exactly the items of the edit that won, none of the other's
        sent = sorted(Decimal(i["quantity"]) for i in bodies[statuses.index(200)]["items"])
        stored = sorted(
            q
            for q in SeizureItem.objects.filter(seizure_id=created.json()["id"]).values_list(
                "quantity", flat=True
            )
            if q is not None
        )
        assert stored == sent
        assert SeizureReport.objects.get(pk=created.json()["id"]).version == version + 1


def test_fifty_seizure_reports_submitted_at_once_are_all_stored_once_with_distinct_references(
    world: dict[str, Any], portal: Portal
) -> None:
    sessions = [api(world["tokens"]["jca_analyst"]) for _ in range(50)]
    responses = at_once(
        [
            partial(
                session.post,
                f"{portal.url}/api/v1/seizures/",
                json=seizure_payload(summary=f"simultaneous {n}"),
                timeout=120,
            )
            for n, session in enumerate(sessions)
        ]
    )
    assert [r.status_code for r in responses] == [201] * 50, [
        r.text[:200] for r in responses if r.status_code != 201
    ]
    references = [r.json()["reference"] for r in responses]
    assert len(set(references)) == 50
    numbers = sorted(int(ref.rsplit("-S", 1)[1]) for ref in references)
    assert numbers == list(range(numbers[0], numbers[0] + 50))  # no gap, no repeat
    stored = SeizureReport.objects.filter(summary__startswith="simultaneous ")
    assert stored.count() == 50
    assert sorted(stored.values_list("summary", flat=True)) == sorted(
        f"simultaneous {n}" for n in range(50)
    )
    assert SeizureItem.objects.filter(seizure__in=stored).count() == 50 * 3
    assert (
        AuditEntry.objects.filter(action="seizure.created", object_type="cases.seizurereport")
        .filter(object_id__in=[str(r.json()["id"]) for r in responses])
        .count()
        == 50
    )
