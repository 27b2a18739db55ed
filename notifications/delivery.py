"""Fan-out of an outbox event into per-user notifications: one INSERT ... SELECT for the whole
audience (agencies, roles, teams, named users), whatever its size, and one for the webhooks.

Idempotent: the event row is locked (``SKIP LOCKED``: a second delivery of the same event
returns at once), a dispatched event is skipped, and ``(user, event)`` is unique, so however
many times Celery or the relay hands the event over, each reader gets it once.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from notifications import kinds
from notifications.kinds import EmailMode
from notifications.models import Event

_FAN_OUT = """
WITH audience AS (
    SELECT eu.user_id FROM notifications_event_users eu WHERE eu.event_id = %(event)s
    UNION
    SELECT m.user_id FROM agencies_membership m
    JOIN notifications_event_agencies ea ON ea.agency_id = m.agency_id
    WHERE ea.event_id = %(event)s AND (cardinality(%(roles)s::text[]) = 0
                                      OR m.role = ANY(%(roles)s::text[]))
    UNION
    SELECT tu.user_id FROM agencies_team_users tu
    JOIN agencies_team t ON t.id = tu.team_id
    JOIN notifications_event_teams et ON et.team_id = t.id
    WHERE et.event_id = %(event)s AND t.active_from <= %(today)s
      AND (t.active_until IS NULL OR t.active_until >= %(today)s)
    UNION
    SELECT m.user_id FROM agencies_membership m
    JOIN agencies_team_agencies ta ON ta.agency_id = m.agency_id
    JOIN agencies_team t ON t.id = ta.team_id
    JOIN notifications_event_teams et ON et.team_id = t.id
    WHERE et.event_id = %(event)s AND t.active_from <= %(today)s
      AND (t.active_until IS NULL OR t.active_until >= %(today)s)
)
INSERT INTO notifications_notification
    (user_id, event_id, created_at, email_mode, email_attempts)
SELECT u.id, %(event)s, %(now)s,
       CASE WHEN u.email = '' THEN 'off'
            WHEN %(security)s THEN 'immediate'
            ELSE COALESCE(p.email, %(default_email)s) END,
       0
FROM audience a
JOIN auth_user u ON u.id = a.user_id
LEFT JOIN notifications_preference p ON p.user_id = u.id AND p.kind = %(kind)s
WHERE u.is_active AND (%(notify_actor)s OR u.id IS DISTINCT FROM %(actor)s)
ON CONFLICT (user_id, event_id) DO NOTHING
RETURNING email_mode
"""

# An agency's webhooks get the events at least one of its people was notified of.
_WEBHOOKS = """
INSERT INTO notifications_webhookdelivery
    (endpoint_id, event_id, status, attempts, next_attempt_at, created_at)
SELECT w.id, %(event)s, 'pending', 0, %(now)s, %(now)s
FROM notifications_webhookendpoint w
WHERE w.active AND (cardinality(w.kinds) = 0 OR %(kind)s = ANY(w.kinds))
  AND EXISTS (SELECT 1 FROM notifications_notification n
              JOIN agencies_membership m ON m.user_id = n.user_id
              WHERE n.event_id = %(event)s AND m.agency_id = w.agency_id)
ON CONFLICT (endpoint_id, event_id) DO NOTHING
RETURNING id
"""


@dataclass
class FanOut:
    notified: int = 0
    immediate_emails: int = 0
    webhook_deliveries: list[int] = field(default_factory=list)


def deliver(event_id: str) -> FanOut:
    """Fan one event out (in one transaction). Returns what was created, for the caller to
    enqueue the e-mails and webhooks after commit; a second call creates nothing."""
    result = FanOut()
    with transaction.atomic():
        event = Event.objects.select_for_update(skip_locked=True).filter(pk=event_id).first()
        if event is None or event.dispatched_at is not None:
            return result
        kind = kinds.get(event.kind)
        now = timezone.now()
        params: dict[str, Any] = {
            "event": event.pk,
            "kind": event.kind,
            "roles": list(event.roles),
            "today": timezone.localdate(),
            "now": now,
            "security": kind.security,
            "default_email": kind.default_email,
            "notify_actor": kind.notifies_actor,
            "actor": event.actor_id,
        }
        with connection.cursor() as cursor:
            cursor.execute(_FAN_OUT, params)
            modes = [row[0] for row in cursor.fetchall()]
            result.notified = len(modes)
            result.immediate_emails = modes.count(EmailMode.IMMEDIATE)
            if modes and not kind.security:
                cursor.execute(_WEBHOOKS, params)
                result.webhook_deliveries = [row[0] for row in cursor.fetchall()]
        event.dispatched_at = now
        event.attempts += 1
        event.save(update_fields=["dispatched_at", "attempts"])
    return result
