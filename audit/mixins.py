"""Auditing reads in views and viewsets with one line.

API: ``class CaseViewSet(AuditedReadMixin, viewsets.ModelViewSet)`` records ``<noun>.viewed``
for each detail read, ``<noun>.viewed``/``denied`` for a detail the caller may not see (404),
and ``<noun>.listed`` with the filters and the row count for each list page.
Pages: ``audited_detail(request, model, pk, fetch)`` does the same around a fetch function.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.db.models import Model
from django.http import Http404, HttpRequest
from rest_framework import exceptions
from rest_framework.request import Request
from rest_framework.response import Response

from audit.log import record_denied, record_list, record_view

M = TypeVar("M", bound=Model)


class AuditedReadMixin:
    """For DRF viewsets whose ``get_object`` goes through the access door."""

    audit_sensitive_filters: set[str] = set()

    def _audit_model(self) -> type[Model]:
        return self.get_queryset().model  # type: ignore[attr-defined]

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        lookup = kwargs.get(getattr(self, "lookup_url_kwarg", None) or self.lookup_field)  # type: ignore[attr-defined]
        try:
            response: Response = super().retrieve(request, *args, **kwargs)  # type: ignore[misc]
        except (Http404, exceptions.NotFound):
            record_denied(request, self._audit_model(), lookup or "")
            raise
        instance = getattr(self, "_audited_instance", None)
        if instance is not None:
            record_view(request, instance)
        return response

    def get_object(self) -> Any:
        instance = super().get_object()  # type: ignore[misc]
        self._audited_instance = instance
        return instance

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        response: Response = super().list(request, *args, **kwargs)  # type: ignore[misc]
        data = response.data
        count = (
            data.get("count", len(data.get("results", []))) if isinstance(data, dict) else len(data)
        )
        record_list(
            request,
            self._audit_model(),
            request.query_params,
            count,
            sensitive=self.audit_sensitive_filters,
        )
        return response


def audited_detail(
    request: HttpRequest, model: type[M], pk: Any, fetch: Callable[[], M], **details: Any
) -> M:
    """``fetch()`` (e.g. ``get_visible_or_404``) with its view or its refusal recorded."""
    try:
        obj = fetch()
    except Http404:
        record_denied(request, model, pk)
        raise
    record_view(request, obj, **details)
    return obj
