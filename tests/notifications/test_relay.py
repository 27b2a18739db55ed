"""The relay re-enqueues what the broker lost, claiming each event so that two relays running
at once never enqueue it twice, and skipping an event a worker is delivering right now."""

from __future__ import annotations

import threading
from datetime import timedelta
from typing import Any

import pytest
from django.db import connection, connections, transaction
from django.utils import timezone

from notifications.delivery import deliver
from notifications.events import emit
from notifications.models import Event
from notifications.relay import _CLAIM_EVENTS, relay
from tests import factories


def _old_event(region: dict[str, Any]) -> Event:
    event = emit("grant.created", obj=factories.case(region["jca"]), agencies=[region["diran"]])
    Event.objects.filter(pk=event.pk).update(created_at=timezone.now() - timedelta(minutes=1))
    return event


@pytest.mark.django_db
def test_an_undispatched_event_is_re_enqueued_once_per_lease(region: dict[str, Any]) -> None:
    event = _old_event(region)
    fresh = emit("grant.created", obj=factories.case(region["jca"]), agencies=[region["diran"]])
    assert relay().events == 1  # the fresh one is still in the broker's hands
    event.refresh_from_db()
    assert event.relayed_at is not None
    assert relay().events == 0  # claimed: not again within the lease
    Event.objects.filter(pk=event.pk).update(relayed_at=timezone.now() - timedelta(minutes=5))
    assert relay().events == 1  # the lease ran out and it is still undispatched
    deliver(str(event.pk))
    Event.objects.filter(pk=event.pk).update(relayed_at=None)
    assert relay().events == 0  # dispatched events are never relayed
    assert Event.objects.get(pk=fresh.pk).relayed_at is None


def _in_other_connection(sql: str, params: dict[str, Any], hold: threading.Event) -> list[Any]:
    """Run ``sql`` in its own transaction on a second connection; keep it open until ``hold``."""
    result: list[Any] = []
    ready = threading.Event()

    def run() -> None:
        try:
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(sql, params)
                result.extend(cursor.fetchall())
                ready.set()
                hold.wait(20)
        finally:
            ready.set()
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    ready.wait(20)
    result.append(thread)
    return result


@pytest.mark.django_db(transaction=True)
def test_two_relays_at_once_never_claim_the_same_event(region: dict[str, Any]) -> None:
    event = _old_event(region)
    now = timezone.now()
    hold = threading.Event()
    params = {
        "now": now,
        "older": now,
        "stale": now - timedelta(minutes=1),
        "batch": 500,
    }
    *claimed, thread = _in_other_connection(_CLAIM_EVENTS, params, hold)
    try:
        assert claimed == [(event.pk,)]  # the first relay holds its claim, not yet committed
        assert relay().events == 0  # the second one skips the locked row
    finally:
        hold.set()
        thread.join()
    assert relay().events == 0  # and after the first commits, the claim stands


@pytest.mark.django_db(transaction=True)
def test_an_event_being_delivered_is_not_relayed(region: dict[str, Any]) -> None:
    event = _old_event(region)
    hold = threading.Event()
    *_, thread = _in_other_connection(
        "SELECT id FROM notifications_event WHERE id = %(id)s FOR UPDATE", {"id": event.pk}, hold
    )
    try:
        assert relay().events == 0
        assert deliver(str(event.pk)).notified == 0  # a second delivery returns at once
    finally:
        hold.set()
        thread.join()
    assert deliver(str(event.pk)).notified == 3


@pytest.mark.django_db
def test_old_events_are_forgotten_but_never_undelivered_ones(
    region: dict[str, Any], settings: Any
) -> None:
    from notifications.models import Notification
    from notifications.tasks import purge_old_events

    settings.NOTIFY_RETENTION_DAYS = 30
    old_delivered = _old_event(region)
    deliver(str(old_delivered.pk))
    old_pending = _old_event(region)
    recent = emit("grant.created", obj=factories.case(region["jca"]), agencies=[region["diran"]])
    deliver(str(recent.pk))
    long_ago = timezone.now() - timedelta(days=31)
    Event.objects.filter(pk__in=[old_delivered.pk, old_pending.pk]).update(created_at=long_ago)
    assert purge_old_events() > 0
    assert set(Event.objects.values_list("pk", flat=True)) == {old_pending.pk, recent.pk}
    assert Notification.objects.filter(event=recent).count() == 3
