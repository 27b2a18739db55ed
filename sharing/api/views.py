"""``/api/v1/share-requests/`` and ``/api/v1/grants/``: thin viewsets over sharing.actions."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from cases.models import Case, SeizureReport
from hits.models import Hit
from sharing import actions, queries
from sharing.access import visible
from sharing.api.serializers import (
    AnswerSerializer,
    DecisionSerializer,
    GrantSerializer,
    RevokeSerializer,
    ShareRequestCreateSerializer,
    ShareRequestSerializer,
)
from sharing.models import Grant, Level, ShareRequest
from sharing.rules import membership_of

NO_SUCH_CASE = gettext_lazy("No such case.")
NO_SUCH_SEIZURE = gettext_lazy("No such seizure report.")


def _agency_id(request: Any) -> int | None:
    membership = membership_of(request.user)
    return membership.agency_id if membership is not None else None


class ShareRequestFilter(django_filters.FilterSet):
    direction = django_filters.ChoiceFilter(
        choices=[("incoming", "incoming"), ("outgoing", "outgoing")], method="filter_direction"
    )
    status = django_filters.ChoiceFilter(choices=ShareRequest.Status.choices)
    kind = django_filters.ChoiceFilter(choices=ShareRequest.Kind.choices)
    case = django_filters.NumberFilter(field_name="case_id")
    seizure = django_filters.NumberFilter(field_name="seizure_id")

    class Meta:
        model = ShareRequest
        fields = ["direction", "status", "kind", "case", "seizure"]

    def filter_direction(
        self, queryset: QuerySet[ShareRequest], name: str, value: str
    ) -> QuerySet[ShareRequest]:
        agency_id = _agency_id(self.request)
        if value == "incoming":
            return queryset.filter(owner_agency_id=agency_id)
        return queryset.filter(requesting_agency_id=agency_id)


class GrantFilter(django_filters.FilterSet):
    direction = django_filters.ChoiceFilter(
        choices=[("given", "given"), ("received", "received")], method="filter_direction"
    )
    status = django_filters.ChoiceFilter(choices=Grant.Status.choices)
    case = django_filters.NumberFilter(field_name="case_id")
    seizure = django_filters.NumberFilter(field_name="seizure_id")

    class Meta:
        model = Grant
        fields = ["direction", "status", "case", "seizure"]

    def filter_direction(self, queryset: QuerySet[Grant], name: str, value: str) -> QuerySet[Grant]:
        agency_id = _agency_id(self.request)
        if value == "given":
            return queryset.filter(owner_agency_id=agency_id)
        return queryset.filter(~Q(owner_agency_id=agency_id))


class _SharingViewSet(viewsets.GenericViewSet):
    """Serializer context: which of the named records the caller may see (one query each)."""

    def visible_context(self, items: list[Any]) -> dict[str, Any]:
        return {
            "request": self.request,
            "visible_records": queries.visible_record_keys(self.request.user, items),
            "agency_id": _agency_id(self.request),
        }

    def render_list(self, queryset: QuerySet[Any], serializer_class: type) -> Response:
        page = self.paginate_queryset(queryset)
        items = list(page if page is not None else queryset)
        data = serializer_class(items, many=True, context=self.visible_context(items)).data
        if page is not None:
            return self.get_paginated_response(data)
        return Response(data)

    def render_one(self, item: Any, serializer_class: type, code: int = 200) -> Response:
        data = serializer_class(item, context=self.visible_context([item])).data
        return Response(data, status=code)


@extend_schema(tags=["sharing"])
class ShareRequestViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    _SharingViewSet,
):
    """Requests for access, offers, requests for information and requests to extend sharing,
    seen by the two agencies party to them. Only a liaison officer of the owner agency
    approves or denies (never the requester); the requester withdraws; the owner answers an
    RFI. Anything the caller may not see is a 404."""

    serializer_class = ShareRequestSerializer
    filterset_class = ShareRequestFilter

    def get_queryset(self) -> QuerySet[ShareRequest]:
        return queries.requests_for(self.request.user)

    def get_serializer_class(self) -> type[serializers.BaseSerializer]:
        serializer_classes: dict[str, type[serializers.BaseSerializer]] = {
            "create": ShareRequestCreateSerializer,
            "approve": DecisionSerializer,
            "deny": DecisionSerializer,
            "answer": AnswerSerializer,
        }
        return serializer_classes.get(self.action, ShareRequestSerializer)

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self.render_list(self.filter_queryset(self.get_queryset()), ShareRequestSerializer)

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self.render_one(self.get_object(), ShareRequestSerializer)

    def _record(self, data: dict[str, Any]) -> tuple[Any, Any]:
        """The record the request is about, through the access door (or the caller's hit).
        A missing and an invisible record get the same answer."""
        user = self.request.user
        hit_id = data.get("hit")
        if hit_id is not None:
            hit = (
                Hit.objects.select_related("their_seizure__owner_agency")
                .filter(pk=hit_id, our_agency_id=_agency_id(self.request))
                .first()
            )
            if hit is None:
                raise serializers.ValidationError({"hit": [_("No such hit.")]})
            return hit.their_seizure, hit
        if data.get("target") is not None:
            case = (
                visible(Case, user, Level.SUMMARY)
                .select_related("owner_agency")
                .filter(pk=data["target"])
                .first()
            )
            if case is None:
                raise serializers.ValidationError({"target": [NO_SUCH_CASE]})
            return case, None
        seizure = (
            visible(SeizureReport, user, Level.SUMMARY)
            .select_related("owner_agency")
            .filter(pk=data["seizure"])
            .first()
        )
        if seizure is None:
            raise serializers.ValidationError({"seizure": [NO_SUCH_SEIZURE]})
        return seizure, None

    @extend_schema(request=ShareRequestCreateSerializer, responses={201: ShareRequestSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = ShareRequestCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        record, hit = self._record(data)
        kwargs_for_action = serializer.action_kwargs(data, hit, _agency_id(request) or 0)
        created = actions.create_request(
            request.user, data["kind"], record, request=request._request, **kwargs_for_action
        )
        return self.render_one(
            self.get_queryset().get(pk=created.pk), ShareRequestSerializer, status.HTTP_201_CREATED
        )

    def _after(self, share_request: ShareRequest) -> Response:
        return self.render_one(self.get_queryset().get(pk=share_request.pk), ShareRequestSerializer)

    @extend_schema(request=DecisionSerializer, responses=ShareRequestSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request: Request, pk: str | None = None) -> Response:
        share_request = self.get_object()
        body = DecisionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        extra: dict[str, Any] = {}
        if "expires_at" in body.validated_data:
            extra["expires_at"] = body.validated_data["expires_at"]
        actions.approve(
            request.user,
            share_request,
            note=body.validated_data["note"],
            request=request._request,
            **extra,
        )
        return self._after(share_request)

    @extend_schema(request=DecisionSerializer, responses=ShareRequestSerializer)
    @action(detail=True, methods=["post"])
    def deny(self, request: Request, pk: str | None = None) -> Response:
        share_request = self.get_object()
        body = DecisionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        actions.deny(
            request.user, share_request, note=body.validated_data["note"], request=request._request
        )
        return self._after(share_request)

    @extend_schema(request=None, responses=ShareRequestSerializer)
    @action(detail=True, methods=["post"])
    def withdraw(self, request: Request, pk: str | None = None) -> Response:
        share_request = self.get_object()
        actions.withdraw(request.user, share_request, request=request._request)
        return self._after(share_request)

    @extend_schema(request=AnswerSerializer, responses=ShareRequestSerializer)
    @action(detail=True, methods=["post"])
    def answer(self, request: Request, pk: str | None = None) -> Response:
        share_request = self.get_object()
        body = AnswerSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        actions.answer(
            request.user,
            share_request,
            answer=body.validated_data["answer"],
            request=request._request,
        )
        return self._after(share_request)


@extend_schema(tags=["sharing"])
class GrantViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, _SharingViewSet):
    """Grants your agency gave (any status: "what we share") and active grants that reach you
    ("shared with us"). A liaison officer of the owner agency revokes."""

    serializer_class = GrantSerializer
    filterset_class = GrantFilter

    def get_queryset(self) -> QuerySet[Grant]:
        return queries.grants_for(self.request.user)

    def get_serializer_class(self) -> type[serializers.BaseSerializer]:
        return RevokeSerializer if self.action == "revoke" else GrantSerializer

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self.render_list(self.filter_queryset(self.get_queryset()), GrantSerializer)

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self.render_one(self.get_object(), GrantSerializer)

    @extend_schema(request=RevokeSerializer, responses=GrantSerializer)
    @action(detail=True, methods=["post"])
    def revoke(self, request: Request, pk: str | None = None) -> Response:
        grant = self.get_object()
        body = RevokeSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        actions.revoke(
            request.user, grant, reason=body.validated_data["reason"], request=request._request
        )
        return self.render_one(self.get_queryset().get(pk=grant.pk), GrantSerializer)
