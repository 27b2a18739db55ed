"""``/api/v1/search/``: the search of the portal's search page, and asking for a record a
search pointed at (``request-access/``)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from audit.log import record_list
from insight import actions, search
from insight.api.serializers import (
    PointerRequestResponseSerializer,
    PointerRequestSerializer,
    SearchQuerySerializer,
    SearchResponseSerializer,
)
from sharing.models import LEVEL_BY_NAME

SENSITIVE = {"q", "make"}


class SearchViewSet(viewsets.ViewSet):
    """Search what you may see; identifier matches in records you may not see come back as
    pointers (owner agency and kind of identifier only)."""

    @extend_schema(
        parameters=[SearchQuerySerializer],
        responses={200: SearchResponseSerializer, 400: None},
    )
    def list(self, request: Request) -> Response:
        params = SearchQuerySerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        data = params.validated_data
        query = search.Query(
            q=data["q"].strip(),
            kind=data.get("kind", ""),
            make=data.get("make", ""),
            country=(data.get("country") or "").upper(),
        )
        outcome = search.search(request.user, query)
        record_list(
            request,
            "search",
            {"q": query.q, "kind": query.kind, "make": query.make, "country": query.country},
            len(outcome.results),
            action="search.performed",
            sensitive=SENSITIVE,
            pointers=len(outcome.pointers),
            truncated=outcome.truncated,
            api=True,
        )
        body = SearchResponseSerializer(
            {
                "count": len(outcome.results),
                "truncated": outcome.truncated,
                "ranked_among": outcome.ranked_among,
                "walked": outcome.walked,
                "next": None,
                "previous": None,
                "results": outcome.results,
                "pointers": outcome.pointers,
            }
        ).data
        return Response(body)

    @extend_schema(
        request=PointerRequestSerializer,
        responses={
            201: PointerRequestResponseSerializer,
            400: None,
            404: OpenApiResponse(description="No such pointer (not yours, stale or hidden)."),
        },
        parameters=[OpenApiParameter("format", exclude=True)],
    )
    @action(detail=False, methods=["post"], url_path="request-access")
    def request_access(self, request: Request) -> Response:
        incoming = PointerRequestSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data: dict[str, Any] = dict(incoming.validated_data)
        created = actions.request_access_from_pointer(
            request.user,
            data["token"],
            level=LEVEL_BY_NAME[data["level"]],
            justification=data["justification"],
            request=request._request,
        )
        return Response(
            {"id": created.pk, "status": created.status}, status=status.HTTP_201_CREATED
        )
