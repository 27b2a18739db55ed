"""Notifications: an outbox of events written in the change's transaction, and what each
user is shown (DESIGN §5)."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone


class Event(models.Model):
    """Outbox row: something happened that people must hear about.

    Written in the same transaction as the change (so a rolled-back change notifies no one and
    a committed one is never lost); a Celery worker fans it out and marks it dispatched.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(max_length=40)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Audience: agencies (optionally only some roles), teams, and named users.
    agencies = models.ManyToManyField("agencies.Agency", blank=True, related_name="+")
    roles = models.JSONField(default=list, blank=True, help_text="Empty: every role.")
    teams = models.ManyToManyField("agencies.Team", blank=True, related_name="+")
    users = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="+")
    # What it is about; the reader's right to see it is checked again when it is shown.
    object_type = models.CharField(max_length=60, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    dispatched_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveIntegerField(default=0)

    class Meta:
        indexes = [
            models.Index(
                fields=["created_at"],
                name="event_undispatched",
                condition=models.Q(dispatched_at__isnull=True),
            )
        ]


class Notification(models.Model):
    """One user's copy of an event: shown once, whatever the number of deliveries."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="notifications")
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["user", "event"], name="notify_once_per_event")
        ]
        indexes = [
            models.Index(
                fields=["user"],
                name="notification_unread",
                condition=models.Q(read_at__isnull=True),
            ),
            models.Index(fields=["user", "-created_at"], name="notification_inbox"),
        ]
