"""Redis (the Celery broker and the cache behind the API's rate limits) stops while liaison
officers share records through the API: the shares still succeed, and the notifications
arrive once Redis is back — once each. The outbox row written with the grant is what
survives; ``tests/notifications/test_worker.py`` proves the same at the level of the actions.
"""

from __future__ import annotations

import time
from typing import Any

import pytest
import requests

from agencies.models import Agency
from notifications.models import Event, Notification
from sharing.models import Grant
from tests import factories
from tests.conftest import Beat, Worker, wait_for
from tests.notifications.test_worker import FAST_RELAY, RedisServer
from tests.reliability.conftest import Started
from tests.reliability.servers import api, traces_in

pytestmark = [pytest.mark.worker, pytest.mark.slow]


def share(portal_url: str, world: dict[str, Any], case_id: int) -> requests.Response:
    """JCA offers the case to DIRAN; a second JCA liaison officer approves (four-eyes)."""
    offered = api(world["tokens"]["jca_liaison"]).post(
        f"{portal_url}/api/v1/share-requests/",
        json={
            "kind": "offer",
            "target": case_id,
            "level": "full",
            "justification": "Same consignee in Cartagena",
            "recipient_agency": world["agencies"]["diran"],
        },
        timeout=30,
    )
    assert offered.status_code == 201, offered.text
    return api(world["tokens"]["jca_liaison2"]).post(
        f"{portal_url}/api/v1/share-requests/{offered.json()['id']}/approve/",
        json={"note": "Approved"},
        timeout=30,
    )


def readers_of(grant: Grant) -> list[int]:
    events = Event.objects.filter(kind="grant.created", object_id=str(grant.pk))
    return sorted(Notification.objects.filter(event__in=events).values_list("user_id", flat=True))


def test_shares_succeed_while_redis_is_down_and_notify_once_when_it_returns(
    world: dict[str, Any], started: Started, _isolated_queue: str
) -> None:
    broker = RedisServer().start()
    try:
        env = {"REDIS_URL": broker.url, **FAST_RELAY}
        portal = started.portal(_isolated_queue, **env)
        started.append(Worker(_isolated_queue, env=env).start())
        started.append(Beat(_isolated_queue, env=env).start())
        diran = sorted([world["users"]["diran_analyst"], world["users"]["diran_liaison"]])
        jca = Agency.objects.get(pk=world["agencies"]["jca"])
        cases = [factories.case(jca, title=f"Shared case {n}") for n in range(2)]

        # given sharing works, and notifies at once
        assert share(portal.url, world, cases[0].pk).status_code == 200
        first = Grant.objects.get(case=cases[0])
        wait_for(lambda: readers_of(first) == diran, timeout=90)

        # when Redis stops
        broker.stop()
        began = time.monotonic()
        approved = share(portal.url, world, cases[1].pk)
        took = time.monotonic() - began
        listed = api(world["tokens"]["diran_analyst"]).get(
            f"{portal.url}/api/v1/cases/", timeout=30
        )

        # then the share and reads still work, promptly
        assert approved.status_code == 200, approved.text
        assert not traces_in(approved.text)
        assert took < 15
        assert listed.status_code == 200, listed.text
        second = Grant.objects.get(case=cases[1])
        assert second.status == Grant.Status.ACTIVE
        assert [c["id"] for c in listed.json()["results"]][:1] == [cases[1].pk]
        time.sleep(2)
        assert readers_of(second) == []  # nobody told yet: the broker is gone

        # and when Redis returns (empty: whatever it held is lost), they are told, once
        broker.start()
        wait_for(lambda: readers_of(second) == diran, timeout=120)
        time.sleep(4)  # several relay rounds later: still once each
        assert readers_of(second) == diran
        assert readers_of(first) == diran
    finally:
        for process in reversed(started):
            process.stop()
        started.clear()
        broker.stop()
