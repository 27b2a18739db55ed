"""The network between the portal and its stores fails without the stores stopping: a TCP proxy
(``proxy.py``) between gunicorn and PostgreSQL, or between everyone and Redis, slows every
packet, holds every packet (a partition: connections are accepted and nothing ever answers),
or resets every connection.

PostgreSQL: while it is slow the portal answers, only slower; while it is partitioned away
every request ends in bounded time with a clean ``503`` + ``Retry-After`` (not a hang, not a
``500``); cut connections are replaced without an error; everything works again when the
partition heals, and no seizure report is half written.

Redis: while it is slow or partitioned away pages, the API and sharing answer in bounded time;
the partner is told of a share made meanwhile once Redis is reachable again, once.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import requests
from django.db import connection

from agencies.models import Agency
from cases.models import SeizureReport
from sharing.models import Grant
from tests import factories
from tests.cases.builders import seizure_payload
from tests.conftest import Beat, Worker, wait_for
from tests.notifications.test_worker import FAST_RELAY, RedisServer
from tests.reliability.conftest import Started
from tests.reliability.proxy import Proxy
from tests.reliability.servers import api, traces_in
from tests.reliability.test_redis_outage import readers_of, share

pytestmark = [pytest.mark.worker, pytest.mark.slow]

BOUND_SECONDS = 15  # the longest any request may take while a store does not answer
# The portal's limits in these tests (README "Configuration"): a request waits at most
# statement + 2 + connect seconds for PostgreSQL (a stale connection's health check, then one
# new connection), here 5 + 2 + 3 = 10.
DB_LIMITS = {"DATABASE_STATEMENT_TIMEOUT_SECONDS": "5", "DATABASE_CONNECT_TIMEOUT_SECONDS": "3"}


@pytest.fixture
def db_proxy() -> Iterator[Proxy]:
    db = connection.settings_dict
    proxy = Proxy(int(db["PORT"] or 5432), db["HOST"] or "127.0.0.1").start()
    yield proxy
    proxy.stop()


def _through(proxy: Proxy) -> str:
    db = connection.settings_dict
    return f"postgresql://{db['USER']}@127.0.0.1:{proxy.port}/{db['NAME']}"


def _browser(world: dict[str, Any]) -> requests.Session:
    session = requests.Session()
    name, value = world["session_cookie"]
    session.cookies.set(name, value, domain="127.0.0.1")
    return session


Call = Callable[[], requests.Response]


def _calls(base: str, world: dict[str, Any], marker: str) -> dict[str, Call]:
    reader = api(world["tokens"]["jca_analyst"])
    writer = api(world["tokens"]["jca_analyst"])
    browser = _browser(world)
    counter = iter(range(1_000_000))

    def write() -> requests.Response:
        body = seizure_payload(summary=f"{marker} {next(counter)}")
        return writer.post(f"{base}/api/v1/seizures/", json=body, timeout=60)

    return {
        "api list": lambda: reader.get(f"{base}/api/v1/cases/", timeout=60),
        "api record": lambda: reader.get(f"{base}/api/v1/seizures/{world['seizure']}/", timeout=60),
        "api write": write,
        "page": lambda: browser.get(f"{base}/cases/", timeout=60, allow_redirects=False),
        "page record": lambda: browser.get(
            f"{base}/cases/{world['case']}/", timeout=60, allow_redirects=False
        ),
    }


def _all_at_once(calls: dict[str, Call]) -> dict[str, tuple[int, float, requests.Response | None]]:
    """Send every call at the same moment; (status, seconds, response) by name."""
    results: dict[str, tuple[int, float, requests.Response | None]] = {}

    def run(name: str, call: Call) -> None:
        began = time.monotonic()
        try:
            response: requests.Response | None = call()
            status = response.status_code if response is not None else 0
        except requests.RequestException:
            response, status = None, 0
        results[name] = (status, time.monotonic() - began, response)

    threads = [threading.Thread(target=run, args=item) for item in calls.items()]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results


def _timings(results: dict[str, tuple[int, float, Any]]) -> str:
    return ", ".join(f"{name} {status} {took:.1f}s" for name, (status, took, _) in results.items())


def test_a_partitioned_database_gets_clean_503s_in_bounded_time_and_everything_recovers(
    world: dict[str, Any], started: Started, _isolated_queue: str, db_proxy: Proxy
) -> None:
    portal = started.portal(_isolated_queue, DATABASE_URL=_through(db_proxy), **DB_LIMITS)
    calls = _calls(portal.url, world, "partition-run")
    ok = {200, 201}

    # given the portal works through the proxy
    given = _all_at_once(calls)
    assert all(status in ok for status, _, _ in given.values()), _timings(given)

    # when every packet to and from PostgreSQL waits 100 ms, then everything answers, slower
    db_proxy.slow(100)
    slow = _all_at_once(calls)
    print(f"\nPostgreSQL slowed by 100 ms a packet: {_timings(slow)}")
    assert all(status in ok for status, _, _ in slow.values()), _timings(slow)
    assert all(took < BOUND_SECONDS * 2 for _, took, _ in slow.values()), _timings(slow)

    # when PostgreSQL stops answering (a partition): the open connections and new ones alike
    db_proxy.heal()
    db_proxy.black_hole()
    began = time.monotonic()
    held = _all_at_once(calls)
    again = _all_at_once(calls)  # the connections given up are replaced by new ones, held too
    print(f"PostgreSQL partitioned away: {_timings(held)}; again: {_timings(again)}")
    print(f"partition lasted {time.monotonic() - began:.1f}s")

    # then every request ended in bounded time with a clean 503, JSON on the API
    for results in (held, again):
        for name, (status, took, response) in results.items():
            assert status == 503, (name, status, _timings(results))
            assert took < BOUND_SECONDS, (name, took)
            assert response is not None and response.headers.get("Retry-After")
            assert not traces_in(response.text), response.text[:300]
            if name.startswith("api"):
                assert json.loads(response.text)["detail"]

    # when the partition heals, everything works again at once, on the same processes
    db_proxy.heal()
    healed = _all_at_once(calls)
    print(f"healed: {_timings(healed)}")
    assert all(status in ok for status, _, _ in healed.values()), _timings(healed)

    # when every connection is cut (reset) between requests, the next requests open new ones
    assert db_proxy.cut() > 0
    after_cut = _all_at_once(calls)
    print(f"after every connection was cut: {_timings(after_cut)}")
    assert all(status in ok for status, _, _ in after_cut.values()), _timings(after_cut)

    # and no seizure report is half written: a write refused during the partition was never
    # stored, or stored whole (its COMMIT may reach the server when the partition heals)
    for report in SeizureReport.objects.filter(summary__startswith="partition-run"):
        assert report.items.count() == 3, report.summary
    created = {
        r.json()["summary"]
        for results in (given, slow, healed, after_cut)
        for status, _, r in results.values()
        if status == 201 and r is not None
    }
    stored = set(
        SeizureReport.objects.filter(summary__startswith="partition-run").values_list(
            "summary", flat=True
        )
    )
    assert created <= stored


def test_a_slow_or_partitioned_redis_keeps_pages_and_sharing_answering_and_notifies_once(
    world: dict[str, Any], started: Started, _isolated_queue: str
) -> None:
    """Redis is everyone's here, behind the proxy: the portal's cache, its broker, the worker's
    and beat's. A partition cuts them all off, as a real one would."""
    server = RedisServer().start()
    proxy = Proxy(server.port).start()
    try:
        env = {"REDIS_URL": f"redis://127.0.0.1:{proxy.port}/0", **FAST_RELAY}
        portal = started.portal(_isolated_queue, **env)
        started.append(Worker(_isolated_queue, env=env).start())
        started.append(Beat(_isolated_queue, env=env).start())
        diran = sorted([world["users"]["diran_analyst"], world["users"]["diran_liaison"]])
        jca = Agency.objects.get(pk=world["agencies"]["jca"])
        cases = [factories.case(jca, title=f"Partitioned case {n}") for n in range(3)]
        browser = _browser(world)
        pages = ["/", "/cases/", "/cases/seizures/", f"/cases/{world['case']}/", "/search/?q=x"]

        def browse() -> list[tuple[str, int, float]]:
            seen = []
            for path in pages:
                began = time.monotonic()
                response = browser.get(f"{portal.url}{path}", timeout=60, allow_redirects=False)
                assert not traces_in(response.text)
                seen.append((path, response.status_code, time.monotonic() - began))
            return seen

        def timed_share(case_id: int) -> tuple[int, float]:
            began = time.monotonic()
            approved = share(portal.url, world, case_id)
            assert not traces_in(approved.text)
            return approved.status_code, time.monotonic() - began

        # given sharing works and notifies at once
        assert timed_share(cases[0].pk)[0] == 200
        first = Grant.objects.get(case=cases[0])
        wait_for(lambda: readers_of(first) == diran, timeout=90)

        # when every packet to and from Redis waits 200 ms, pages and sharing answer, and the
        # partner is told
        proxy.slow(200)
        slow_pages = browse()
        slow_share = timed_share(cases[1].pk)
        print(f"\nRedis slowed by 200 ms a packet: pages {slow_pages}, share {slow_share}")
        assert all(status == 200 and took < BOUND_SECONDS for _, status, took in slow_pages)
        assert slow_share[0] == 200 and slow_share[1] < BOUND_SECONDS
        second = Grant.objects.get(case=cases[1])
        wait_for(lambda: readers_of(second) == diran, timeout=90)

        # when Redis stops answering (a partition)
        proxy.heal()
        proxy.black_hole()
        held_pages = browse()
        held_share = timed_share(cases[2].pk)
        listed = api(world["tokens"]["diran_analyst"]).get(
            f"{portal.url}/api/v1/cases/", timeout=60
        )
        print(f"Redis partitioned away: pages {held_pages}, share {held_share}")

        # then pages, the API and sharing answered in bounded time
        assert all(status == 200 and took < BOUND_SECONDS for _, status, took in held_pages), (
            held_pages
        )
        assert held_share[0] == 200 and held_share[1] < BOUND_SECONDS, held_share
        assert listed.status_code == 200, listed.text[:300]
        third = Grant.objects.get(case=cases[2])
        assert third.status == Grant.Status.ACTIVE
        time.sleep(3)
        assert readers_of(third) == []  # nobody told yet: the broker is out of reach

        # and when the partition heals, the partner is told, once
        healed_at = time.monotonic()
        proxy.heal()
        wait_for(lambda: readers_of(third) == diran, timeout=120)
        print(f"told {time.monotonic() - healed_at:.1f}s after the partition healed")
        time.sleep(4)  # several relay rounds later: still once each
        assert readers_of(third) == diran
        assert readers_of(second) == diran
        assert readers_of(first) == diran
        healed_pages = browse()
        assert all(status == 200 for _, status, _ in healed_pages), healed_pages
    finally:
        for process in reversed(started):
            process.stop()
        started.clear()
        proxy.stop()
        server.stop()
