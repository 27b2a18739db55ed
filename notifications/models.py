"""Notifications: an outbox of events written in the change's transaction, what each user is
shown, how each user wants to be e-mailed, and the signed webhooks of partner systems
(DESIGN §5, docs/NOTIFICATIONS.md)."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from notifications.kinds import EmailMode
from portal.fields import EncryptedTextField


class Event(models.Model):
    """Outbox row: something happened that people must hear about.

    Written in the same transaction as the change (so a rolled-back change notifies no one and
    a committed one is never lost); a Celery worker fans it out and marks it dispatched. The
    relay re-enqueues rows still undispatched a few seconds later (broker down, worker killed).
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
    # The case or seizure report the object concerns (checked through the access door).
    record_type = models.CharField(max_length=10, blank=True)  # "case", "seizure" or ""
    record_id = models.BigIntegerField(null=True, blank=True)
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    dispatched_at = models.DateTimeField(null=True, blank=True)
    # Last time the relay re-enqueued it: a claim, so two relays never enqueue it twice.
    relayed_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveIntegerField(default=0)

    class Meta:
        indexes = [
            models.Index(
                fields=["created_at"],
                name="event_undispatched",
                condition=models.Q(dispatched_at__isnull=True),
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.pk}"


class Notification(models.Model):
    """One user's copy of an event: shown once, whatever the number of deliveries."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="notifications")
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)
    # E-mail: decided at fan-out from the user's preference (security kinds: immediate).
    email_mode = models.CharField(max_length=10, choices=EmailMode.choices, default=EmailMode.OFF)
    emailed_at = models.DateTimeField(null=True, blank=True)
    email_claimed_at = models.DateTimeField(null=True, blank=True)
    email_attempts = models.PositiveSmallIntegerField(default=0)

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
            models.Index(
                fields=["email_mode", "created_at"],
                name="notification_email_due",
                condition=models.Q(emailed_at__isnull=True) & ~models.Q(email_mode="off"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.event.kind} for {self.user_id}"


class Preference(models.Model):
    """How one user wants to be e-mailed about one kind (the in-app centre shows everything)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    kind = models.CharField(max_length=40)
    email = models.CharField(_("e-mail"), max_length=10, choices=EmailMode.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="one_preference_per_kind")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.kind}: {self.email}"


class WebhookEndpoint(models.Model):
    """A partner system's URL that receives a signed POST for its agency's notifications."""

    agency = models.ForeignKey(
        "agencies.Agency", on_delete=models.CASCADE, related_name="webhook_endpoints"
    )
    url = models.URLField(_("URL"), max_length=500)
    description = models.CharField(_("description"), max_length=200, blank=True)
    kinds = ArrayField(
        models.CharField(max_length=40),
        default=list,
        blank=True,
        verbose_name=_("kinds"),
        help_text=_("Empty: every kind."),
    )
    secret = EncryptedTextField()
    active = models.BooleanField(_("active"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    secret_rotated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["agency", "active"], name="webhook_agency")]

    def __str__(self) -> str:
        return self.url


class WebhookDelivery(models.Model):
    """One event to one endpoint: retried with exponential backoff until it succeeds."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        DELIVERED = "delivered", _("Delivered")
        FAILED = "failed", _("Failed (gave up)")

    endpoint = models.ForeignKey(
        WebhookEndpoint, on_delete=models.CASCADE, related_name="deliveries"
    )
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="webhook_deliveries")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    # A worker sending it holds the claim until then; an expired claim may be taken again.
    claimed_until = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["endpoint", "event"], name="webhook_once_per_event")
        ]
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                name="webhook_due",
                condition=models.Q(status="pending"),
            ),
            models.Index(fields=["endpoint", "-created_at"], name="webhook_history"),
        ]

    def __str__(self) -> str:
        return f"{self.event.kind} → {self.endpoint_id} ({self.status})"


class WebhookAttempt(models.Model):
    """One HTTP attempt of a delivery, shown on the endpoint's page."""

    delivery = models.ForeignKey(
        WebhookDelivery, on_delete=models.CASCADE, related_name="attempt_log"
    )
    number = models.PositiveSmallIntegerField()
    at = models.DateTimeField(default=timezone.now)
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    error = models.CharField(max_length=500, blank=True)
    duration_ms = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["delivery", "number"]

    def __str__(self) -> str:
        return f"attempt {self.number} of {self.delivery_id}"
