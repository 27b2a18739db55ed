"""``/api/v1/audit/``: read-only. Platform admins read every entry, agency admins their
agency's (its people's actions and every access to its records); everyone else gets 404."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import StreamingHttpResponse
from rest_framework import exceptions, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request

from audit.access import can_read_audit, visible_entries
from audit.api.serializers import AuditEntrySerializer
from audit.export import csv_response
from audit.filters import AuditEntryFilter
from audit.models import AuditEntry


class AuditEntryViewSet(viewsets.ReadOnlyModelViewSet[AuditEntry]):
    serializer_class = AuditEntrySerializer
    filterset_class = AuditEntryFilter
    queryset = AuditEntry.objects.none()

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)
        if not can_read_audit(request.user):
            raise exceptions.NotFound()

    def get_queryset(self) -> QuerySet[AuditEntry]:
        return visible_entries(self.request.user)

    @action(detail=False, methods=["get"], url_path="export")
    def export(self, request: Request) -> StreamingHttpResponse:
        """The filtered entries as CSV (recorded as ``audit.exported``)."""
        entries = self.filter_queryset(self.get_queryset())
        return csv_response(request, request.user, entries, request.query_params)
