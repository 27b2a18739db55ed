"""Celery tasks of notifications. Every task is safe to run twice (see delivery.py, relay.py)."""

from __future__ import annotations

import logging

from celery import shared_task

log = logging.getLogger(__name__)


def _enqueue_after_fan_out(event_id: str, immediate_emails: int, deliveries: list[int]) -> None:
    # The fan-out has committed; if the broker fails now, the relay picks these rows up.
    try:
        if immediate_emails:
            send_event_emails.delay(event_id)
        for delivery_id in deliveries:
            deliver_webhook.delay(delivery_id)
    except Exception:
        log.warning("broker unavailable after fan-out of %s; left for the relay", event_id)


@shared_task(acks_late=True, ignore_result=True)
def deliver_event(event_id: str) -> int:
    """Fan an event out to its audience (in-app), then enqueue its e-mails and webhooks."""
    from notifications.delivery import deliver

    result = deliver(event_id)
    _enqueue_after_fan_out(event_id, result.immediate_emails, result.webhook_deliveries)
    return result.notified


@shared_task(ignore_result=True)
def relay_outbox() -> int:
    from notifications.relay import relay

    done = relay()
    return done.events + done.emails + done.webhooks


@shared_task(acks_late=True, ignore_result=True)
def send_event_emails(event_id: str) -> int:
    from notifications.emails import send_event_emails as send

    return send(event_id)


@shared_task(ignore_result=True)
def send_daily_digests() -> int:
    from notifications.emails import send_digest, users_with_digest_due

    return sum(send_digest(user_id) for user_id in users_with_digest_due())


@shared_task(acks_late=True, ignore_result=True)
def deliver_webhook(delivery_id: int) -> str:
    from notifications.webhooks import send

    return send(delivery_id)


@shared_task(ignore_result=True)
def purge_old_events() -> int:
    """Forget events (their notifications, e-mails and webhook deliveries with them) older than
    ``NOTIFY_RETENTION_DAYS``. Undispatched events are kept whatever their age."""
    from datetime import timedelta

    from django.conf import settings
    from django.utils import timezone

    from notifications.models import Event

    cutoff = timezone.now() - timedelta(days=settings.NOTIFY_RETENTION_DAYS)
    deleted, _ = Event.objects.filter(created_at__lt=cutoff, dispatched_at__isnull=False).delete()
    return deleted
