"""Share requests and grants in the API. A record is named only when the reader may see it."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from agencies.models import Agency, Team
from sharing.models import LEVEL_BY_NAME, LEVEL_NAMES, Grant, Level, ShareRequest
from sharing.queries import record_key
from sharing.rules import tlp_label

LEVEL_CHOICES = list(LEVEL_BY_NAME)


def _agency(agency: Agency | None) -> dict[str, Any] | None:
    if agency is None:
        return None
    return {"id": agency.pk, "acronym": agency.acronym, "name": agency.name}


def _user(user: User | None) -> dict[str, Any] | None:
    if user is None:
        return None
    return {"id": user.pk, "username": user.get_username()}


def _team(team: Team | None) -> dict[str, Any] | None:
    if team is None:
        return None
    return {"id": team.pk, "name": team.name}


def _record(item: ShareRequest | Grant, visible: set[tuple[str, int]]) -> dict[str, Any]:
    """The record's reference and markings when the reader may see it; else only its owner."""
    kind, pk = record_key(item)
    if (kind, pk) not in visible:
        return {
            "type": kind,
            "id": None,
            "visible": False,
            "owner_agency": item.owner_agency.acronym,
        }
    record = item.record
    return {
        "type": kind,
        "id": pk,
        "visible": True,
        "reference": record.reference,
        "title": getattr(record, "title", ""),
        "tlp": record.tlp,
        "tlp_label": tlp_label(record.tlp),
        "handling_code": record.handling_code,
        "owner_agency": item.owner_agency.acronym,
    }


class HitKindSerializer(serializers.Serializer):
    kind = serializers.CharField()
    kind_label = serializers.CharField()


class ShareRequestSerializer(serializers.ModelSerializer):
    record = serializers.SerializerMethodField()
    case = serializers.SerializerMethodField()
    seizure = serializers.SerializerMethodField()
    level = serializers.SerializerMethodField()
    owner_agency = serializers.SerializerMethodField()
    requesting_agency = serializers.SerializerMethodField()
    requested_by = serializers.SerializerMethodField()
    recipient_agency = serializers.SerializerMethodField()
    recipient_team = serializers.SerializerMethodField()
    recipient_users = serializers.SerializerMethodField()
    decided_by = serializers.SerializerMethodField()
    hit = serializers.SerializerMethodField(
        help_text="When asked from a deconfliction hit: the kind of identifier that matched "
        "(nothing of the asking agency's record)."
    )

    class Meta:
        model = ShareRequest
        fields = [
            "id",
            "kind",
            "status",
            "record",
            "case",
            "seizure",
            "owner_agency",
            "requesting_agency",
            "requested_by",
            "recipient_agency",
            "recipient_team",
            "recipient_users",
            "level",
            "justification",
            "question",
            "priority",
            "due_date",
            "expires_at",
            "created_at",
            "decided_by",
            "decided_at",
            "decision_note",
            "answer",
            "hit",
        ]
        read_only_fields = fields

    def _visible(self) -> set[tuple[str, int]]:
        return self.context.get("visible_records", set())

    def get_record(self, obj: ShareRequest) -> dict[str, Any]:
        return _record(obj, self._visible())

    def get_case(self, obj: ShareRequest) -> int | None:
        return obj.case_id if obj.case_id and ("case", obj.case_id) in self._visible() else None

    def get_seizure(self, obj: ShareRequest) -> int | None:
        visible = obj.seizure_id and ("seizure", obj.seizure_id) in self._visible()
        return obj.seizure_id if visible else None

    @extend_schema_field(HitKindSerializer(allow_null=True))
    def get_hit(self, obj: ShareRequest) -> dict[str, Any] | None:
        if obj.hit_id is None or obj.hit is None:
            return None
        return {"kind": obj.hit.kind, "kind_label": obj.hit.kind_label}

    def get_level(self, obj: ShareRequest) -> str:
        return LEVEL_NAMES[Level(obj.level)]

    def get_owner_agency(self, obj: ShareRequest) -> dict[str, Any] | None:
        return _agency(obj.owner_agency)

    def get_requesting_agency(self, obj: ShareRequest) -> dict[str, Any] | None:
        return _agency(obj.requesting_agency)

    def get_requested_by(self, obj: ShareRequest) -> dict[str, Any] | None:
        return _user(obj.requested_by)

    def get_recipient_agency(self, obj: ShareRequest) -> dict[str, Any] | None:
        return _agency(obj.recipient_agency)

    def get_recipient_team(self, obj: ShareRequest) -> dict[str, Any] | None:
        return _team(obj.recipient_team)

    def get_recipient_users(self, obj: ShareRequest) -> list[dict[str, Any] | None]:
        return [_user(user) for user in obj.recipient_users.all()]

    def get_decided_by(self, obj: ShareRequest) -> dict[str, Any] | None:
        return _user(obj.decided_by)


class ShareRequestCreateSerializer(serializers.Serializer):
    """What a caller sends to ask, offer, extend, or send a request for information."""

    kind = serializers.ChoiceField(choices=ShareRequest.Kind.choices)
    target = serializers.IntegerField(required=False, help_text="A case id.")
    seizure = serializers.IntegerField(required=False, help_text="A seizure report id.")
    hit = serializers.IntegerField(
        required=False, help_text="A deconfliction hit of your agency (asks for its record)."
    )
    recipient_agency = serializers.PrimaryKeyRelatedField(
        queryset=Agency.objects.all(), required=False, allow_null=True
    )
    recipient_team = serializers.PrimaryKeyRelatedField(
        queryset=Team.objects.all(), required=False, allow_null=True
    )
    recipient_users = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.select_related("membership__agency"), many=True, required=False
    )
    level = serializers.ChoiceField(choices=LEVEL_CHOICES, required=False)
    justification = serializers.CharField(allow_blank=True, required=False, default="")
    expires_at = serializers.DateTimeField(required=False, allow_null=True)
    question = serializers.CharField(allow_blank=True, required=False, default="")
    priority = serializers.ChoiceField(
        choices=ShareRequest.Priority.choices, required=False, default="routine"
    )
    due_date = serializers.DateField(required=False, allow_null=True)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        kind = attrs["kind"]
        given = [name for name in ("target", "seizure") if attrs.get(name) is not None]
        if attrs.get("hit") is None and len(given) != 1:
            raise serializers.ValidationError(
                {"target": _("Name one record: a case (target) or a seizure report (seizure).")}
            )
        if kind != ShareRequest.Kind.RFI and not attrs.get("level"):
            raise serializers.ValidationError({"level": _("Choose summary, full or contribute.")})
        if kind == ShareRequest.Kind.RFI:
            for name in ("recipient_agency", "recipient_team"):
                if attrs.get(name):
                    raise serializers.ValidationError(
                        {name: _("A request for information is answered to the requester.")}
                    )
            if attrs.get("recipient_users"):
                raise serializers.ValidationError(
                    {
                        "recipient_users": _(
                            "A request for information is answered to the requester."
                        )
                    }
                )
        else:
            for name in ("question", "due_date"):
                if attrs.get(name):
                    raise serializers.ValidationError(
                        {name: _("Only a request for information (kind rfi) has this field.")}
                    )
        return attrs

    def action_kwargs(self, data: dict[str, Any], hit: Any, agency_id: int) -> dict[str, Any]:
        """The keyword arguments of the ``sharing.actions`` function for this kind."""
        kind = data["kind"]
        if kind == ShareRequest.Kind.RFI:
            return {
                "question": data.get("question", ""),
                "justification": data.get("justification", ""),
                "priority": data.get("priority") or ShareRequest.Priority.ROUTINE,
                "due_date": data.get("due_date"),
                "hit": hit,
            }
        common = {
            "level": LEVEL_BY_NAME[data["level"]],
            "justification": data.get("justification", ""),
            "expires_at": data.get("expires_at"),
            "recipient_team": data.get("recipient_team"),
            "recipient_users": data.get("recipient_users") or [],
        }
        if kind == ShareRequest.Kind.ACCESS:
            agency = data.get("recipient_agency")
            if agency is not None and agency.pk != agency_id:
                raise serializers.ValidationError(
                    {
                        "recipient_agency": _(
                            "You ask for your own agency; to share further, the owner decides."
                        )
                    }
                )
            return {**common, "hit": hit}
        return {**common, "recipient_agency": data.get("recipient_agency")}


class DecisionSerializer(serializers.Serializer):
    # Required: the decision is refused without one (sharing.actions), so the schema says so.
    note = serializers.CharField(
        help_text="Why: shown to the requester and kept in the audit log.",
        error_messages={
            "required": gettext_lazy("Write a note for the decision."),
            "blank": gettext_lazy("Write a note for the decision."),
        },
    )
    expires_at = serializers.DateTimeField(
        required=False, allow_null=True, help_text="Approve only: replaces the requested expiry."
    )


class AnswerSerializer(serializers.Serializer):
    answer = serializers.CharField(allow_blank=True)


class RevokeSerializer(serializers.Serializer):
    reason = serializers.CharField(allow_blank=True)


class GrantSerializer(serializers.ModelSerializer):
    record = serializers.SerializerMethodField()
    case = serializers.SerializerMethodField()
    seizure = serializers.SerializerMethodField()
    level = serializers.SerializerMethodField()
    owner_agency = serializers.SerializerMethodField()
    recipient = serializers.SerializerMethodField()
    granted_by = serializers.SerializerMethodField()
    ended_by = serializers.SerializerMethodField()
    direction = serializers.SerializerMethodField()

    class Meta:
        model = Grant
        fields = [
            "id",
            "direction",
            "status",
            "record",
            "case",
            "seizure",
            "owner_agency",
            "recipient",
            "level",
            "share_request",
            "granted_by",
            "created_at",
            "expires_at",
            "ended_at",
            "ended_by",
            "end_reason",
        ]
        read_only_fields = fields

    def _visible(self) -> set[tuple[str, int]]:
        return self.context.get("visible_records", set())

    def get_direction(self, obj: Grant) -> str:
        return "given" if obj.owner_agency_id == self.context.get("agency_id") else "received"

    def get_record(self, obj: Grant) -> dict[str, Any]:
        return _record(obj, self._visible())

    def get_case(self, obj: Grant) -> int | None:
        return obj.case_id if obj.case_id and ("case", obj.case_id) in self._visible() else None

    def get_seizure(self, obj: Grant) -> int | None:
        visible = obj.seizure_id and ("seizure", obj.seizure_id) in self._visible()
        return obj.seizure_id if visible else None

    def get_level(self, obj: Grant) -> str:
        return LEVEL_NAMES[Level(obj.level)]

    def get_owner_agency(self, obj: Grant) -> dict[str, Any] | None:
        return _agency(obj.owner_agency)

    def get_recipient(self, obj: Grant) -> dict[str, Any]:
        if obj.recipient_agency_id:
            return {"type": "agency", **(_agency(obj.recipient_agency) or {})}
        if obj.recipient_team_id:
            return {"type": "team", **(_team(obj.recipient_team) or {})}
        return {"type": "user", **(_user(obj.recipient_user) or {})}

    def get_granted_by(self, obj: Grant) -> dict[str, Any] | None:
        return _user(obj.granted_by)

    def get_ended_by(self, obj: Grant) -> dict[str, Any] | None:
        return _user(obj.ended_by)
