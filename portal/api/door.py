"""API lists read through the access door: ``DoorListMixin`` + ``DoorPagination``.

A viewset over shared records (cases, seizure reports, or anything the door serves) lists
them with ``sharing.access.newest_visible`` (page rows, one statement, index order) and
``count_visible`` (exact up to 10,000, then capped), never with ``get_queryset().filter``::

    class CaseViewSet(DoorListMixin, viewsets.GenericViewSet):
        door_model = Case
        filterset_class = CaseFilter          # applied inside every branch of the door
        list_audit_action = "case.listed"     # audited with the filters and the row count

        def door_page(self, queryset):        # optional: select_related / prefetch
            return queryset.select_related("owner_agency")

The response is ``{"count", "count_capped", "next", "previous", "results"}``; ``count`` is at
most 10,000 and ``count_capped`` says it is "10,000+".
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Any

from django.db.models import Model, QuerySet
from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.pagination import PageNumberPagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param

from audit.log import record as audit
from sharing.access import Count, count_visible, newest_visible
from sharing.models import Level

# No list is read this deep (counts are capped at 10,000+); past it a page number would only
# push an offset beyond PostgreSQL's bigint. The API answers 404 "Invalid page.", pages clamp.
MAX_PAGE = 100_000


class DoorPagination(PageNumberPagination):
    """Page-number pagination over the door's newest-first order, with a capped count."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200

    count: Count
    page_number: int
    rows: list[Any]

    def paginate_door(
        self,
        request: Request,
        model: type[Model],
        *,
        level: int,
        filter_fn: Any,
        page: Any = None,
    ) -> list[Any]:
        self.request = request
        page_size = self.get_page_size(request) or self.page_size
        raw = request.query_params.get(self.page_query_param, "1")
        try:
            self.page_number = int(raw)
            if not 1 <= self.page_number <= MAX_PAGE:
                raise ValueError
        except ValueError:
            raise exceptions.NotFound(_("Invalid page.")) from None
        self.page_size_used = page_size
        self.count = count_visible(model, request.user, level, filter_fn=filter_fn)
        offset = (self.page_number - 1) * page_size
        if self.page_number > 1 and offset >= self.count.value and not self.count.capped:
            raise exceptions.NotFound(_("Invalid page."))
        queryset: QuerySet[Any] = newest_visible(
            model, request.user, level, filter_fn=filter_fn, offset=offset, limit=page_size
        )
        if page is not None:
            queryset = page(queryset)
        self.rows = list(queryset)
        return self.rows

    def _has_next(self) -> bool:
        seen = self.page_number * self.page_size_used
        if self.count.capped:
            return len(self.rows) == self.page_size_used
        return seen < self.count.value

    def get_next_link(self) -> str | None:
        if not self._has_next():
            return None
        url = self.request.build_absolute_uri()  # type: ignore[union-attr]
        return replace_query_param(url, self.page_query_param, self.page_number + 1)

    def get_previous_link(self) -> str | None:
        if self.page_number <= 1:
            return None
        url = self.request.build_absolute_uri()  # type: ignore[union-attr]
        if self.page_number == 2:
            return remove_query_param(url, self.page_query_param)
        return replace_query_param(url, self.page_query_param, self.page_number - 1)

    def get_paginated_response(self, data: Any) -> Response:
        return Response(
            OrderedDict(
                [
                    ("count", self.count.value),
                    ("count_capped", self.count.capped),
                    ("next", self.get_next_link()),
                    ("previous", self.get_previous_link()),
                    ("results", data),
                ]
            )
        )

    def get_paginated_response_schema(self, schema: dict[str, Any]) -> dict[str, Any]:
        return {
            "type": "object",
            "required": ["count", "count_capped", "results"],
            "properties": {
                "count": {
                    "type": "integer",
                    "example": 123,
                    "description": "Exact up to 10,000; beyond, 10,000 with count_capped.",
                },
                "count_capped": {
                    "type": "boolean",
                    "description": 'True when there are more than `count` rows ("10,000+").',
                },
                "next": {"type": "string", "nullable": True, "format": "uri"},
                "previous": {"type": "string", "nullable": True, "format": "uri"},
                "results": schema,
            },
        }


PAGINATION_PARAMETERS = frozenset(
    {DoorPagination.page_query_param, DoorPagination.page_size_query_param}
)


class DoorListMixin:
    """``list`` for a viewset over records the access door serves (see module docstring)."""

    door_model: type[Model]
    door_level: int = Level.SUMMARY
    list_audit_action: str = ""
    pagination_class: Any = DoorPagination
    request: Any  # provided by the viewset

    def door_filters(self) -> tuple[Any, dict[str, Any]]:
        """(filter function for every branch of the door, the filters used — for the audit).

        Invalid filter values answer 400 with per-field messages before any query runs.
        """
        filterset_class = getattr(self, "filterset_class", None)
        if filterset_class is None:
            return None, {}
        if not set(self.request.query_params) - PAGINATION_PARAMETERS:
            # No filter asked for: an empty filterset changes nothing (tests/cases/test_api.py
            # checks it for every door list), so skip building its form and querysets.
            return None, {}
        filterset = filterset_class(
            self.request.query_params,
            queryset=self.door_model._default_manager.none(),
            request=self.request,
        )
        if not filterset.is_valid():
            raise exceptions.ValidationError(filterset.errors)
        used = {
            name: value
            for name, value in filterset.form.cleaned_data.items()
            if value not in (None, "", [], ())
        }
        return filterset.filter_queryset, used

    def door_page(self, queryset: QuerySet[Any]) -> QuerySet[Any]:
        """Hook: add select_related / prefetch_related to the page's rows."""
        return queryset

    def door_context(self, rows: list[Any]) -> dict[str, Any]:
        """Hook: extra serializer context computed once for the page's rows."""
        return {}

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        filter_fn, used = self.door_filters()
        paginator: DoorPagination = self.paginator  # type: ignore[attr-defined]
        rows = paginator.paginate_door(
            request,
            self.door_model,
            level=self.door_level,
            filter_fn=filter_fn,
            page=self.door_page,
        )
        if self.list_audit_action:
            audit(
                self.list_audit_action,
                request=request,
                filters=used,
                rows=len(rows),
                page=paginator.page_number,
                count=str(paginator.count),
            )
        context = {**self.get_serializer_context(), **self.door_context(rows)}  # type: ignore[attr-defined]
        serializer = self.get_serializer(rows, many=True, context=context)  # type: ignore[attr-defined]
        return paginator.get_paginated_response(serializer.data)
