"""Seizure report imports: the uploaded file, kept encrypted until it is committed."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agencies.models import Agency
from portal.fields import EncryptedTextField


class SeizureImport(models.Model):
    """One uploaded table of seizure reports, on its way through mapping, dry run and commit.

    The file may hold personal data: it is stored encrypted (``content``, base64 inside the
    ciphertext) and erased once committed; only the owner agency's members reach it.
    """

    class Status(models.TextChoices):
        UPLOADED = "uploaded", _("Uploaded")
        CHECKED = "checked", _("Checked")
        COMMITTED = "committed", _("Imported")

    class Format(models.TextChoices):
        CSV = "csv", "CSV"
        XLSX = "xlsx", "Excel"

    owner_agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    filename = EncryptedTextField(_("file name"))
    file_format = models.CharField(max_length=4, choices=Format.choices)
    size = models.PositiveIntegerField()
    content = EncryptedTextField(blank=True)
    headers = models.JSONField(default=list)
    mapping = models.JSONField(default=list)  # a field key (or "") per column
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.UPLOADED)
    row_count = models.PositiveIntegerField(default=0)
    error_count = models.PositiveIntegerField(null=True, blank=True)
    imported_count = models.PositiveIntegerField(default=0)
    first_reference = models.CharField(max_length=40, blank=True)
    last_reference = models.CharField(max_length=40, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    checked_at = models.DateTimeField(null=True, blank=True)
    committed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["owner_agency", "-created_at"], name="import_owner_newest")]

    def __str__(self) -> str:
        return f"import #{self.pk}"
