"""API shapes of search results and pointers: nothing of a record the caller may not see."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_serializer
from rest_framework import serializers

from cases.api.serializers import AgencyBriefSerializer
from insight.search import SEARCHABLE_KINDS, Kind, Pointer, Result

KIND_CHOICES = [("", _("Everything")), *[(str(k), dict(Kind.choices)[k]) for k in SEARCHABLE_KINDS]]


class SearchQuerySerializer(serializers.Serializer[Any]):
    q = serializers.CharField(max_length=200, help_text=_("Words or an identifier."))
    kind = serializers.ChoiceField(
        choices=KIND_CHOICES,
        required=False,
        allow_blank=True,
        help_text=_("Only this kind of identifier (no text search); empty: everything."),
    )
    make = serializers.CharField(
        max_length=60, required=False, allow_blank=True, help_text=_("Make of a firearm serial.")
    )
    country = serializers.CharField(
        max_length=2,
        required=False,
        allow_blank=True,
        help_text=_("ISO 3166 country of a plate or company registration."),
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if attrs.get("kind") == Kind.FIREARM and not attrs.get("make"):
            raise serializers.ValidationError(
                {"make": [_("Give the make: a serial number is matched with it.")]}
            )
        return attrs


class SearchResultSerializer(serializers.Serializer[Result]):
    type = serializers.CharField(source="record_type", help_text=_("case or seizure"))
    id = serializers.IntegerField(source="record.pk")
    reference = serializers.CharField(source="record.reference")
    title = serializers.CharField()
    snippet = serializers.CharField()
    matched = serializers.ListField(child=serializers.CharField())
    rank = serializers.FloatField()
    tlp = serializers.CharField(source="record.tlp")
    owner_agency = AgencyBriefSerializer(source="record.owner_agency")
    access_level = serializers.CharField(source="level_name")
    url = serializers.CharField()
    api_url = serializers.SerializerMethodField()

    def get_api_url(self, result: Result) -> str:
        plural = "cases" if result.record_type == "case" else "seizures"
        return f"/api/v1/{plural}/{result.record.pk}/"


class PointerSerializer(serializers.Serializer[Pointer]):
    agency = AgencyBriefSerializer()
    matched_on = serializers.ListField(child=serializers.CharField(), source="kinds")
    token = serializers.CharField(
        help_text=_("Send it to request-access/ to ask the owner for the record (24 hours).")
    )


@extend_schema_serializer(many=False)  # one object from the list action, not an array of them
class SearchResponseSerializer(serializers.Serializer[Any]):
    count = serializers.IntegerField()
    truncated = serializers.BooleanField()
    ranked_among = serializers.IntegerField(
        help_text=_(
            "When not 0: text results were ranked among the newest this many matches of each "
            "kind the reader may see."
        )
    )
    walked = serializers.IntegerField(
        help_text=_(
            "When not 0: the words were so common that only the reader's newest this many "
            "records of each kind were searched."
        )
    )
    next = serializers.CharField(allow_null=True)
    previous = serializers.CharField(allow_null=True)
    results = SearchResultSerializer(many=True)
    pointers = PointerSerializer(many=True)


class PointerRequestSerializer(serializers.Serializer[Any]):
    token = serializers.CharField()
    level = serializers.ChoiceField(choices=["summary", "full", "contribute"])
    justification = serializers.CharField(max_length=2000)


class PointerRequestResponseSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    status = serializers.CharField()
