"""PostgreSQL restarts (as after a crash) while people browse pages, read the API and submit
seizure reports: every request during the outage gets a clean 503 with Retry-After and no
trace, no report is half written, and reads, writes and the Celery worker all work again as
soon as the database is back — no process restarted.

The database here is a throwaway PostgreSQL cluster of the test's own (the machine's is never
touched); the portal runs under gunicorn and the worker as a real Celery process.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Iterator
from typing import Any

import psycopg2
import pytest
import requests

from tests.cases.builders import seizure_payload
from tests.conftest import Worker, wait_for
from tests.reliability.servers import Portal, ThrowawayPostgres, api, manage, traces_in
from tests.reliability.traffic import Answer, Traffic
from tests.reliability.world import MARK

pytestmark = [pytest.mark.worker, pytest.mark.slow]

ITEMS_PER_REPORT = 3  # seizure_payload: drug, firearm, cash
OUTAGE_SECONDS = 4


class Stack:
    def __init__(self, pg: ThrowawayPostgres, url: str, portal: Portal, world: dict[str, Any]):
        self.pg = pg
        self.url = url
        self.portal = portal
        self.world = world

    def sql(self, query: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        with psycopg2.connect(self.url) as conn, conn.cursor() as cursor:
            cursor.execute(query, params)
            return list(cursor.fetchall())

    def session(self, who: str) -> requests.Session:
        return api(self.world["tokens"][who])


@pytest.fixture(scope="module")
def stack(_isolated_queue: str) -> Iterator[Stack]:
    pg = ThrowawayPostgres().init().start()
    processes: list[Any] = []
    try:
        url = pg.create_database("enlace_fault")
        env = {**os.environ, "DATABASE_URL": url, "ENLACE_ENV": "test"}
        env["CELERY_QUEUE"] = _isolated_queue
        manage(env, "migrate", "--no-input", "-v", "0")
        out = manage(env, "shell", "-c", "from tests.reliability.world import main; main()")
        world = json.loads(out.split(MARK, 1)[1])
        portal = Portal(env).start()
        processes.append(portal)
        worker = Worker(_isolated_queue, env={"DATABASE_URL": url}).start()
        processes.append(worker)
        yield Stack(pg, url, portal, world)
    finally:
        for process in reversed(processes):
            process.stop()
        pg.destroy()


def _writes(stack: Stack) -> Any:
    def step(session: requests.Session, n: int) -> tuple[requests.Response, Any]:
        marker = f"restart-run {n}"
        body = seizure_payload(summary=marker)
        return session.post(f"{stack.portal.url}/api/v1/seizures/", json=body, timeout=30), marker

    return step


def _reads(stack: Stack, *, owner: bool) -> Any:
    paths = ["/api/v1/seizures/", "/api/v1/cases/", "/api/v1/notifications/unread_count/"]
    if owner:
        paths += [
            f"/api/v1/seizures/{stack.world['seizure']}/",
            f"/api/v1/cases/{stack.world['case']}/",
        ]

    def step(session: requests.Session, n: int) -> tuple[requests.Response, Any]:
        path = paths[n % len(paths)]
        return session.get(f"{stack.portal.url}{path}", timeout=30), path

    return step


def _pages(stack: Stack) -> Any:
    paths = ["/", "/notifications/"]

    def step(session: requests.Session, n: int) -> tuple[requests.Response, Any]:
        path = paths[n % len(paths)]
        return session.get(f"{stack.portal.url}{path}", timeout=30, allow_redirects=False), path

    return step


def _browser(stack: Stack) -> requests.Session:
    session = requests.Session()
    name, value = stack.world["session_cookie"]
    session.cookies.set(name, value, domain="127.0.0.1")
    return session


def _summary(answers: list[Answer]) -> str:
    counts: dict[tuple[str, int], int] = {}
    for a in answers:
        counts[(a.label, a.status)] = counts.get((a.label, a.status), 0) + 1
    return ", ".join(f"{label} {status}: {n}" for (label, status), n in sorted(counts.items()))


def test_a_database_restart_fails_requests_cleanly_and_everything_recovers(stack: Stack) -> None:
    # given people reading, browsing and writing
    traffic = Traffic(pause=0.05)
    traffic.add("write", lambda: stack.session("jca_analyst"), _writes(stack), threads=3)
    traffic.add("read", lambda: stack.session("diran_analyst"), _reads(stack, owner=False))
    traffic.add("read", lambda: stack.session("jca_analyst"), _reads(stack, owner=True), threads=2)
    traffic.add("page", lambda: _browser(stack), _pages(stack), threads=1)
    traffic.start()
    time.sleep(4)

    # when PostgreSQL goes away as in a crash, stays down a few seconds, and comes back
    stopping_at = time.monotonic()
    stack.pg.stop("immediate")
    down_at = time.monotonic()  # once it is gone: a request sent while it stops may still succeed
    time.sleep(OUTAGE_SECONDS)
    restarting_at = time.monotonic()  # from here it may accept connections before start returns
    stack.pg.start()
    back_at = time.monotonic()
    time.sleep(8)
    answers = traffic.stop()

    before = [a for a in answers if a.ended < stopping_at]
    during = [a for a in answers if down_at <= a.started and a.ended <= restarting_at]
    after = [a for a in answers if a.started >= back_at + 1.0]
    report = _summary(answers)
    print(f"outage {OUTAGE_SECONDS}s: {report}")

    # then: before the outage everything worked
    assert before and all(a.status in (200, 201) for a in before), report
    # during it, every request had an answer: a 503 with Retry-After, never a trace
    assert during, report
    assert all(a.status == 503 for a in during), report
    assert all(a.headers.get("Retry-After") for a in during), report
    assert all(not traces_in(a.body) for a in answers), [
        a.body[:300] for a in answers if traces_in(a.body)
    ]
    api_503 = [a for a in during if a.label in ("read", "write")]
    assert api_503 and all(json.loads(a.body).get("detail") for a in api_503), (
        "API clients get a JSON error body"
    )
    # and as soon as it was back, every kind of request worked again, on the same processes
    for label in ("read", "write", "page"):
        recovered = [a for a in after if a.label == label]
        assert recovered, f"no {label} after recovery: {report}"
        assert all(a.status in (200, 201, 302) for a in recovered), report
    assert not [a for a in answers if a.status == 0], "the portal always answered"

    # no report is half written: every one has all its items and its container, and every
    # report a client was told was created exists
    rows = stack.sql(
        "SELECT s.summary, s.reference, "
        "(SELECT count(*) FROM cases_seizureitem i WHERE i.seizure_id = s.id), "
        "(SELECT count(*) FROM cases_container c WHERE c.seizure_id = s.id) "
        "FROM cases_seizurereport s WHERE s.summary LIKE 'restart-run %%'"
    )
    assert rows
    assert all(items == ITEMS_PER_REPORT and containers == 1 for _, _, items, containers in rows)
    stored = {summary for summary, *_ in rows}
    created = [a for a in answers if a.label == "write" and a.status == 201]
    assert {a.sent for a in created} <= stored
    references = [reference for _, reference, *_ in rows]
    assert len(references) == len(set(references))
    # a write refused during the outage was either never stored or stored whole (above)
    refused = {a.sent for a in answers if a.label == "write" and a.status == 503}
    assert refused, report
    # the audit chain survived the crash
    env = {**os.environ, "DATABASE_URL": stack.url, "ENLACE_ENV": "test"}
    manage(env, "verify_audit")

    # the Celery worker lived through it too: a share now still reaches the partner
    jca_liaison, jca_liaison2 = stack.session("jca_liaison"), stack.session("jca_liaison2")
    diran = stack.session("diran_analyst")
    offered = jca_liaison.post(
        f"{stack.portal.url}/api/v1/share-requests/",
        json={
            "kind": "offer",
            "target": stack.world["case"],
            "level": "full",
            "justification": "Same consignee",
            "recipient_agency": stack.world["agencies"]["diran"],
        },
        timeout=30,
    )
    assert offered.status_code == 201, offered.text
    approved = jca_liaison2.post(
        f"{stack.portal.url}/api/v1/share-requests/{offered.json()['id']}/approve/",
        json={"note": "ok"},
        timeout=30,
    )
    assert approved.status_code == 200, approved.text

    def diran_told() -> bool:
        page = diran.get(f"{stack.portal.url}/api/v1/notifications/", timeout=30).json()
        return any(n["kind"] == "grant.created" for n in page["results"])

    wait_for(diran_told, timeout=60, interval=0.5)
