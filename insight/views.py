"""Insight pages: the dashboard and its charts (JSON for drawing, CSV for download)."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from audit.log import record_list
from insight.charts import CHARTS, Chart, table_of
from insight.dashboard import pending_for, recently_shared
from insight.forms import InsightFilterForm, filter_form
from insight.tabular import csv_response, stamp
from portal.api.permissions import is_member

View = Callable[..., HttpResponseBase]


def member_required(view: View) -> View:
    """A signed-in member whose second factor is verified; anyone else signs in first."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        user = request.user
        if not (user.is_authenticated and getattr(user, "is_verified", lambda: False)()):
            return redirect_to_login(request.get_full_path())
        if not is_member(user):
            raise Http404
        return view(request, *args, **kwargs)

    return wrapped


def _chart_or_404(key: str) -> Chart:
    chart = CHARTS.get(key)
    if chart is None:
        raise Http404
    return chart


def _filters_or_400(request: HttpRequest) -> InsightFilterForm | JsonResponse:
    form = filter_form(request.GET)
    if not form.is_valid():
        return JsonResponse({"errors": form.errors.get_json_data()}, status=400)
    return form


@member_required
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    form = filter_form(request.GET)
    query = request.GET.urlencode()
    charts = [
        {
            "chart": chart,
            "json_url": f"{reverse('insight:chart_json', args=[chart.key])}?{query}",
            "csv_url": f"{reverse('insight:chart_csv', args=[chart.key])}?{query}",
        }
        for chart in CHARTS.values()
    ]
    return render(
        request,
        "insight/dashboard.html",
        {
            "form": form,
            "charts": charts if form.is_valid() else [],
            "pending": pending_for(request.user),
            "shared": recently_shared(request.user),
        },
        status=200 if form.is_valid() else 400,
    )


@member_required
@require_GET
def chart_json(request: HttpRequest, key: str) -> HttpResponse:
    """One chart's data for Chart.js, and its rows for the accessible table."""
    chart = _chart_or_404(key)
    form = _filters_or_400(request)
    if isinstance(form, JsonResponse):
        return form
    rows = chart.rows(request.user, form)
    return JsonResponse(
        {
            "key": chart.key,
            "title": str(chart.title),
            "type": chart.chart_type,
            **chart.shape(rows, form),
            "columns": [str(column.label) for column in chart.columns],
            "rows": table_of(chart, rows),
        }
    )


@member_required
@require_GET
def chart_csv(request: HttpRequest, key: str) -> HttpResponseBase:
    """One chart's rows as CSV (audited as an export)."""
    chart = _chart_or_404(key)
    form = _filters_or_400(request)
    if isinstance(form, JsonResponse):
        return form
    rows = chart.rows(request.user, form)
    record_list(
        request,
        "insight.chart",
        form.used(),
        len(rows),
        action="export.csv",
        chart=chart.key,
    )
    return csv_response(
        [column.label for column in chart.columns],
        table_of(chart, rows),
        f"enlace-{chart.key}-{stamp()}.csv",
    )
