"""Pages of sharing: what is shared with us, what we share, the approval queue, our requests.

Reads go through ``sharing.queries`` (who may see which request or grant) and the access door
(which records a page may name); every change goes through ``sharing.actions``, whose refusal
is shown with the rule's message and changes nothing. A request, grant or record the user may
not see is a 404; an action a party to it may not take is a 403.
"""

from __future__ import annotations

import contextlib
from typing import Any

from django.contrib import messages as flash
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from agencies.models import Team
from audit.log import record_denied, record_list, record_view
from cases.models import Case, SeizureReport
from cases.views import member_required
from sharing import actions, queries, rules
from sharing.access import get_visible_or_404
from sharing.forms import AnswerForm, ApproveForm, NoteForm, RequestForm, RevokeForm, apply_refusal
from sharing.models import Grant, Level, ShareRequest

PAGE_SIZE = 25
Kind = ShareRequest.Kind


# --- helpers ---------------------------------------------------------------------------------


def _page_number(request: HttpRequest) -> int:
    try:
        return max(1, int(request.GET.get("page", "1")))
    except ValueError:
        return 1


def _page(queryset: QuerySet[Any], request: HttpRequest) -> tuple[list[Any], dict[str, Any]]:
    """One page, newest first, without counting the whole set (one row more tells "older")."""
    page = _page_number(request)
    start = (page - 1) * PAGE_SIZE
    rows = list(queryset[start : start + PAGE_SIZE + 1])
    has_next = len(rows) > PAGE_SIZE
    return rows[:PAGE_SIZE], {"page": page, "has_next": has_next, "query": ""}


def _agency_id(request: HttpRequest) -> int:
    membership = rules.membership_of(request.user)
    if membership is None:  # member_required let them in; a lock in between ends here
        raise Http404
    return int(membership.agency_id)


def _refused(request: HttpRequest, refusal: PermissionDenied, back: str) -> HttpResponse:
    return render(
        request,
        "sharing/refused.html",
        {"message": str(refusal) or _("You may not do this."), "back": back},
        status=403,
    )


def _next_or(request: HttpRequest, fallback: str) -> HttpResponse:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect(fallback)


def _annotate_records(request: HttpRequest, items: list[Any]) -> None:
    """``item.record_visible``: whether the page may name the item's record (the door)."""
    visible = queries.visible_record_keys(request.user, items)
    for item in items:
        item.record_visible = queries.record_key(item) in visible


# --- shared with my agency ------------------------------------------------------------------


@require_GET
@member_required
def shared_with_us(request: HttpRequest) -> HttpResponse:
    received = queries.grants_received(request.user).order_by("-created_at", "-id")
    grants, paging = _page(received, request)
    _annotate_records(request, grants)
    record_list(request, Grant, {"direction": "received"}, len(grants), page=paging["page"])
    return render(request, "sharing/shared_with_us.html", {"grants": grants, **paging})


# --- what we share ------------------------------------------------------------------------


def _active_given(request: HttpRequest) -> QuerySet[Grant]:
    now = timezone.now()
    return (
        queries.grants_given(request.user)
        .filter(status=Grant.Status.ACTIVE)
        .filter(Q(expires_at__isnull=True) | Q(expires_at__gt=now))
        .select_related("recipient_user__membership__agency")
        .order_by("-created_at", "-id")
    )


@require_GET
@member_required
def what_we_share(request: HttpRequest) -> HttpResponse:
    agency_id = _agency_id(request)
    grants, paging = _page(_active_given(request), request)
    _annotate_records(request, grants)
    record_list(request, Grant, {"direction": "given"}, len(grants), page=paging["page"])
    can_revoke = rules.is_liaison_of(request.user, agency_id)
    for grant in grants:
        grant.revoke_form = RevokeForm(grant_id=grant.pk) if can_revoke else None
    return render(
        request,
        "sharing/what_we_share.html",
        {"grants": grants, "can_revoke": can_revoke, **paging},
    )


@require_http_methods(["GET", "POST"])
@member_required
def grant_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    grant = (
        queries.grants_for(request.user)
        .select_related("recipient_user__membership__agency")
        .filter(pk=pk)
        .first()
    )
    if grant is None:
        record_denied(request, Grant, pk)
        raise Http404
    _annotate_records(request, [grant])
    form = RevokeForm(request.POST or None, grant_id=grant.pk)
    if request.method == "POST":
        if form.is_valid():
            try:
                actions.revoke(
                    request.user, grant, reason=form.cleaned_data["reason"], request=request
                )
            except PermissionDenied as refusal:
                return _refused(request, refusal, "sharing:what_we_share")
            except ValidationError as refusal:
                apply_refusal(form, refusal)
            else:
                flash.success(request, _("Sharing revoked. The recipients no longer see it."))
                return _next_or(request, "sharing:what_we_share")
    else:
        try:
            _check_may_revoke(request, grant)
        except PermissionDenied as refusal:
            return _refused(request, refusal, "sharing:what_we_share")
        record_view(request, grant)
    return render(
        request,
        "sharing/grant_revoke.html",
        {"grant": grant, "form": form},
        status=400 if form.errors else 200,
    )


def _check_may_revoke(request: HttpRequest, grant: Grant) -> None:
    """The refusal ``actions.revoke`` would give, told before the form is filled in."""
    if grant.owner_agency_id != _agency_id(request):
        raise PermissionDenied(
            _("Only the owner agency revokes a grant; a recipient cannot share or unshare.")
        )
    if not rules.is_liaison_of(request.user, grant.owner_agency_id):
        raise PermissionDenied(_("Only a liaison officer of the owner agency revokes grants."))


# --- the approval queue ----------------------------------------------------------------------


Choices = tuple[dict[int, list[Team]], dict[int, list[User]]]


def _choices_for(requests: list[ShareRequest]) -> Choices:
    """For each asking agency: the teams it is in (active today) and its people, read once."""
    asking = {r.requesting_agency_id for r in requests if r.kind == Kind.ACCESS}
    teams: dict[int, list[Team]] = {agency_id: [] for agency_id in asking}
    people: dict[int, list[User]] = {agency_id: [] for agency_id in asking}
    if not asking:
        return teams, people
    today = timezone.localdate()
    found = (
        Team.objects.filter(active_from__lte=today)
        .exclude(active_until__lt=today)
        .filter(Q(agencies__in=asking) | Q(users__membership__agency__in=asking))
        .prefetch_related("agencies", "users__membership")
        .distinct()
        .order_by("name")
    )
    for team in found:
        member_agencies = {a.pk for a in team.agencies.all()} | {
            u.membership.agency_id for u in team.users.all() if hasattr(u, "membership")
        }
        for agency_id in asking & member_agencies:
            teams[agency_id].append(team)
    for person in (
        User.objects.filter(is_active=True, membership__agency__in=asking)
        .select_related("membership__agency")
        .order_by("username")
    ):
        people[person.membership.agency_id].append(person)
    return teams, people


def _decision_forms(
    request: HttpRequest, items: list[Any], bound: dict[str, Any] | None = None
) -> None:
    """Attach to each request the forms the user may use on it (bound: the one that failed)."""
    bound = bound or {}
    agency_id = _agency_id(request)
    liaison = rules.is_liaison_of(request.user, agency_id)
    teams, people = _choices_for([i for i in items if i.owner_agency_id == agency_id])
    for item in items:
        item.approve_form = item.deny_form = item.answer_form = None
        item.can_withdraw = False
        pending = item.status == ShareRequest.Status.PENDING
        if not pending:
            continue
        if item.owner_agency_id == agency_id:
            decides = liaison and item.requested_by_id != request.user.pk
            if decides and item.kind != Kind.RFI:
                item.approve_form = bound.get("approve") or ApproveForm(
                    share_request=item,
                    teams=teams.get(item.requesting_agency_id, []),
                    people=people.get(item.requesting_agency_id, []),
                )
            if decides:
                item.deny_form = bound.get("deny") or NoteForm(share_request=item)
            if item.kind == Kind.RFI:
                item.answer_form = bound.get("answer") or AnswerForm(share_request=item)
        if item.requesting_agency_id == agency_id:
            item.can_withdraw = item.requested_by_id == request.user.pk or rules.is_liaison_of(
                request.user, item.requesting_agency_id
            )


@require_GET
@member_required
def queue(request: HttpRequest) -> HttpResponse:
    agency_id = _agency_id(request)
    items, paging = _page(queries.approval_queue(request.user), request)
    record_list(request, ShareRequest, {"direction": "incoming", "status": "pending"}, len(items),
                page=paging["page"])  # fmt: skip
    trust = rules.trust_levels_from(agency_id)
    for item in items:
        item.trust_in_force = int(trust.get(item.requesting_agency_id, 0))
        item.record_visible = True  # the agency's own records
    _decision_forms(request, items)
    return render(
        request,
        "sharing/queue.html",
        {
            "items": items,
            "is_liaison": rules.is_liaison_of(request.user, agency_id),
            "trust_labels": rules.TRUST_LABELS,
            **paging,
        },
    )


# --- requests we made -----------------------------------------------------------------------


@require_GET
@member_required
def my_requests(request: HttpRequest) -> HttpResponse:
    agency_id = _agency_id(request)
    outgoing = queries.requests_for(request.user).filter(requesting_agency_id=agency_id)
    items, paging = _page(outgoing.order_by("-created_at", "-id"), request)
    record_list(request, ShareRequest, {"direction": "outgoing"}, len(items), page=paging["page"])
    _annotate_records(request, items)
    _decision_forms(request, items)
    for item in items:
        item.trust_in_force = None  # the owner's trust in us is the owner's business
    return render(request, "sharing/requests.html", {"items": items, **paging})


# --- one request and the decisions on it ------------------------------------------------------


def _party_request(request: HttpRequest, pk: int) -> ShareRequest:
    found = queries.requests_for(request.user).filter(pk=pk).first()
    if found is None:
        record_denied(request, ShareRequest, pk)
        raise Http404
    return found


def _detail(
    request: HttpRequest, item: Any, bound: dict[str, Any] | None = None, status: int = 200
) -> HttpResponse:
    agency_id = _agency_id(request)
    _annotate_records(request, [item])
    _decision_forms(request, [item], bound)
    ours = item.owner_agency_id == agency_id
    item.trust_in_force = (
        rules.trust_level(item.owner_agency_id, item.requesting_agency_id) if ours else None
    )
    return render(
        request,
        "sharing/request_detail.html",
        {
            "item": item,
            "ours": ours,
            "trust_labels": rules.TRUST_LABELS,
            "grants": list(
                item.grants.select_related("recipient_agency", "recipient_team", "recipient_user")
            ),
        },
        status=status,
    )


@require_GET
@member_required
def request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    item = _party_request(request, pk)
    record_view(request, item)
    return _detail(request, item)


def _decide(request: HttpRequest, pk: int, which: str) -> HttpResponse:
    item = _party_request(request, pk)
    form: Any
    if which == "approve":
        ours = item.owner_agency_id == _agency_id(request)
        teams, people = _choices_for([item]) if ours else ({}, {})
        form = ApproveForm(
            request.POST,
            share_request=item,
            teams=teams.get(item.requesting_agency_id, []),
            people=people.get(item.requesting_agency_id, []),
        )
    elif which == "deny":
        form = NoteForm(request.POST, share_request=item)
    elif which == "answer":
        form = AnswerForm(request.POST, share_request=item)
    else:
        form = None
    back = "sharing:queue" if item.owner_agency_id == _agency_id(request) else "sharing:requests"
    try:
        if form is not None and not form.is_valid():
            _who_may(request, item, which)
            return _detail(request, item, bound={which: form}, status=400)
        if which == "approve":
            actions.approve(request.user, item, request=request, **form.action_kwargs())
            done = _("Request approved: the sharing is in force.")
        elif which == "deny":
            actions.deny(request.user, item, note=form.cleaned_data["note"], request=request)
            done = _("Request denied. The requester is told.")
        elif which == "answer":
            actions.answer(request.user, item, answer=form.cleaned_data["answer"], request=request)
            done = _("Answer sent to the requester.")
        else:
            actions.withdraw(request.user, item, request=request)
            done = _("Request withdrawn.")
    except PermissionDenied as refusal:
        return _refused(request, refusal, back)
    except ValidationError as refusal:
        if form is None:  # withdraw: the rule's message above the request
            flash.error(request, " ".join(refusal.messages))
            return _detail(request, item, status=400)
        apply_refusal(form, refusal, getattr(form, "ALIASES", None))
        return _detail(request, item, bound={which: form}, status=400)
    flash.success(request, done)
    return _next_or(request, back)


def _who_may(request: HttpRequest, item: ShareRequest, which: str) -> None:
    """Input was refused by the form: the action, called with nothing, still tells (and
    audits) a user who may not take it at all; its complaint about the empty input is moot."""
    blank: dict[str, Any] = {"approve": {"note": ""}, "deny": {"note": ""},
                             "answer": {"answer": ""}}[which]  # fmt: skip
    action: Any = {
        "approve": actions.approve,
        "deny": actions.deny,
        "answer": actions.answer,
    }[which]
    with contextlib.suppress(ValidationError):
        action(request.user, item, request=request, **blank)


@require_POST
@member_required
def request_approve(request: HttpRequest, pk: int) -> HttpResponse:
    return _decide(request, pk, "approve")


@require_POST
@member_required
def request_deny(request: HttpRequest, pk: int) -> HttpResponse:
    return _decide(request, pk, "deny")


@require_POST
@member_required
def request_answer(request: HttpRequest, pk: int) -> HttpResponse:
    return _decide(request, pk, "answer")


@require_POST
@member_required
def request_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    return _decide(request, pk, "withdraw")


# --- asking, offering --------------------------------------------------------------------------


def _record_from_query(request: HttpRequest) -> Case | SeizureReport:
    """The record named by ``?case=`` or ``?seizure=``, through the door (404 otherwise)."""
    for name, model in (("case", Case), ("seizure", SeizureReport)):
        raw = request.GET.get(name)
        if raw is None:
            continue
        try:
            pk = int(raw)
        except ValueError:
            raise Http404 from None
        queryset = model._default_manager.select_related("owner_agency")
        try:
            found: Any = get_visible_or_404(request.user, queryset, Level.SUMMARY, pk=pk)
            return found
        except Http404:
            record_denied(request, model, pk, action="share_request.created")
            raise
    raise Http404


@require_http_methods(["GET", "POST"])
@member_required
def request_new(request: HttpRequest) -> HttpResponse:
    kind = request.GET.get("kind", Kind.ACCESS)
    if kind not in RequestForm.FIELDS:
        raise Http404
    record = _record_from_query(request)
    level = int(record.access_level)  # type: ignore[union-attr]
    record_page = (
        ("cases:case" if isinstance(record, Case) else "cases:seizure"),
        record.pk,
    )
    if kind == Kind.OFFER and not rules.is_liaison_of(request.user, record.owner_agency_id):
        return _refused(
            request,
            PermissionDenied(
                _(
                    "Only liaison officers of the owner agency offer its records. A partner "
                    "that received a record can ask the owner to extend sharing instead."
                )
            ),
            "sharing:shared_with_us",
        )
    form = RequestForm(request.POST or None, kind=kind, record=record, current_level=level)
    if request.method == "POST" and form.is_valid():
        try:
            created = actions.create_request(
                request.user, kind, record, request=request, **form.action_kwargs()
            )
        except PermissionDenied as refusal:
            return _refused(request, refusal, "sharing:requests")
        except ValidationError as refusal:
            apply_refusal(form, refusal, {"target": "__all__", "kind": "__all__"})
        else:
            flash.success(request, _("Request sent to the owner's liaison officers."))
            return redirect("sharing:request_detail", pk=created.pk)
    if request.method == "GET":
        record_view(request, record, page="sharing.request_new", access_level=level)
    return render(
        request,
        "sharing/request_form.html",
        {
            "form": form,
            "kind": kind,
            "kind_label": dict(Kind.choices)[kind],
            "record": record,
            "level": level,
            "record_page": record_page,
            "is_case": isinstance(record, Case),
        },
        status=400 if form.errors else 200,
    )
