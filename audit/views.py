"""Audit pages: the log a platform admin or agency admin may read, one entry, CSV export."""

from __future__ import annotations

import json
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET
from django_otp.decorators import otp_required

from audit.access import can_read_audit, shown_fields, visible_entries
from audit.export import csv_response
from audit.filters import AuditEntryFilter

PAGE_SIZE = 50


def _auditor(request: HttpRequest) -> Any:
    if not can_read_audit(request.user):
        raise Http404
    return request.user


def _rows(user: Any, entries: Any) -> list[dict[str, Any]]:
    return [{"entry": entry, "shown": shown_fields(user, entry)} for entry in entries]


@require_GET
@login_required
@otp_required(if_configured=False)
def entry_list(request: HttpRequest) -> HttpResponse:
    user = _auditor(request)
    filterset = AuditEntryFilter(request.GET or None, queryset=visible_entries(user))
    entries = filterset.qs if filterset.is_valid() else visible_entries(user).none()
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "audit/list.html",
        {
            "filter": filterset,
            "page": page,
            "rows": _rows(user, page.object_list),
            "query": query.urlencode(),
        },
    )


@require_GET
@login_required
@otp_required(if_configured=False)
def entry_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = _auditor(request)
    entry = get_object_or_404(visible_entries(user), pk=pk)
    return render(
        request,
        "audit/detail.html",
        {
            "entry": entry,
            "shown": shown_fields(user, entry),
            "details_json": json.dumps(entry.details, indent=2, sort_keys=True),
        },
    )


@require_GET
@login_required
@otp_required(if_configured=False)
def entry_export(request: HttpRequest) -> StreamingHttpResponse:
    user = _auditor(request)
    filterset = AuditEntryFilter(request.GET or None, queryset=visible_entries(user))
    entries = filterset.qs if filterset.is_valid() else visible_entries(user).none()
    return csv_response(request, user, entries, request.GET)
