"""Insight pages: the dashboard and its charts (JSON for drawing, CSV for download)."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from audit.log import record, record_denied, record_list
from cases.models import Case
from insight import actions, pdf, search
from insight.charts import CHARTS, Chart, table_of
from insight.dashboard import pending_for, recently_shared, url_or_none
from insight.exports import EXPORTS, FORMATS
from insight.forms import (
    InsightFilterForm,
    PointerRequestForm,
    SearchForm,
    export_filter_form,
    filter_form,
)
from insight.tabular import csv_response, stamp, xlsx_response
from portal.api.permissions import is_member
from portal.errors import messages_of
from sharing.models import LEVEL_BY_NAME

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


# --- exports -------------------------------------------------------------------------------------


@member_required
@require_GET
def exports(request: HttpRequest) -> HttpResponse:
    form = export_filter_form(request.GET)
    query = request.GET.urlencode()
    choices = [
        {
            "export": export,
            "links": [
                (fmt, f"{reverse('insight:export', args=[export.key, fmt])}?{query}")
                for fmt in FORMATS
            ],
        }
        for export in EXPORTS.values()
    ]
    return render(
        request,
        "insight/exports.html",
        {"form": form, "choices": choices if form.is_valid() else []},
        status=200 if form.is_valid() else 400,
    )


@member_required
@require_GET
def export(request: HttpRequest, key: str, fmt: str) -> HttpResponseBase:
    """What the reader may see, as CSV (streamed) or Excel; audited before it is sent."""
    chosen = EXPORTS.get(key)
    if chosen is None or fmt not in FORMATS:
        raise Http404
    form = export_filter_form(request.GET)
    if not form.is_valid():
        return render(
            request,
            "insight/exports.html",
            {"form": form, "choices": []},
            status=400,
        )
    count = chosen.count(request.user, form)
    record_list(request, f"insight.{key}", form.used(), count, action=f"export.{fmt}", kind=key)
    filename = f"enlace-{key}-{stamp()}.{fmt}"
    rows = chosen.rows(request.user, form)
    if fmt == "csv":
        return csv_response(chosen.header(), rows, filename)
    return xlsx_response(str(chosen.title), chosen.header(), rows, filename)


# --- case summary (PDF) ----------------------------------------------------------------------


@member_required
@require_GET
def case_summary_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """A prosecutor's printable summary of a case the reader may see (404 otherwise)."""
    try:
        case, seizures, content = pdf.case_summary(request.user, pk)
    except Http404:
        record_denied(request, Case, pk, action="export.pdf")
        raise
    record(
        "export.pdf",
        request=request,
        obj=case,
        kind="case_summary",
        access_level=int(getattr(case, "access_level", 0)),
        seizures=seizures,
    )
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(
        True, f"{case.reference}-summary.pdf"
    )
    response["Cache-Control"] = "no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- search --------------------------------------------------------------------------------------

SENSITIVE_SEARCH_TERMS = {"q", "make"}


def run_search(request: HttpRequest, form: SearchForm) -> search.Outcome:
    """Search for the signed-in reader and audit it (terms digested, never stored)."""
    data = form.cleaned_data
    query = search.Query(
        q=(data.get("q") or "").strip(),
        kind=data.get("kind") or "",
        make=data.get("make") or "",
        country=data.get("country") or "",
    )
    outcome = search.search(request.user, query)
    if not query.empty:
        record_list(
            request,
            "search",
            {"q": query.q, "kind": query.kind, "make": query.make, "country": query.country},
            len(outcome.results),
            action="search.performed",
            sensitive=SENSITIVE_SEARCH_TERMS,
            pointers=len(outcome.pointers),
            truncated=outcome.truncated,
        )
    return outcome


@member_required
@require_GET
def search_page(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.GET or None)
    outcome = None
    if form.is_bound and form.is_valid():
        outcome = run_search(request, form)
    return render(
        request,
        "insight/search.html",
        {
            "form": form,
            "outcome": outcome,
            "pointer_form": PointerRequestForm(),
        },
        status=400 if form.is_bound and not form.is_valid() else 200,
    )


@member_required
@require_http_methods(["GET", "POST"])
def pointer_request(request: HttpRequest) -> HttpResponse:
    """Ask the owner of a record an identifier search pointed at (nothing of it is shown)."""
    data = request.POST if request.method == "POST" else None
    form = PointerRequestForm(data, initial={"token": request.GET.get("t", "")})
    token = request.POST.get("token") if data is not None else request.GET.get("t", "")
    identifier = search.identifier_of_pointer(request.user, token or "")
    if data is not None and form.is_valid():
        try:
            created = actions.request_access_from_pointer(
                request.user,
                form.cleaned_data["token"],
                level=LEVEL_BY_NAME[form.cleaned_data["level"]],
                justification=form.cleaned_data["justification"],
                request=request,
            )
        except ValidationError as error:
            for field, problems in messages_of(error).items():
                target = field if field in form.fields else None
                for problem in problems:
                    form.add_error(target, problem)
        except PermissionDenied as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(request, _("Request sent to the owner's liaison officers."))
            detail = url_or_none("sharing:request_detail", created.pk)
            return redirect(detail or "insight:search")
    labels = dict(search.Kind.choices)
    return render(
        request,
        "insight/pointer_request.html",
        {
            "form": form,
            "agency": identifier.owner_agency,
            "kind_label": labels.get(identifier.kind, identifier.kind),
        },
        status=400 if form.errors else 200,
    )
