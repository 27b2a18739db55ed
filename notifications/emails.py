"""E-mail of notifications, in each reader's language, with nothing of a record but the title
the reader may see (none for TLP:RED) and a link into the portal.

Each e-mail is claimed with a compare-and-set on its notification row before it is sent and
marked after, so two workers never send the same one at once; a worker killed between send
and mark leaves a claim that expires, and the relay sends it again (at least once).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.core import mail
from django.db import connection, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from notifications.kinds import EmailMode
from notifications.models import Notification
from notifications.presenting import (
    agency_names,
    email_record,
    sentence,
    visible_records,
)

log = logging.getLogger(__name__)

_CLAIM = """
UPDATE notifications_notification SET email_claimed_at = %(now)s,
                                      email_attempts = email_attempts + 1
WHERE id IN (
    SELECT id FROM notifications_notification
    WHERE {where} AND email_mode = %(mode)s AND emailed_at IS NULL
      AND email_attempts < %(max_attempts)s
      AND (email_claimed_at IS NULL OR email_claimed_at < %(stale)s)
    ORDER BY id
    FOR UPDATE SKIP LOCKED
)
RETURNING id
"""


def _claim(where: str, params: dict[str, Any], mode: str) -> list[int]:
    now = timezone.now()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            _CLAIM.format(where=where),  # where is one of the constant fragments below
            {
                **params,
                "now": now,
                "mode": mode,
                "max_attempts": settings.NOTIFY_EMAIL_MAX_ATTEMPTS,
                "stale": now - timedelta(seconds=settings.NOTIFY_CLAIM_LEASE_SECONDS),
            },
        )
        return [row[0] for row in cursor.fetchall()]


def _language(user: User) -> str:
    membership = getattr(user, "membership", None)
    language = membership.language if membership is not None else settings.LANGUAGE_CODE
    return language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


def _link(path: str) -> str:
    return settings.PORTAL_BASE_URL.rstrip("/") + path


def _items(user: User, notifications: Sequence[Notification]) -> list[dict[str, str]]:
    events = [n.event for n in notifications]
    records = visible_records(user, events)
    agencies = agency_names(events)
    items = []
    for notification in notifications:
        event = notification.event
        record = (
            records.get((event.record_type, event.record_id))
            if event.record_id is not None
            else None
        )
        label, text, available = sentence(event, record, agencies, with_title=email_record(record))
        items.append(
            {
                "label": label,
                "text": text,
                "link": _link(f"/notifications/event/{event.pk}/")
                if available
                else _link("/notifications/"),
            }
        )
    return items


def _send(user: User, subject: str, template: str, context: dict[str, Any]) -> None:
    with translation.override(_language(user)):
        body = render_to_string(template, {"user": user, **context})
        subject_text = str(subject)
    mail.EmailMessage(
        subject=subject_text.replace("\n", " "),
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[user.email],
    ).send()


def _mark_sent(ids: list[int]) -> None:
    Notification.objects.filter(pk__in=ids).update(emailed_at=timezone.now())


def send_event_emails(event_id: str) -> int:
    """Send the immediate e-mails of one event. Returns how many were sent."""
    ids = _claim("event_id = %(event)s", {"event": event_id}, EmailMode.IMMEDIATE)
    sent = 0
    for notification in Notification.objects.filter(pk__in=ids).select_related(
        "event", "user", "user__membership"
    ):
        user = notification.user
        try:
            with translation.override(_language(user)):
                item = _items(user, [notification])[0]
                subject = "[Enlace] " + item["label"]
            _send(user, subject, "notifications/email/immediate.txt", {"item": item})
        except Exception:
            log.exception("e-mail of notification %s failed; it will be retried", notification.pk)
            continue
        _mark_sent([notification.pk])
        sent += 1
    return sent


def send_digest(user_id: int) -> int:
    """One e-mail listing a user's digest notifications not e-mailed yet."""
    ids = _claim("user_id = %(user)s", {"user": user_id}, EmailMode.DIGEST)
    if not ids:
        return 0
    notifications = list(
        Notification.objects.filter(pk__in=ids)
        .select_related("event", "user", "user__membership")
        .order_by("created_at", "id")
    )
    user = notifications[0].user
    try:
        with translation.override(_language(user)):
            items = _items(user, notifications)
            subject = "[Enlace] " + str(translation.gettext("Your daily notifications"))
        _send(
            user,
            subject,
            "notifications/email/digest.txt",
            {"items": items, "centre": _link("/notifications/")},
        )
    except Exception:
        log.exception("digest e-mail of user %s failed; it will be retried", user_id)
        return 0
    _mark_sent(ids)
    return len(ids)


def users_with_digest_due() -> list[int]:
    return list(
        Notification.objects.filter(
            email_mode=EmailMode.DIGEST,
            emailed_at__isnull=True,
            email_attempts__lt=settings.NOTIFY_EMAIL_MAX_ATTEMPTS,
        )
        .values_list("user_id", flat=True)
        .distinct()
    )
