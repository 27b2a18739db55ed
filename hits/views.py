"""Pages of an agency's deconfliction hits. A hit of another agency is a 404; writes go
through ``hits.actions`` (status, and the access request made from a hit)."""

from __future__ import annotations

from django.contrib import messages as flash
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from audit.log import record_list, record_view
from cases.views import member_required
from hits import actions
from hits.forms import AccessRequestForm, StatusForm
from hits.models import Hit
from portal.errors import InvalidInput, messages_of
from sharing.models import LEVEL_BY_NAME

PAGE_SIZE = 25


@require_GET
@member_required
def hit_list(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    if status not in Hit.Status.values:
        status = ""
    hits = actions.hits_for(request.user)
    if status:
        hits = hits.filter(status=status)
    page = Paginator(hits, PAGE_SIZE).get_page(request.GET.get("page"))
    record_list(request, Hit, {"status": status}, page.paginator.count)
    return render(
        request,
        "hits/list.html",
        {
            "page": page,
            "rows": list(page.object_list),
            "status": status,
            "statuses": Hit.Status.choices,
            "may_follow_up": actions.is_liaison(request.user),
        },
    )


def _detail_page(
    request: HttpRequest, hit: Hit, form: AccessRequestForm, status: int = 200
) -> HttpResponse:
    record_view(request, hit, object_agency=hit.our_agency_id)
    return render(
        request,
        "hits/detail.html",
        {
            "hit": hit,
            "form": form,
            "status_form": StatusForm(initial={"status": hit.status}),
            "may_follow_up": actions.may_follow_up(request.user, hit),
            "requests": list(actions.requests_from(hit)),
        },
        status=status,
    )


@require_GET
@member_required
def hit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    hit = actions.get_hit_or_404(request.user, pk)
    form = AccessRequestForm(initial={"justification": actions.default_justification(hit)})
    return _detail_page(request, hit, form)


@require_POST
@member_required
def hit_status(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        actions.set_status(request.user, pk, request.POST.get("status", ""), request=request)
    except InvalidInput as refused:
        for problems in refused.errors.values():
            for problem in problems:
                flash.error(request, problem)
    else:
        flash.success(request, _("Hit status changed."))
    if request.POST.get("back") == "list":
        return redirect("hits:list")
    return redirect("hits:detail", pk=pk)


@require_POST
@member_required
def hit_request(request: HttpRequest, pk: int) -> HttpResponse:
    """One click from a hit: ask the other agency for access to its matched record."""
    hit = actions.get_hit_or_404(request.user, pk)
    form = AccessRequestForm(request.POST)
    if form.is_valid():
        try:
            created = actions.request_access(
                request.user,
                hit,
                level=LEVEL_BY_NAME[form.cleaned_data["level"]],
                justification=form.cleaned_data["justification"],
                request=request,
            )
        except ValidationError as error:
            for field, problems in messages_of(error).items():
                for problem in problems:
                    form.add_error(field if field in form.fields else None, problem)
        except PermissionDenied as refusal:
            form.add_error(None, str(refusal))
        else:
            flash.success(
                request,
                _("Request #%(id)s sent to the liaison officers of %(agency)s.")
                % {"id": created.pk, "agency": hit.their_agency.acronym},
            )
            return redirect("hits:detail", pk=hit.pk)
    return _detail_page(request, hit, form, status=400)
