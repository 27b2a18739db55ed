"""``/api/v1/agencies/``, ``users/``, ``trust-levels/``, ``teams/`` (DESIGN §7).

Platform admins do everything; agency admins create and manage their own agency's people and
teams their agency manages; everyone reads agencies and teams, and sees of people only
themselves (others' accounts answer 404). Every write is an action in ``agencies.actions``.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User
from django.db.models import Prefetch, Q, QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import BaseSerializer

from agencies import actions, roles
from agencies.api.serializers import (
    AgencySerializer,
    TeamSerializer,
    TrustLevelChangeSerializer,
    TrustLevelSerializer,
    UserSerializer,
)
from agencies.models import Agency, Team, TrustLevel, TrustLevelChange


def _deny(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied()


class AgencyViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Every member lists agencies; platform admins create and change them (deactivate with
    ``active: false``; agencies are never deleted)."""

    serializer_class = AgencySerializer
    queryset = Agency.objects.order_by("acronym")
    filterset_fields = ["country", "kind", "active"]

    def perform_create(self, serializer: BaseSerializer[Any]) -> None:
        _deny(roles.is_platform_admin(self.request.user))
        serializer.instance = actions.create_agency(
            self.request.user,  # type: ignore[arg-type]
            request=self.request._request,
            **serializer.validated_data,
        )

    def perform_update(self, serializer: BaseSerializer[Any]) -> None:
        _deny(roles.is_platform_admin(self.request.user))
        serializer.instance = actions.update_agency(
            self.request.user,  # type: ignore[arg-type]
            serializer.instance,  # type: ignore[arg-type]
            request=self.request._request,
            **serializer.validated_data,
        )


class UserViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """People. Platform admins: everyone. Agency admins: their agency's people (not platform
    admins). Everyone else: only themselves. Accounts are deactivated, never deleted."""

    serializer_class = UserSerializer
    filterset_fields = ["is_active"]

    def get_queryset(self) -> QuerySet[User]:
        user: Any = self.request.user
        people = (
            User.objects.filter(membership__isnull=False)
            .select_related("membership__agency")
            .order_by("username")
        )
        if roles.is_platform_admin(user):
            agency = self.request.query_params.get("agency", "")
            return people.filter(membership__agency_id=int(agency)) if agency.isdigit() else people
        if roles.is_agency_admin(user):
            return people.filter(
                Q(membership__agency_id=user.membership.agency_id, is_staff=False) | Q(pk=user.pk)
            )
        return people.filter(pk=user.pk)

    def perform_create(self, serializer: UserSerializer) -> None:  # type: ignore[override]
        _deny(roles.can_manage_people(self.request.user))
        serializer.instance = actions.create_user(
            self.request.user,  # type: ignore[arg-type]
            request=self.request._request,
            **serializer.flat(),
        )

    def perform_update(self, serializer: UserSerializer) -> None:  # type: ignore[override]
        target = serializer.instance
        _deny(roles.can_manage_user(self.request.user, target))
        changes = serializer.flat()
        changes.pop("username", None)
        serializer.instance = actions.update_user(
            self.request.user,  # type: ignore[arg-type]
            target,  # type: ignore[arg-type]
            request=self.request._request,
            **changes,
        )

    @extend_schema(request=None, responses={204: None})
    @action(detail=True, methods=["post"])
    def unlock(self, request: Request, pk: str | None = None) -> Response:
        target = self.get_object()
        _deny(roles.can_manage_user(request.user, target))
        actions.unlock_user(request.user, target, request=request._request)  # type: ignore[arg-type]
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(request=None, responses={204: None})
    @action(detail=True, methods=["post"], url_path="reset-second-factor")
    def reset_second_factor(self, request: Request, pk: str | None = None) -> Response:
        target = self.get_object()
        _deny(roles.can_manage_user(request.user, target) and target.pk != request.user.pk)
        actions.reset_second_factor(request.user, target, request=request._request)  # type: ignore[arg-type]
        return Response(status=status.HTTP_204_NO_CONTENT)


class TrustLevelViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Directed trust between agencies. Platform admins see and set every pair (POST sets a
    pair whether or not it was set before: 201 when new, 200 when changed); everyone else sees
    the pairs that involve their own agency. A pair never set is level 0."""

    serializer_class = TrustLevelSerializer
    filterset_fields = ["from_agency", "to_agency", "level"]

    def get_queryset(self) -> QuerySet[TrustLevel]:
        user = self.request.user
        levels = TrustLevel.objects.select_related("set_by").order_by("from_agency", "to_agency")
        if roles.is_platform_admin(user):
            return levels
        agency = roles.agency_of(user)
        if agency is None:
            return levels.none()
        return levels.filter(Q(from_agency=agency) | Q(to_agency=agency))

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        _deny(roles.is_platform_admin(request.user))
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        existed = TrustLevel.objects.filter(
            from_agency=data["from_agency"], to_agency=data["to_agency"]
        ).exists()
        actions.set_trust_level(
            request.user,  # type: ignore[arg-type]
            data["from_agency"],
            data["to_agency"],
            data["level"],
            data["reason"],
            request=request._request,
        )
        trust = TrustLevel.objects.get(from_agency=data["from_agency"], to_agency=data["to_agency"])
        return Response(
            self.get_serializer(trust).data,
            status=status.HTTP_200_OK if existed else status.HTTP_201_CREATED,
        )

    def perform_update(self, serializer: BaseSerializer[Any]) -> None:
        _deny(roles.is_platform_admin(self.request.user))
        trust = serializer.instance
        data = serializer.validated_data
        actions.set_trust_level(
            self.request.user,  # type: ignore[arg-type]
            trust.from_agency,  # type: ignore[union-attr]
            trust.to_agency,  # type: ignore[union-attr]
            data.get("level", trust.level),  # type: ignore[union-attr]
            data.get("reason", ""),
            request=self.request._request,
        )
        serializer.instance = TrustLevel.objects.get(pk=trust.pk)  # type: ignore[union-attr]

    @extend_schema(responses=TrustLevelChangeSerializer(many=True))
    @action(detail=True, methods=["get"])
    def history(self, request: Request, pk: str | None = None) -> Response:
        """Every change of this pair, newest first."""
        trust = self.get_object()
        changes = TrustLevelChange.objects.filter(
            from_agency=trust.from_agency_id, to_agency=trust.to_agency_id
        ).select_related("changed_by")
        page = self.paginate_queryset(changes)
        return self.get_paginated_response(TrustLevelChangeSerializer(page, many=True).data)


class TeamViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Everyone reads teams. Platform admins create and manage any team; an agency admin
    creates teams managed by their agency and manages those. Agency admins add people of
    their own agency only. Teams end (``active_until``); they are never deleted."""

    serializer_class = TeamSerializer

    def get_queryset(self) -> QuerySet[Team]:
        return (
            Team.objects.select_related("managing_agency")
            .prefetch_related(
                Prefetch("agencies", queryset=Agency.objects.only("pk")),
                Prefetch("users", queryset=User.objects.select_related("membership")),
            )
            .order_by("name")
        )

    def get_serializer_context(self) -> dict[str, Any]:
        context = dict(super().get_serializer_context())
        user = self.request.user
        if not roles.is_platform_admin(user):
            context["people_of_agency"] = getattr(roles.agency_of(user), "pk", None)
        return context

    def get_serializer(self, *args: Any, **kwargs: Any) -> Any:
        serializer: Any = super().get_serializer(*args, **kwargs)
        user = self.request.user
        if self.request.method not in ("GET", "HEAD", "OPTIONS") and not roles.is_platform_admin(
            user
        ):
            own: Any = getattr(roles.agency_of(user), "pk", None)
            serializer.fields["users"].child_relation.queryset = User.objects.filter(
                membership__agency_id=own
            )
        return serializer

    def perform_create(self, serializer: BaseSerializer[Any]) -> None:
        _deny(roles.can_create_team(self.request.user))
        serializer.instance = actions.create_team(
            self.request.user,  # type: ignore[arg-type]
            request=self.request._request,
            **serializer.validated_data,
        )

    def perform_update(self, serializer: BaseSerializer[Any]) -> None:
        team = serializer.instance
        _deny(roles.can_manage_team(self.request.user, team))  # type: ignore[arg-type]
        data = dict(serializer.validated_data)
        if "users" in data and not roles.is_platform_admin(self.request.user):
            # People of other agencies, invisible to an agency admin, stay members.
            own = self.request.user.membership.agency_id  # type: ignore[union-attr]
            data["users"] = list(data["users"]) + list(
                team.users.exclude(membership__agency_id=own)  # type: ignore[union-attr]
            )
        serializer.instance = actions.update_team(
            self.request.user,  # type: ignore[arg-type]
            team,  # type: ignore[arg-type]
            request=self.request._request,
            **data,
        )
