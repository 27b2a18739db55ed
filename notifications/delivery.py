"""Fan-out of an outbox event into per-user notifications: one INSERT ... SELECT per audience."""

from __future__ import annotations

from django.db import connection, transaction
from django.utils import timezone

from notifications.models import Event


def deliver(event_id: str) -> int:
    with transaction.atomic():
        event = Event.objects.select_for_update(skip_locked=True).filter(pk=event_id).first()
        if event is None or event.dispatched_at is not None:
            return 0
        created = 0
        with connection.cursor() as cursor:
            role_filter = "AND m.role = ANY(%s)" if event.roles else ""
            role_params: list[list[str]] = [list(event.roles)] if event.roles else []
            cursor.execute(
                f"""
                INSERT INTO notifications_notification (user_id, event_id, created_at)
                SELECT DISTINCT u.id, %s, %s FROM auth_user u
                WHERE u.is_active AND (
                    u.id IN (SELECT eu.user_id FROM notifications_event_users eu
                             WHERE eu.event_id = %s)
                    OR u.id IN (
                        SELECT m.user_id FROM agencies_membership m
                        JOIN notifications_event_agencies ea ON ea.agency_id = m.agency_id
                        WHERE ea.event_id = %s {role_filter})
                    OR u.id IN (
                        SELECT tu.user_id FROM agencies_team_users tu
                        JOIN notifications_event_teams et ON et.team_id = tu.team_id
                        WHERE et.event_id = %s)
                    OR u.id IN (
                        SELECT m.user_id FROM agencies_membership m
                        JOIN agencies_team_agencies ta ON ta.agency_id = m.agency_id
                        JOIN notifications_event_teams et ON et.team_id = ta.team_id
                        WHERE et.event_id = %s)
                )
                ON CONFLICT (user_id, event_id) DO NOTHING
                """,  # noqa: S608 # nosec B608 - role_filter is a constant fragment
                [event.pk, timezone.now(), event.pk, event.pk, *role_params, event.pk, event.pk],
            )
            created = cursor.rowcount
        event.dispatched_at = timezone.now()
        event.attempts += 1
        event.save(update_fields=["dispatched_at", "attempts"])
    return created
