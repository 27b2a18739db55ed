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


def test_pages_and_sign_in_keep_working_while_redis_is_down(
    world: dict[str, Any], started: Started, _isolated_queue: str
) -> None:
    """Redis holds the idle-session clock and the sign-in rate counters. While it is down a
    signed-in person keeps browsing (the clock falls back to the session, so a session is
    neither ended early nor kept past its idle limit) and the sign-in page answers; nothing
    is a 503."""
    cache = RedisServer().start()
    try:
        portal = started.portal(_isolated_queue, REDIS_URL=cache.url)
        browser = requests.Session()
        name, value = world["session_cookie"]
        browser.cookies.set(name, value, domain="127.0.0.1")
        pages = ["/", "/cases/", "/cases/seizures/", f"/cases/{world['case']}/", "/search/?q=x"]

        # given a signed-in analyst browsing
        for path in pages:
            response = browser.get(f"{portal.url}{path}", timeout=30, allow_redirects=False)
            assert response.status_code == 200, (path, response.status_code)

        # when Redis stops, then the pages, the sign-in page and a sign-in attempt still answer
        cache.stop()
        for path in pages:
            began = time.monotonic()
            response = browser.get(f"{portal.url}{path}", timeout=30, allow_redirects=False)
            assert response.status_code == 200, (path, response.status_code, response.text[:300])
            assert not traces_in(response.text)
            assert time.monotonic() - began < 15
        login = requests.get(f"{portal.url}/accounts/login/", timeout=30)
        assert login.status_code == 200, login.status_code
        attempt = requests.Session()
        attempt.get(f"{portal.url}/accounts/login/", timeout=30)
        tried = attempt.post(
            f"{portal.url}/accounts/login/",
            data={
                "username": "jca-analyst",
                "password": "wrong",
                "csrfmiddlewaretoken": attempt.cookies.get("enlace-csrf", ""),
            },
            headers={"Referer": f"{portal.url}/accounts/login/"},
            timeout=30,
        )
        assert tried.status_code == 200, (tried.status_code, tried.text[:300])  # form again

        # and when Redis returns (empty), browsing goes on in the same session
        cache.start()
        for path in pages:
            response = browser.get(f"{portal.url}{path}", timeout=30, allow_redirects=False)
            assert response.status_code == 200, (path, response.status_code)
    finally:
        for process in reversed(started):
            process.stop()
        started.clear()
        cache.stop()
