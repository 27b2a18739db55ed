from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from agencies.models import Agency, Role, Team, TrustLevel, TrustLevelChange
from portal.countries import COUNTRY_CHOICES


class AgencySerializer(serializers.ModelSerializer):
    country = serializers.ChoiceField(
        choices=COUNTRY_CHOICES,
        error_messages={"invalid_choice": _("%(input)s is not an ISO 3166 country code.")},
    )
    # Uniqueness (case-insensitive) and operator rules are checked by the action.
    acronym = serializers.CharField(max_length=20)

    class Meta:
        model = Agency
        fields = [
            "id",
            "name",
            "acronym",
            "kind",
            "country",
            "parent",
            "active",
            "liaison_email",
            "liaison_phone",
            "created_at",
        ]
        read_only_fields = ["id", "created_at"]


class UserSerializer(serializers.ModelSerializer):
    agency = serializers.PrimaryKeyRelatedField(
        source="membership.agency", queryset=Agency.objects.all()
    )
    role = serializers.ChoiceField(source="membership.role", choices=Role.choices)
    language = serializers.CharField(source="membership.language", required=False)
    password = serializers.CharField(
        write_only=True, required=False, style={"input_type": "password"}, trim_whitespace=False
    )
    platform_admin = serializers.BooleanField(source="is_staff", required=False)
    locked = serializers.SerializerMethodField()
    locked_at = serializers.DateTimeField(
        source="membership.locked_at", read_only=True, allow_null=True
    )
    username = serializers.CharField(max_length=150)

    class Meta:
        model = User
        fields = [
            "id",
            "username",
            "password",
            "email",
            "first_name",
            "last_name",
            "agency",
            "role",
            "language",
            "is_active",
            "platform_admin",
            "locked",
            "locked_at",
            "last_login",
            "date_joined",
        ]
        read_only_fields = ["id", "last_login", "date_joined"]
        extra_kwargs = {"email": {"required": True, "allow_blank": False}}

    def get_locked(self, obj: User) -> bool:
        membership = getattr(obj, "membership", None)
        return membership is not None and membership.locked_at is not None

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if self.instance is None and not attrs.get("password"):
            raise serializers.ValidationError({"password": [_("This field is required.")]})
        if self.instance is not None and attrs.get("username", self.instance.username) != (
            self.instance.username
        ):
            raise serializers.ValidationError({"username": [_("A username does not change.")]})
        return attrs

    def flat(self) -> dict[str, Any]:
        """The validated data as the actions take it."""
        data = dict(self.validated_data)
        membership = data.pop("membership", {})
        data.update(membership)
        if "is_staff" in data:
            data["platform_admin"] = data.pop("is_staff")
        return data


class TrustLevelSerializer(serializers.ModelSerializer):
    level = serializers.IntegerField(
        min_value=0,
        max_value=3,
        error_messages={
            "max_value": _("The trust level is 0, 1, 2 or 3."),
            "min_value": _("The trust level is 0, 1, 2 or 3."),
        },
    )
    reason = serializers.CharField(
        write_only=False, help_text=_("Why the level changes. Required on every change.")
    )
    from_agency = serializers.PrimaryKeyRelatedField(queryset=Agency.objects.all())
    to_agency = serializers.PrimaryKeyRelatedField(queryset=Agency.objects.all())
    set_by: serializers.SlugRelatedField[User] = serializers.SlugRelatedField(
        slug_field="username", read_only=True, allow_null=True
    )

    class Meta:
        model = TrustLevel
        fields = ["id", "from_agency", "to_agency", "level", "reason", "set_by", "set_at"]
        read_only_fields = ["id", "set_by", "set_at"]
        validators: list[Any] = []  # the pair's uniqueness is an upsert (see the viewset)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        source = attrs.get("from_agency", getattr(self.instance, "from_agency", None))
        target = attrs.get("to_agency", getattr(self.instance, "to_agency", None))
        if source is not None and target is not None and source.pk == target.pk:
            raise serializers.ValidationError(
                {"to_agency": [_("An agency's trust in itself is not set: it sees its own.")]}
            )
        if self.instance is not None:
            for name in ("from_agency", "to_agency"):
                if name in attrs and attrs[name] != getattr(self.instance, name):
                    raise serializers.ValidationError(
                        {name: [_("Change the level of this pair; set another pair with POST.")]}
                    )
        return attrs


class TrustLevelChangeSerializer(serializers.ModelSerializer):
    changed_by: serializers.SlugRelatedField[User] = serializers.SlugRelatedField(
        slug_field="username", read_only=True, allow_null=True
    )

    class Meta:
        model = TrustLevelChange
        fields = [
            "id",
            "from_agency",
            "to_agency",
            "old_level",
            "new_level",
            "reason",
            "changed_by",
            "changed_at",
            "grants_suspended",
        ]
        read_only_fields = fields


class TeamSerializer(serializers.ModelSerializer):
    agencies = serializers.PrimaryKeyRelatedField(
        many=True, queryset=Agency.objects.all(), required=False
    )
    users = serializers.PrimaryKeyRelatedField(
        many=True,
        queryset=User.objects.all(),
        required=False,
        help_text=_(
            "Member people. You see the ids of people you may see (your agency's, or everyone "
            "for platform admins); user_count counts all."
        ),
    )
    user_count = serializers.SerializerMethodField()
    managing_agency = serializers.PrimaryKeyRelatedField(
        queryset=Agency.objects.all(), required=False, allow_null=True
    )
    name = serializers.CharField(max_length=200)
    is_active_today = serializers.SerializerMethodField()

    class Meta:
        model = Team
        fields = [
            "id",
            "name",
            "purpose",
            "agencies",
            "users",
            "user_count",
            "active_from",
            "active_until",
            "is_active_today",
            "managing_agency",
            "created_at",
        ]
        read_only_fields = ["id", "created_at"]

    def get_user_count(self, obj: Team) -> int:
        return len(obj.users.all())

    def get_is_active_today(self, obj: Team) -> bool:
        return obj.is_active_on()

    def to_representation(self, instance: Team) -> dict[str, Any]:
        data = super().to_representation(instance)
        if "people_of_agency" in self.context:
            own = self.context["people_of_agency"]
            data["users"] = [
                person.pk
                for person in instance.users.all()
                if getattr(person, "membership", None) is not None
                and person.membership.agency_id == own
            ]
        return data

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        start = attrs.get("active_from", getattr(self.instance, "active_from", None))
        end = attrs.get("active_until", getattr(self.instance, "active_until", None))
        if start is not None and end is not None and end < start:
            raise serializers.ValidationError(
                {"active_until": [_("A team cannot end before it starts.")]}
            )
        return attrs
