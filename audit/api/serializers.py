from __future__ import annotations

from rest_framework import serializers

from audit.access import shown_fields
from audit.models import AuditEntry


class AuditEntrySerializer(serializers.ModelSerializer[AuditEntry]):
    agency_acronym = serializers.SerializerMethodField()
    object_agency = serializers.SerializerMethodField()
    object_agency_acronym = serializers.SerializerMethodField()
    source_ip = serializers.SerializerMethodField()
    request_id = serializers.SerializerMethodField()

    class Meta:
        model = AuditEntry
        fields = [
            "id",
            "at",
            "actor",
            "actor_username",
            "agency",
            "agency_acronym",
            "action",
            "object_type",
            "object_id",
            "object_agency",
            "object_agency_acronym",
            "outcome",
            "source_ip",
            "request_id",
            "details",
            "seal",
            "chain_seq",
            "prev_hash",
            "entry_hash",
        ]
        read_only_fields = fields

    def _shown(self, entry: AuditEntry) -> dict[str, bool]:
        return shown_fields(self.context["request"].user, entry)

    def get_agency_acronym(self, entry: AuditEntry) -> str | None:
        return entry.agency.acronym if entry.agency_id and entry.agency else None

    def get_object_agency(self, entry: AuditEntry) -> int | None:
        return entry.object_agency_id if self._shown(entry)["object_agency"] else None

    def get_object_agency_acronym(self, entry: AuditEntry) -> str | None:
        if not self._shown(entry)["object_agency"] or entry.object_agency is None:
            return None
        return entry.object_agency.acronym

    def get_source_ip(self, entry: AuditEntry) -> str | None:
        return entry.source_ip if self._shown(entry)["network"] else None

    def get_request_id(self, entry: AuditEntry) -> str | None:
        return entry.request_id if self._shown(entry)["network"] else None
