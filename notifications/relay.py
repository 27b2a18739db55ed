"""The relay: what the broker lost, the database still has. Run by beat every few seconds.

It re-enqueues (1) events not dispatched a few seconds after they were written (broker down
at commit time, worker killed mid-delivery), (2) immediate e-mails not sent, (3) webhook
deliveries due for an attempt. Events are claimed with ``UPDATE … WHERE id IN (SELECT … FOR
UPDATE SKIP LOCKED)`` setting ``relayed_at``, so two relays running at once never enqueue the
same event twice within a lease; delivery itself is idempotent besides (see delivery.py).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

log = logging.getLogger(__name__)

BATCH = 500

_CLAIM_EVENTS = """
UPDATE notifications_event SET relayed_at = %(now)s
WHERE id IN (
    SELECT id FROM notifications_event
    WHERE dispatched_at IS NULL AND created_at < %(older)s
      AND (relayed_at IS NULL OR relayed_at < %(stale)s)
    ORDER BY created_at
    LIMIT %(batch)s
    FOR UPDATE SKIP LOCKED
)
RETURNING id
"""

_EMAILS_DUE = """
SELECT DISTINCT event_id FROM notifications_notification
WHERE email_mode = 'immediate' AND emailed_at IS NULL AND created_at < %(older)s
  AND email_attempts < %(max_attempts)s
  AND (email_claimed_at IS NULL OR email_claimed_at < %(stale)s)
LIMIT %(batch)s
"""

_WEBHOOKS_DUE = """
SELECT id FROM notifications_webhookdelivery
WHERE status = 'pending' AND next_attempt_at < %(older)s
  AND (claimed_until IS NULL OR claimed_until < %(now)s)
ORDER BY next_attempt_at
LIMIT %(batch)s
"""


@dataclass
class Relayed:
    events: int = 0
    emails: int = 0
    webhooks: int = 0


def relay() -> Relayed:
    from notifications.tasks import deliver_event, deliver_webhook, send_event_emails

    now = timezone.now()
    params: dict[str, Any] = {
        "now": now,
        "older": now - timedelta(seconds=settings.NOTIFY_RELAY_AFTER_SECONDS),
        "stale": now - timedelta(seconds=settings.NOTIFY_CLAIM_LEASE_SECONDS),
        "batch": BATCH,
        "max_attempts": settings.NOTIFY_EMAIL_MAX_ATTEMPTS,
    }
    done = Relayed()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(_CLAIM_EVENTS, params)
        events = [str(row[0]) for row in cursor.fetchall()]
    for event_id in events:
        deliver_event.delay(event_id)
    done.events = len(events)
    with connection.cursor() as cursor:
        cursor.execute(_EMAILS_DUE, params)
        email_events = [str(row[0]) for row in cursor.fetchall()]
        cursor.execute(_WEBHOOKS_DUE, params)
        deliveries = [row[0] for row in cursor.fetchall()]
    for event_id in email_events:
        send_event_emails.delay(event_id)
    for delivery_id in deliveries:
        deliver_webhook.delay(delivery_id)
    done.emails, done.webhooks = len(email_events), len(deliveries)
    if events or email_events or deliveries:
        log.info(
            "relay re-enqueued %s events, %s e-mail batches, %s webhook deliveries",
            len(events),
            len(email_events),
            len(deliveries),
        )
    return done
