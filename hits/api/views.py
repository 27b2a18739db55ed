"""``/api/v1/hits/``: the caller's agency's deconfliction hits (list, detail, acknowledge,
follow up). Another agency's hit is a 404."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from audit.log import record_list, record_view
from hits import actions
from hits.api.serializers import HitSerializer
from hits.models import Hit


class HitFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=Hit.Status.choices)
    kind = django_filters.CharFilter()

    class Meta:
        model = Hit
        fields = ["status", "kind"]


class HitViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet[Hit]):
    serializer_class = HitSerializer
    queryset = Hit.objects.none()  # the schema's model; requests use get_queryset
    filterset_class = HitFilter
    lookup_value_regex = r"\d+"

    def get_queryset(self) -> QuerySet[Hit]:
        if getattr(self, "swagger_fake_view", False):
            return Hit.objects.none()
        return actions.hits_for(self.request.user)

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        response = super().list(request, *args, **kwargs)
        count = response.data.get("count", 0) if isinstance(response.data, dict) else 0
        record_list(request._request, Hit, request.query_params, count)
        return response

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        hit = actions.get_hit_or_404(request.user, kwargs["pk"])
        record_view(request._request, hit, object_agency=hit.our_agency_id)
        return Response(self.get_serializer(hit).data)

    def _set(self, request: Request, pk: str | None, status: str) -> Response:
        hit = actions.set_status(request.user, pk, status, request=request._request)
        return Response(self.get_serializer(hit).data)

    @extend_schema(request=None, responses=HitSerializer)
    @action(detail=True, methods=["post"])
    def acknowledge(self, request: Request, pk: str | None = None) -> Response:
        """A liaison officer of the agency has seen the hit."""
        return self._set(request, pk, Hit.Status.ACKNOWLEDGED)

    @extend_schema(request=None, responses=HitSerializer)
    @action(detail=True, methods=["post"], url_path="follow-up")
    def follow_up(self, request: Request, pk: str | None = None) -> Response:
        """A liaison officer of the agency has contacted the other agency's liaison."""
        return self._set(request, pk, Hit.Status.FOLLOWED_UP)
