"""Deconfliction hits: two agencies hold records with the same identifier (DESIGN §4)."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agencies.models import Agency
from cases.models import Identifier, SeizureReport


class Hit(models.Model):
    """Two agencies hold records with the same identifier. Each side sees only its own record."""

    class Status(models.TextChoices):
        NEW = "new", _("New")
        ACKNOWLEDGED = "acknowledged", _("Acknowledged")
        FOLLOWED_UP = "followed_up", _("Followed up")

    kind = models.CharField(max_length=12)
    our_seizure = models.ForeignKey(SeizureReport, on_delete=models.CASCADE, related_name="hits")
    our_agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="hits")
    their_seizure = models.ForeignKey(SeizureReport, on_delete=models.CASCADE, related_name="+")
    their_agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+")
    revealed = models.BooleanField(
        default=True,
        help_text="False when the other side asked not to be revealed: only they see it.",
    )
    status = models.CharField(max_length=14, choices=Status.choices, default=Status.NEW)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["our_agency", "status", "-created_at"], name="hit_inbox")]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "our_seizure", "their_seizure"], name="hit_once_per_pair_and_kind"
            )
        ]

    @property
    def kind_label(self) -> str:
        """What matched, in words ("container number"); the identifier itself is never kept."""
        return str(dict(Identifier.Kind.choices).get(self.kind, self.kind))
