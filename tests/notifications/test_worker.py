"""With a real Redis and real worker (and beat) processes: a share notifies at once; a broker
outage during a share loses nothing and duplicates nothing; a worker killed in the middle of a
delivery leaves exactly one notification per reader after it restarts."""

from __future__ import annotations

import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import psycopg2
import pytest
import redis
from django.db import connection

from notifications.models import Event, Notification
from sharing.models import Grant
from tests import factories
from tests.conftest import Beat, Worker, wait_for
from tests.notifications.helpers import second_liaison, share_case

pytestmark = [pytest.mark.worker, pytest.mark.slow]

FAST_RELAY = {"NOTIFY_RELAY_INTERVAL_SECONDS": "1", "NOTIFY_RELAY_AFTER_SECONDS": "1"}


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class RedisServer:
    """A throwaway redis-server on its own port: the machine's Redis is never touched."""

    def __init__(self) -> None:
        from scripts.services import _redis_binary

        self.binary = _redis_binary()
        self.port = _free_port()
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> RedisServer:
        self.process = subprocess.Popen(
            [
                self.binary,
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        client = redis.Redis.from_url(self.url)
        wait_for(lambda: self._pings(client), timeout=20)
        return self

    @staticmethod
    def _pings(client: redis.Redis) -> bool:
        try:
            return bool(client.ping())
        except redis.exceptions.ConnectionError:
            return False

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)


@contextmanager
def publishing_to(url: str) -> Iterator[None]:
    """Point this process's Celery producer (the ``emit`` after commit) at another broker."""
    from portal.celery import app

    def reset() -> None:
        app._pool = None
        app.amqp._producer_pool = None

    previous = app.conf.broker_url
    app.conf.broker_url = url
    reset()
    try:
        yield
    finally:
        app.conf.broker_url = previous
        reset()


def _readers(event: Event) -> list[int]:
    return sorted(Notification.objects.filter(event=event).values_list("user_id", flat=True))


def _diran_ids(region: dict[str, Any]) -> list[int]:
    return sorted(region[f"diran_{r}"].pk for r in ("analyst", "liaison", "agency_admin"))


@pytest.fixture
def processes() -> Iterator[list[Worker]]:
    """Processes a test starts; all stopped before the database is flushed."""
    started: list[Worker] = []
    yield started
    for process in reversed(started):
        process.kill()


def test_an_approved_share_reaches_the_recipient_at_once(
    celery_worker: Worker, region: dict[str, Any]
) -> None:
    case = factories.case(region["jca"], title="Container MSCU1234565")
    share_case(case, region["diran"], by=region["jca_liaison"])  # warm the worker up
    event = Event.objects.get(kind="grant.created")
    wait_for(lambda: _readers(event) == _diran_ids(region), timeout=60)

    started = time.monotonic()
    share_case(factories.case(region["jca"]), region["diran"], by=region["jca_liaison"])
    second = Event.objects.filter(kind="grant.created").exclude(pk=event.pk).get()
    wait_for(lambda: Notification.objects.filter(event=second).count() == 3, timeout=30)
    assert time.monotonic() - started < 5
    assert _readers(second) == _diran_ids(region)


def test_a_broker_outage_during_a_share_delays_the_notification_but_loses_nothing(
    transactional_db: Any,
    region: dict[str, Any],
    processes: list[Worker],
    _isolated_queue: str,
) -> None:
    broker = RedisServer().start()
    try:
        env = {"REDIS_URL": broker.url, **FAST_RELAY}
        processes.append(Worker(_isolated_queue, env=env).start())
        processes.append(Beat(_isolated_queue, env=env).start())
        with publishing_to(broker.url):
            share_case(factories.case(region["jca"]), region["diran"], by=region["jca_liaison"])
            first = Event.objects.get(kind="grant.created")
            wait_for(lambda: len(_readers(first)) == 3, timeout=90)

            broker.stop()
            started = time.monotonic()
            grant = share_case(
                factories.case(region["jca"]), region["diran"], by=region["jca_liaison"]
            )
            assert time.monotonic() - started < 10  # the approval does not hang on the broker
            assert Grant.objects.filter(pk=grant.pk).exists()  # and it committed
            second = Event.objects.filter(kind="grant.created").exclude(pk=first.pk).get()
            time.sleep(3)
            assert Notification.objects.filter(event=second).count() == 0

            broker.start()  # empty: whatever was queued before is gone
            wait_for(lambda: len(_readers(second)) == 3, timeout=120)
            time.sleep(4)  # several relay rounds: still once each
            assert _readers(second) == _diran_ids(region)
            assert _readers(first) == _diran_ids(region)
            second.refresh_from_db()
            assert second.dispatched_at is not None
    finally:
        for process in processes:
            process.stop()
        broker.stop()


def _blocked_delivery_waiting() -> bool:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
            "AND query LIKE %s",
            ["%WITH audience AS%"],  # the fan-out statement (delivery.py)
        )
        return bool(cursor.fetchone()[0])


def test_a_worker_killed_mid_delivery_leaves_exactly_one_notification_per_reader(
    transactional_db: Any,
    region: dict[str, Any],
    processes: list[Worker],
    _isolated_queue: str,
) -> None:
    from sharing import actions

    worker = Worker(_isolated_queue, env=FAST_RELAY).start()
    processes.append(worker)
    case = factories.case(region["jca"])
    factories.trust(region["jca"], region["diran"], 3)
    offerer = second_liaison(region["jca"], region["jca_liaison"])
    offer = actions.offer(
        offerer, case, level=2, justification="Joint operation", recipient_agency=region["diran"]
    )
    # the worker is idle: the offer is fanned out and its e-mails are sent
    wait_for(lambda: not Event.objects.filter(dispatched_at__isnull=True).exists(), timeout=90)
    wait_for(
        lambda: (
            not Notification.objects.filter(
                email_mode="immediate", emailed_at__isnull=True
            ).exists()
        ),
        timeout=90,
    )
    db = connection.settings_dict
    blocker = psycopg2.connect(
        dbname=db["NAME"], user=db["USER"], host=db["HOST"], port=db["PORT"] or 5432
    )
    try:
        # Hold the notifications table so the worker's fan-out stops half-way: it has locked
        # the event and issued its INSERT, and waits.
        with blocker.cursor() as cursor:
            cursor.execute("LOCK TABLE notifications_notification IN EXCLUSIVE MODE")
        actions.approve(region["jca_liaison"], offer, note="Approved")
        wait_for(_blocked_delivery_waiting, timeout=90)
        worker.kill()  # SIGKILL, mid-delivery
    finally:
        blocker.rollback()
        blocker.close()
    time.sleep(1)
    approval_events = list(
        Event.objects.filter(kind__in=["grant.created", "share_request.decided"])
    )
    assert len(approval_events) == 2
    for event in approval_events:
        event.refresh_from_db()
        assert event.dispatched_at is None  # the killed delivery rolled back
        assert Notification.objects.filter(event=event).count() == 0

    processes.append(Worker(_isolated_queue, env=FAST_RELAY).start())
    processes.append(Beat(_isolated_queue, env=FAST_RELAY).start())
    grant_event = Event.objects.get(kind="grant.created")
    decided = Event.objects.get(kind="share_request.decided")
    wait_for(lambda: len(_readers(grant_event)) == 3 and len(_readers(decided)) == 1, timeout=120)
    # the original message may still come back (acks_late): hand the events over again
    from notifications.tasks import deliver_event

    for event in approval_events:
        deliver_event.delay(str(event.pk))
    time.sleep(4)
    assert _readers(grant_event) == _diran_ids(region)
    assert _readers(decided) == [offerer.pk]
    for event in approval_events:
        event.refresh_from_db()
        assert event.dispatched_at is not None and event.attempts == 1


def test_the_latency_script_measures_approval_to_readable(
    celery_worker: Worker, region: dict[str, Any]
) -> None:
    from scripts.notify_latency import measure

    result = measure(5, warmup=1, start_worker=False)  # on the test worker
    assert result.shares == 5
    assert 0 < result.median_ms <= result.p95_ms <= result.max_ms < 30_000
