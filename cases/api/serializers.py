"""API shapes of cases and seizure reports. What a reader sees follows their access level:
at summary level no personal data (names, dates of birth, passports, MRZ, phones, plates) —
those fields are present and ``null`` — and attachments are not listed at all."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, cast

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from cases import actions
from cases.models import (
    Attachment,
    Case,
    CaseMessage,
    Container,
    CrimeType,
    Flight,
    Organisation,
    Person,
    SeizureItem,
    SeizureReport,
    Vehicle,
    Vessel,
)
from cases.vocabularies import UNIT_CHOICES
from portal.countries import COUNTRY_CHOICES
from sharing.models import Level

ACCESS_LEVEL_CHOICES = [
    ("summary", _("summary")),
    ("full", _("full")),
    ("contribute", _("contribute")),
    ("owner", _("owner")),
]
ACCESS_LEVEL_NAMES = {
    Level.SUMMARY: "summary",
    Level.FULL: "full",
    Level.CONTRIBUTE: "contribute",
    Level.OWNER: "owner",
}


def hide_invisible_case(serializer: Any, instance: SeizureReport, data: dict[str, Any]) -> None:
    """A report shared on its own must not disclose the case it is in (id or reference)."""
    if not instance.case_id or level_of(serializer, instance) >= Level.OWNER:
        return
    if instance.case_id not in serializer.context.get("visible_cases", set()):
        data["case"] = None
        data["case_reference"] = None


def level_of(serializer: serializers.Serializer[Any], instance: Any = None) -> int:
    level = getattr(instance, "access_level", None)
    if level is None:
        level = serializer.context.get("access_level", Level.NONE)
    return int(level)


class AgencyBriefSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField(read_only=True)
    acronym = serializers.CharField(read_only=True)
    name = serializers.CharField(read_only=True)
    country = serializers.CharField(read_only=True)


class AccessLevelField(serializers.ChoiceField):
    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("read_only", True)
        kwargs.setdefault(
            "help_text",
            _("What the caller sees of this record: summary, full, contribute or owner."),
        )
        super().__init__(choices=ACCESS_LEVEL_CHOICES, **kwargs)

    def get_attribute(self, instance: Any) -> Any:
        return instance

    def to_representation(self, value: Any) -> Any:
        level = getattr(value, "access_level", None)
        return ACCESS_LEVEL_NAMES.get(Level(int(level))) if level is not None else None


class CountryField(serializers.ChoiceField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(choices=COUNTRY_CHOICES, **kwargs)

    def to_internal_value(self, data: Any) -> Any:
        if not isinstance(data, str):  # a number, a list or an object is no country code
            self.fail("invalid_choice", input=data)
        data = data.strip().upper()
        if data == "" and self.allow_blank:
            return ""
        if data not in self.choices:
            self.fail("invalid_choice", input=data)
        return data

    default_error_messages = {
        "invalid_choice": _('"{input}" is not an ISO 3166 country code (e.g. JM, CO, PA).')
    }


@extend_schema_field(
    {
        "type": "string",
        "pattern": r"^([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9](\.[0-9]{1,6})?)?$",
        "example": "14:30:00",
        "description": "Local time at the place of the seizure, without a zone (HH:MM[:SS]).",
    }
)
class LocalTimeField(serializers.TimeField):
    """A wall-clock time with no zone: OpenAPI's ``format: time`` would demand an offset."""


# --- cases --------------------------------------------------------------------------------------


class CaseSerializer(serializers.ModelSerializer[Case]):
    owner_agency = AgencyBriefSerializer(read_only=True)
    created_by = serializers.SerializerMethodField(
        help_text=_("User name of the creator; owner agency only.")
    )
    crime_types = serializers.ListField(
        child=serializers.ChoiceField(choices=CrimeType.choices), required=False
    )
    access_level = AccessLevelField()
    do_not_reveal = serializers.BooleanField(
        required=False,
        allow_null=True,
        help_text=_("Undercover: a match tells only us. Shown to the owner agency only."),
    )
    version = serializers.IntegerField(
        required=False,
        min_value=1,
        help_text=_(
            "Optimistic lock: send the version you read when you update; a newer version "
            "on the server answers 409."
        ),
    )

    class Meta:
        model = Case
        fields = [
            "id",
            "reference",
            "title",
            "summary",
            "status",
            "crime_types",
            "tlp",
            "handling_code",
            "handling_note",
            "source_reliability",
            "information_credibility",
            "do_not_reveal",
            "owner_agency",
            "created_by",
            "created_at",
            "updated_at",
            "closed_at",
            "version",
            "access_level",
        ]
        read_only_fields = ["reference", "created_at", "updated_at", "closed_at"]

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_created_by(self, case: Case) -> str | None:
        if level_of(self, case) < Level.OWNER or case.created_by is None:
            return None
        return case.created_by.get_username()

    def to_representation(self, instance: Case) -> dict[str, Any]:
        data = super().to_representation(instance)
        if level_of(self, instance) < Level.OWNER:
            data["do_not_reveal"] = None
        return data

    def _fields(self, validated: Mapping[str, Any]) -> dict[str, Any]:
        return {k: v for k, v in validated.items() if k in actions.CASE_FIELDS}

    def create(self, validated_data: dict[str, Any]) -> Case:
        request = self.context["request"]
        data = self._fields(validated_data)
        if data.get("do_not_reveal") is None:
            data.pop("do_not_reveal", None)
        return actions.create_case(request.user, data, request=request)

    def update(self, instance: Case, validated_data: dict[str, Any]) -> Case:
        request = self.context["request"]
        data = self._fields(validated_data)
        if data.get("do_not_reveal") is None:
            data.pop("do_not_reveal", None)
        return actions.update_case(
            request.user,
            instance.pk,
            data,
            version=validated_data.get("version"),
            request=request,
        )


# --- seizure reports ----------------------------------------------------------------------------


class _RowSerializer(serializers.ModelSerializer[Any]):
    """A row inside a seizure report. ``id`` present on update: change that row."""

    id = serializers.IntegerField(
        required=False, help_text=_("Leave out to add a row; give it to change that row.")
    )


class SeizureItemSerializer(_RowSerializer):
    unit = serializers.ChoiceField(
        choices=UNIT_CHOICES,
        required=False,
        allow_blank=True,
    )
    country_of_manufacture = CountryField(required=False, allow_blank=True)

    class Meta:
        model = SeizureItem
        fields = [
            "id",
            "kind",
            "substance",
            "quantity",
            "unit",
            "quantity_normalised",
            "normalised_unit",
            "purity",
            "firearm_type",
            "make",
            "model",
            "calibre",
            "serial_number",
            "markings",
            "country_of_manufacture",
            "rounds",
            "amount",
            "currency",
            "description",
        ]
        read_only_fields = ["quantity_normalised", "normalised_unit"]


class PersonSerializer(_RowSerializer):
    full_name = serializers.CharField(
        allow_null=True, help_text=_("null at summary level (personal data).")
    )
    date_of_birth = serializers.CharField(
        required=False,
        allow_blank=True,
        allow_null=True,
        help_text=_("YYYY-MM-DD, YYYY-MM or YYYY; null at summary level."),
    )
    passport_number = serializers.CharField(
        required=False, allow_blank=True, allow_null=True, help_text=_("null at summary level.")
    )
    mrz = serializers.CharField(
        required=False,
        allow_blank=True,
        allow_null=True,
        help_text=_("Machine readable zone, lines separated by a newline; null at summary level."),
    )
    phone = serializers.CharField(
        required=False,
        allow_blank=True,
        allow_null=True,
        help_text=_("E.164, e.g. +18765550100; null at summary level."),
    )
    nationality = CountryField(required=False, allow_blank=True)
    passport_country = CountryField(required=False, allow_blank=True)

    class Meta:
        model = Person
        fields = [
            "id",
            "role",
            "full_name",
            "date_of_birth",
            "nationality",
            "passport_number",
            "passport_country",
            "mrz",
            "phone",
        ]

    def to_representation(self, instance: Person) -> dict[str, Any]:
        data = super().to_representation(instance)
        if self.context.get("access_level", Level.NONE) < Level.FULL:
            for name in Person.PERSONAL_FIELDS:
                data[name] = None
        return data


class OrganisationSerializer(_RowSerializer):
    country = CountryField(required=False, allow_blank=True)

    class Meta:
        model = Organisation
        fields = ["id", "role", "name", "registration_number", "country"]


class VesselSerializer(_RowSerializer):
    flag = CountryField(required=False, allow_blank=True)

    class Meta:
        model = Vessel
        fields = ["id", "name", "imo", "mmsi", "flag", "vessel_type"]


class ContainerSerializer(_RowSerializer):
    class Meta:
        model = Container
        fields = ["id", "number", "seal_number", "bill_of_lading"]


class FlightSerializer(_RowSerializer):
    class Meta:
        model = Flight
        fields = ["id", "designator", "flight_date", "departure_airport", "arrival_airport"]


class VehicleSerializer(_RowSerializer):
    plate = serializers.CharField(
        allow_null=True, help_text=_("null at summary level (it leads to a person).")
    )
    country = CountryField(required=False, allow_blank=True)

    class Meta:
        model = Vehicle
        fields = ["id", "plate", "country", "description"]

    def to_representation(self, instance: Vehicle) -> dict[str, Any]:
        data = super().to_representation(instance)
        if self.context.get("access_level", Level.NONE) < Level.FULL:
            data["plate"] = None
        return data


NESTED_SERIALIZERS: dict[str, type[_RowSerializer]] = {
    "items": SeizureItemSerializer,
    "persons": PersonSerializer,
    "organisations": OrganisationSerializer,
    "vessels": VesselSerializer,
    "containers": ContainerSerializer,
    "flights": FlightSerializer,
    "vehicles": VehicleSerializer,
}


class SeizureReportSerializer(serializers.ModelSerializer[SeizureReport]):
    """A seizure report with its items and linked entities, written in one request."""

    case = serializers.IntegerField(
        source="case_id",
        required=False,
        allow_null=True,
        help_text=_("Id of one of your agency's cases, or null."),
    )
    case_reference = serializers.CharField(
        source="case.reference",
        read_only=True,
        allow_null=True,
        default=None,
        help_text=_("null when the report is shared with you but its case is not."),
    )
    owner_agency = AgencyBriefSerializer(read_only=True)
    country = CountryField()
    seized_at_time = LocalTimeField(required=False, allow_null=True)
    origin_country = CountryField(required=False, allow_blank=True)
    departure_country = CountryField(required=False, allow_blank=True)
    destination_country = CountryField(required=False, allow_blank=True)
    transit_countries = serializers.ListField(
        child=CountryField(), required=False, help_text=_("ISO 3166 codes, in route order.")
    )
    do_not_reveal = serializers.BooleanField(
        required=False,
        allow_null=True,
        help_text=_("Undercover: a match tells only us. Shown to the owner agency only."),
    )
    items = SeizureItemSerializer(many=True, required=False)
    persons = PersonSerializer(many=True, required=False)
    organisations = OrganisationSerializer(many=True, required=False)
    vessels = VesselSerializer(many=True, required=False)
    containers = ContainerSerializer(many=True, required=False)
    flights = FlightSerializer(many=True, required=False)
    vehicles = VehicleSerializer(many=True, required=False)
    access_level = AccessLevelField()
    version = serializers.IntegerField(
        required=False,
        min_value=1,
        help_text=_("Optimistic lock: send the version you read when you update (409 if stale)."),
    )

    class Meta:
        model = SeizureReport
        fields = [
            "id",
            "reference",
            "case",
            "case_reference",
            "seized_on",
            "seized_at_time",
            "country",
            "place",
            "latitude",
            "longitude",
            "locode",
            "transport_mode",
            "origin_country",
            "departure_country",
            "transit_countries",
            "destination_country",
            "concealment",
            "summary",
            "tlp",
            "handling_code",
            "handling_note",
            "source_reliability",
            "information_credibility",
            "do_not_reveal",
            "items",
            "persons",
            "organisations",
            "vessels",
            "containers",
            "flights",
            "vehicles",
            "owner_agency",
            "created_at",
            "updated_at",
            "version",
            "access_level",
        ]
        read_only_fields = ["reference", "created_at", "updated_at"]

    def to_representation(self, instance: SeizureReport) -> dict[str, Any]:
        # Nested rows read the level from the shared context (rendered one report at a time).
        cast("dict[str, Any]", self.context)["access_level"] = level_of(self, instance)
        data = super().to_representation(instance)
        if level_of(self, instance) < Level.OWNER:
            data["do_not_reveal"] = None
        hide_invisible_case(self, instance, data)
        return data

    def _split(self, validated: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
        nested = {kind: validated.pop(kind, None) for kind in NESTED_SERIALIZERS}
        if "case_id" in validated:
            validated["case"] = validated.pop("case_id")
        fields = {k: v for k, v in validated.items() if k in actions.SEIZURE_FIELDS}
        if fields.get("do_not_reveal") is None:
            fields.pop("do_not_reveal", None)
        return fields, nested

    def create(self, validated_data: dict[str, Any]) -> SeizureReport:
        request = self.context["request"]
        fields, nested = self._split(validated_data)
        return actions.create_seizure(request.user, fields, nested, request=request)

    def update(self, instance: SeizureReport, validated_data: dict[str, Any]) -> SeizureReport:
        request = self.context["request"]
        version = validated_data.pop("version", None)
        fields, nested = self._split(validated_data)
        return actions.update_seizure(
            request.user, instance.pk, fields, nested, version=version, request=request
        )


class SeizureItemBriefSerializer(serializers.ModelSerializer[SeizureItem]):
    class Meta:
        model = SeizureItem
        fields = ["kind", "substance", "quantity_normalised", "normalised_unit", "firearm_type"]
        read_only_fields = fields


class SeizureReportListSerializer(serializers.ModelSerializer[SeizureReport]):
    """A row of the seizure list: no linked entities, items in brief."""

    case_reference = serializers.CharField(
        source="case.reference", read_only=True, allow_null=True, default=None
    )
    owner_agency = AgencyBriefSerializer(read_only=True)
    items = SeizureItemBriefSerializer(many=True, read_only=True)
    access_level = AccessLevelField()
    # Route countries are optional: "" when not known (documented as such in the schema).
    origin_country = CountryField(read_only=True, allow_blank=True)
    departure_country = CountryField(read_only=True, allow_blank=True)
    destination_country = CountryField(read_only=True, allow_blank=True)

    class Meta:
        model = SeizureReport
        fields = [
            "id",
            "reference",
            "case",
            "case_reference",
            "seized_on",
            "country",
            "place",
            "locode",
            "transport_mode",
            "origin_country",
            "departure_country",
            "transit_countries",
            "destination_country",
            "tlp",
            "handling_code",
            "items",
            "owner_agency",
            "created_at",
            "access_level",
        ]
        read_only_fields = fields

    def to_representation(self, instance: SeizureReport) -> dict[str, Any]:
        data = super().to_representation(instance)
        hide_invisible_case(self, instance, data)
        return data


# --- messages and attachments -------------------------------------------------------------------


class CaseMessageSerializer(serializers.ModelSerializer[CaseMessage]):
    author = serializers.SerializerMethodField()
    agency = AgencyBriefSerializer(read_only=True)
    body = serializers.CharField(max_length=actions.MESSAGE_MAX_LENGTH)

    class Meta:
        model = CaseMessage
        fields = ["id", "case", "author", "agency", "body", "created_at"]
        read_only_fields = ["id", "case", "author", "agency", "created_at"]

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_author(self, message: CaseMessage) -> str | None:
        return message.author.get_username() if message.author else None


class AttachmentSerializer(serializers.ModelSerializer[Attachment]):
    agency = AgencyBriefSerializer(read_only=True)
    download = serializers.SerializerMethodField()

    class Meta:
        model = Attachment
        fields = [
            "id",
            "case",
            "seizure",
            "kind",
            "filename",
            "description",
            "content_type",
            "size",
            "sha256",
            "agency",
            "created_at",
            "download",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.URLField())
    def get_download(self, attachment: Attachment) -> str:
        request = self.context.get("request")
        path = f"/api/v1/attachments/{attachment.pk}/download/"
        return request.build_absolute_uri(path) if request else path


class AttachmentUploadSerializer(serializers.Serializer[Any]):
    file = serializers.FileField(help_text=_("The evidence file (multipart/form-data)."))
    kind = serializers.ChoiceField(
        choices=Attachment.AttachmentKind.choices, default=Attachment.AttachmentKind.PHOTO
    )
    description = serializers.CharField(required=False, allow_blank=True, max_length=500)
