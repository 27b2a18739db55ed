"""``/api/v1/notifications/``: the reader's own notifications, read through the access door."""

from __future__ import annotations

from typing import Any, cast

from django.contrib.auth.models import User
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from notifications import actions
from notifications.api.serializers import (
    MarkedSerializer,
    NotificationSerializer,
    UnreadCountSerializer,
)
from notifications.models import Notification
from notifications.presenting import present


@extend_schema(
    parameters=[
        OpenApiParameter("unread", OpenApiTypes.BOOL, description="true: only unread notifications")
    ]
)
class NotificationViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet[Any]
):
    serializer_class = NotificationSerializer
    queryset = Notification.objects.none()  # the schema's model; requests use get_queryset
    filter_backends: list[Any] = []
    lookup_value_regex = r"\d+"

    def get_queryset(self) -> QuerySet[Any]:
        if getattr(self, "swagger_fake_view", False):
            return Notification.objects.none()
        queryset = Notification.objects.filter(user=cast(User, self.request.user)).select_related(
            "event"
        )
        if self.request.query_params.get("unread") in {"true", "1"}:
            queryset = queryset.filter(read_at__isnull=True)
        return queryset.order_by("-created_at", "-id")

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        rows = page if page is not None else list(self.get_queryset())
        data = self.get_serializer(present(request.user, rows), many=True).data
        return self.get_paginated_response(data) if page is not None else Response(data)

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        notification = get_object_or_404(self.get_queryset(), pk=kwargs["pk"])
        return Response(self.get_serializer(present(request.user, [notification])[0]).data)

    @extend_schema(request=None, responses=NotificationSerializer)
    @action(detail=True, methods=["post"])
    def read(self, request: Request, pk: str | None = None) -> Response:
        """Mark one notification read."""
        notification = get_object_or_404(self.get_queryset(), pk=pk)
        actions.mark_read(request.user, [notification.pk])  # type: ignore[arg-type]
        notification.refresh_from_db(fields=["read_at"])
        return Response(self.get_serializer(present(request.user, [notification])[0]).data)

    @extend_schema(request=None, responses=MarkedSerializer)
    @action(detail=False, methods=["post"])
    def read_all(self, request: Request) -> Response:
        """Mark every notification of the caller read."""
        return Response({"marked": actions.mark_all_read(request.user)})  # type: ignore[arg-type]

    @extend_schema(responses=UnreadCountSerializer)
    @action(detail=False, methods=["get"])
    def unread_count(self, request: Request) -> Response:
        count = Notification.objects.filter(
            user=cast(User, request.user), read_at__isnull=True
        ).count()
        return Response({"unread_count": count})
