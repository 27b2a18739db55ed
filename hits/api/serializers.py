"""A hit in the API: the reader's own record, the identifier kind, and the other agency (when it
may be named) with its liaison contact. Never anything of the other agency's record."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from hits.models import Hit


class OtherAgencySerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    acronym = serializers.CharField()
    name = serializers.CharField()
    liaison_email = serializers.CharField()
    liaison_phone = serializers.CharField()


class OurRecordSerializer(serializers.Serializer[Any]):
    type = serializers.CharField()
    id = serializers.IntegerField()
    reference = serializers.CharField()


class HitSerializer(serializers.ModelSerializer[Hit]):
    kind_label = serializers.CharField(read_only=True)
    record = serializers.SerializerMethodField(help_text="Your agency's record that matched.")
    other_agency = serializers.SerializerMethodField(
        help_text="The agency holding the matching record, with its liaison contact; null when "
        "it asked not to be named."
    )

    class Meta:
        model = Hit
        fields = [
            "id",
            "kind",
            "kind_label",
            "status",
            "revealed",
            "record",
            "other_agency",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    @extend_schema_field(OurRecordSerializer)
    def get_record(self, obj: Hit) -> dict[str, Any]:
        return {"type": "seizure", "id": obj.our_seizure_id, "reference": obj.our_seizure.reference}

    @extend_schema_field(OtherAgencySerializer(allow_null=True))
    def get_other_agency(self, obj: Hit) -> dict[str, Any] | None:
        if not obj.revealed:
            return None
        agency = obj.their_agency
        return {
            "id": agency.pk,
            "acronym": agency.acronym,
            "name": agency.name,
            "liaison_email": agency.liaison_email,
            "liaison_phone": agency.liaison_phone,
        }
