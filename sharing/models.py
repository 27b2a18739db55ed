"""Share requests, grants, and the object-permission rows that the access door reads.

A ``Grant`` is the business record (who shared what with whom, at which level, until when,
and what became of it). While a grant is active it has exactly one row in one of guardian's
direct-foreign-key permission tables below, written and deleted in the same transaction as
the grant's change. Those rows carry the record's creation time, the level and the expiry so
that "what may this user see, newest first" is read in index order (DESIGN §2).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase

from agencies.models import Agency, Team
from cases.models import Case, SeizureReport


class Level(models.IntegerChoices):
    """How much of a record a reader sees. OWNER is never granted; it is the owner's view."""

    NONE = 0, _("none")
    SUMMARY = 1, _("summary")
    FULL = 2, _("full")
    CONTRIBUTE = 3, _("contribute")
    OWNER = 4, _("owner")


GRANTABLE_LEVELS = [Level.SUMMARY, Level.FULL, Level.CONTRIBUTE]
LEVEL_NAMES = {Level.SUMMARY: "summary", Level.FULL: "full", Level.CONTRIBUTE: "contribute"}
LEVEL_BY_NAME = {name: level for level, name in LEVEL_NAMES.items()}

# Guardian permission codename for each granted level, per record model.
CASE_PERMISSION = {
    Level.SUMMARY: "view_case_summary",
    Level.FULL: "view_case",
    Level.CONTRIBUTE: "contribute_case",
}
SEIZURE_PERMISSION = {
    Level.SUMMARY: "view_seizurereport_summary",
    Level.FULL: "view_seizurereport",
    Level.CONTRIBUTE: "contribute_seizurereport",
}


class ShareRequest(models.Model):
    class Kind(models.TextChoices):
        ACCESS = "access", _("Request for access")
        OFFER = "offer", _("Offer")
        RFI = "rfi", _("Request for information")
        EXTEND = "extend", _("Request to extend sharing")

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        APPROVED = "approved", _("Approved")
        DENIED = "denied", _("Denied")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        EXPIRED = "expired", _("Expired")

    class Priority(models.TextChoices):
        ROUTINE = "routine", _("Routine")
        URGENT = "urgent", _("Urgent")

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    case = models.ForeignKey(
        Case, null=True, blank=True, on_delete=models.CASCADE, related_name="share_requests"
    )
    seizure = models.ForeignKey(
        SeizureReport,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="share_requests",
    )
    owner_agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="share_requests_received"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requesting_agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="share_requests_made"
    )
    recipient_agency = models.ForeignKey(
        Agency, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recipient_team = models.ForeignKey(
        Team, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recipient_users = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="+")
    level = models.PositiveSmallIntegerField(
        choices=[(lvl.value, lvl.label) for lvl in GRANTABLE_LEVELS]
    )
    justification = models.TextField(_("justification"))
    question = models.TextField(_("question"), blank=True)
    priority = models.CharField(
        _("priority"), max_length=8, choices=Priority.choices, default=Priority.ROUTINE
    )
    due_date = models.DateField(_("due date"), null=True, blank=True)
    expires_at = models.DateTimeField(_("grant expires at"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(_("decision note"), blank=True)
    answer = models.TextField(_("answer"), blank=True)
    hit = models.ForeignKey(
        "hits.Hit", null=True, blank=True, on_delete=models.SET_NULL, related_name="share_requests"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["owner_agency", "status", "created_at"], name="request_queue"),
            models.Index(fields=["requesting_agency", "-created_at"], name="request_sent"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(case__isnull=False) | models.Q(seizure__isnull=False),
                name="request_is_about_a_record",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}"

    @property
    def record(self) -> Case | SeizureReport:
        return self.case if self.case_id else self.seizure  # type: ignore[return-value]


class Grant(models.Model):
    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        REVOKED = "revoked", _("Revoked")
        EXPIRED = "expired", _("Expired")
        SUSPENDED = "suspended", _("Suspended (trust lowered)")
        SUPERSEDED = "superseded", _("Superseded")

    case = models.ForeignKey(
        Case, null=True, blank=True, on_delete=models.CASCADE, related_name="grants"
    )
    seizure = models.ForeignKey(
        SeizureReport, null=True, blank=True, on_delete=models.CASCADE, related_name="grants"
    )
    owner_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="grants_given")
    recipient_agency = models.ForeignKey(
        Agency, null=True, blank=True, on_delete=models.PROTECT, related_name="grants_received"
    )
    recipient_team = models.ForeignKey(
        Team, null=True, blank=True, on_delete=models.PROTECT, related_name="grants"
    )
    recipient_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="grants",
    )
    level = models.PositiveSmallIntegerField(
        choices=[(lvl.value, lvl.label) for lvl in GRANTABLE_LEVELS]
    )
    share_request = models.ForeignKey(
        ShareRequest, null=True, blank=True, on_delete=models.PROTECT, related_name="grants"
    )
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACTIVE)
    ended_at = models.DateTimeField(null=True, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    end_reason = models.TextField(blank=True)
    expiry_warned_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["owner_agency", "status", "-created_at"], name="grant_given"),
            models.Index(
                fields=["recipient_agency", "status", "-created_at"], name="grant_received"
            ),
            models.Index(
                fields=["expires_at"], name="grant_expiring", condition=models.Q(status="active")
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(case__isnull=False, seizure__isnull=True)
                    | models.Q(case__isnull=True, seizure__isnull=False)
                ),
                name="grant_is_about_one_record",
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(
                        recipient_agency__isnull=False,
                        recipient_team__isnull=True,
                        recipient_user__isnull=True,
                    )
                    | models.Q(
                        recipient_agency__isnull=True,
                        recipient_team__isnull=False,
                        recipient_user__isnull=True,
                    )
                    | models.Q(
                        recipient_agency__isnull=True,
                        recipient_team__isnull=True,
                        recipient_user__isnull=False,
                    )
                ),
                name="grant_has_one_recipient",
            ),
        ]

    def __str__(self) -> str:
        return f"Grant #{self.pk} ({self.get_status_display()})"

    @property
    def record(self) -> Case | SeizureReport:
        return self.case if self.case_id else self.seizure  # type: ignore[return-value]

    @property
    def recipient(self) -> Agency | Team | object:
        return self.recipient_agency or self.recipient_team or self.recipient_user


class AccessRow(models.Model):
    """Abstract: the extra columns every access row carries beside guardian's."""

    grant = models.OneToOneField(Grant, on_delete=models.CASCADE, related_name="+")
    level = models.PositiveSmallIntegerField()
    created = models.DateTimeField(help_text="The record's created_at, for reading in index order.")
    expires_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        abstract = True


class CaseGroupAccess(GroupObjectPermissionBase, AccessRow):
    content_object = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="group_access")

    class Meta(GroupObjectPermissionBase.Meta):
        indexes = [
            models.Index(
                fields=["group", "-created", "-content_object"],
                include=["level", "expires_at"],
                name="case_group_access_newest",
            ),
            models.Index(
                fields=["content_object", "group"],
                include=["level", "expires_at"],
                name="case_group_access_record",
            ),
        ]


class CaseUserAccess(UserObjectPermissionBase, AccessRow):
    content_object = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="user_access")

    class Meta(UserObjectPermissionBase.Meta):
        indexes = [
            models.Index(
                fields=["user", "-created", "-content_object"],
                include=["level", "expires_at"],
                name="case_user_access_newest",
            ),
            models.Index(
                fields=["content_object", "user"],
                include=["level", "expires_at"],
                name="case_user_access_record",
            ),
        ]


class SeizureGroupAccess(GroupObjectPermissionBase, AccessRow):
    content_object = models.ForeignKey(
        SeizureReport, on_delete=models.CASCADE, related_name="group_access"
    )

    class Meta(GroupObjectPermissionBase.Meta):
        indexes = [
            models.Index(
                fields=["group", "-created", "-content_object"],
                include=["level", "expires_at"],
                name="seizure_group_access_newest",
            ),
            models.Index(
                fields=["content_object", "group"],
                include=["level", "expires_at"],
                name="seizure_group_access_record",
            ),
        ]


class SeizureUserAccess(UserObjectPermissionBase, AccessRow):
    content_object = models.ForeignKey(
        SeizureReport, on_delete=models.CASCADE, related_name="user_access"
    )

    class Meta(UserObjectPermissionBase.Meta):
        indexes = [
            models.Index(
                fields=["user", "-created", "-content_object"],
                include=["level", "expires_at"],
                name="seizure_user_access_newest",
            ),
            models.Index(
                fields=["content_object", "user"],
                include=["level", "expires_at"],
                name="seizure_user_access_record",
            ),
        ]


class CaseReachRow(models.Model):
    """Abstract: a seizure report that a grant on its case reaches (DESIGN §2).

    A grant on a case reaches the seizure reports inside it that are marked no stricter than
    the case. One row per (active case grant, such report), so the door reads "reports
    reached through a case" in index order like every other source, instead of every visible
    case's reports sorted afresh. The database keeps these rows in step, in the writer's
    transaction (triggers, sharing/migrations/0002): when a case's access row is written,
    changed or deleted (grant created, ended, moved in time), when a report is created,
    moves into or out of a case, or changes its TLP, and when a case's TLP changes.
    """

    # indexed by the (grant, report) unique constraint
    grant = models.ForeignKey(Grant, on_delete=models.CASCADE, related_name="+", db_index=False)
    level = models.PositiveSmallIntegerField()
    created = models.DateTimeField(help_text="The report's created_at, for reading in index order.")
    expires_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        abstract = True


class SeizureCaseGroupAccess(CaseReachRow):
    group = models.ForeignKey("auth.Group", on_delete=models.CASCADE, db_index=False)
    content_object = models.ForeignKey(
        SeizureReport, on_delete=models.CASCADE, related_name="case_group_access", db_index=False
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["grant", "content_object"], name="seizure_case_group_access_once"
            )
        ]
        indexes = [
            models.Index(
                fields=["group", "-created", "-content_object"],
                include=["level", "expires_at"],
                name="seizure_case_group_newest",
            ),
            models.Index(
                fields=["content_object", "group"],
                include=["level", "expires_at"],
                name="seizure_case_group_record",
            ),
        ]


class SeizureCaseUserAccess(CaseReachRow):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, db_index=False)
    content_object = models.ForeignKey(
        SeizureReport, on_delete=models.CASCADE, related_name="case_user_access", db_index=False
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["grant", "content_object"], name="seizure_case_user_access_once"
            )
        ]
        indexes = [
            models.Index(
                fields=["user", "-created", "-content_object"],
                include=["level", "expires_at"],
                name="seizure_case_user_newest",
            ),
            models.Index(
                fields=["content_object", "user"],
                include=["level", "expires_at"],
                name="seizure_case_user_record",
            ),
        ]
