"""Pages: agencies, the trust matrix, people, teams. Views parse input, call one action, render.

Role pages (the trust matrix, creating agencies) answer 403 to those without the role; a
person or team of someone else's that one may not manage answers 404."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from agencies import actions, roles
from agencies.forms import (
    AgencyForm,
    MatrixFilterForm,
    TeamForm,
    TrustForm,
    UserCreateForm,
    UserEditForm,
    apply_errors,
)
from agencies.models import Agency, Membership, Team, TrustLevel, TrustLevelChange

View = Callable[..., HttpResponse]


def platform_admin_required(view: View) -> View:
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not roles.is_platform_admin(request.user):
            raise PermissionDenied(_("Only platform admins open this page."))
        return view(request, *args, **kwargs)

    return wrapped


def people_admin_required(view: View) -> View:
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not roles.can_manage_people(request.user):
            raise PermissionDenied(_("Only agency admins and platform admins open this page."))
        return view(request, *args, **kwargs)

    return wrapped


# --- agencies -------------------------------------------------------------------------------------


def agency_list(request: HttpRequest) -> HttpResponse:
    form = MatrixFilterForm(request.GET or None)
    agencies = Agency.objects.select_related("parent").order_by("country", "acronym")
    if form.is_valid():
        if form.cleaned_data["country"]:
            agencies = agencies.filter(country=form.cleaned_data["country"])
        if form.cleaned_data["kind"]:
            agencies = agencies.filter(kind=form.cleaned_data["kind"])
    return render(
        request,
        "agencies/agency_list.html",
        {
            "agencies": agencies,
            "filter_form": form,
            "is_platform_admin": roles.is_platform_admin(request.user),
        },
    )


def agency_detail(request: HttpRequest, pk: int) -> HttpResponse:
    agency = get_object_or_404(Agency.objects.select_related("parent"), pk=pk)
    context: dict[str, Any] = {
        "agency": agency,
        "internals": roles.can_see_agency_internals(request.user, agency),
        "is_platform_admin": roles.is_platform_admin(request.user),
        "teams": agency.teams.order_by("name"),
    }
    if context["internals"]:
        context["members"] = (
            Membership.objects.filter(agency=agency)
            .select_related("user")
            .order_by("role", "user__username")
        )
        context["trust_given"] = (
            TrustLevel.objects.filter(from_agency=agency)
            .select_related("to_agency", "set_by")
            .order_by("-level", "to_agency__acronym")
        )
        context["trust_received"] = (
            TrustLevel.objects.filter(to_agency=agency)
            .select_related("from_agency", "set_by")
            .order_by("-level", "from_agency__acronym")
        )
        history = (
            TrustLevelChange.objects.filter(Q(from_agency=agency) | Q(to_agency=agency))
            .select_related("from_agency", "to_agency", "changed_by")
            .order_by("-changed_at", "-id")
        )
        context["history"] = Paginator(history, 50).get_page(request.GET.get("page"))
    return render(request, "agencies/agency_detail.html", context)


@platform_admin_required
@require_http_methods(["GET", "POST"])
def agency_create(request: HttpRequest) -> HttpResponse:
    form = AgencyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            agency = actions.create_agency(request.user, request=request, **form.cleaned_data)  # type: ignore[arg-type]
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(
                request, _("Agency %(acronym)s created.") % {"acronym": agency.acronym}
            )
            return redirect("agencies:detail", pk=agency.pk)
    return render(request, "agencies/agency_form.html", {"form": form, "agency": None})


@platform_admin_required
@require_http_methods(["GET", "POST"])
def agency_edit(request: HttpRequest, pk: int) -> HttpResponse:
    agency = get_object_or_404(Agency, pk=pk)
    form = AgencyForm(request.POST or None, instance=Agency.objects.get(pk=pk))
    if request.method == "POST" and form.is_valid():
        try:
            actions.update_agency(request.user, agency, request=request, **form.cleaned_data)  # type: ignore[arg-type]
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Agency saved."))
            return redirect("agencies:detail", pk=agency.pk)
    return render(request, "agencies/agency_form.html", {"form": form, "agency": agency})


# --- trust ----------------------------------------------------------------------------------------


def _filtered(agencies: QuerySet[Agency], country: str, kind: str) -> QuerySet[Agency]:
    if country:
        agencies = agencies.filter(country=country)
    if kind:
        agencies = agencies.filter(kind=kind)
    return agencies


@platform_admin_required
def trust_matrix(request: HttpRequest) -> HttpResponse:
    """Agencies by agencies: row A, column B is A's trust in B. Filters narrow the rows
    (country, kind) and the columns (to_country, to_kind)."""
    rows_filter = MatrixFilterForm(request.GET or None)
    cols_filter = MatrixFilterForm(
        {"country": request.GET.get("to_country", ""), "kind": request.GET.get("to_kind", "")},
        prefix=None,
    )
    base = Agency.objects.filter(active=True).order_by("country", "acronym")
    rows_qs, cols_qs = base, base
    if rows_filter.is_valid():
        rows_qs = _filtered(
            base, rows_filter.cleaned_data["country"], rows_filter.cleaned_data["kind"]
        )
    if cols_filter.is_valid():
        cols_qs = _filtered(
            base, cols_filter.cleaned_data["country"], cols_filter.cleaned_data["kind"]
        )
    rows, cols = list(rows_qs), list(cols_qs)
    levels = {
        (f, t): level
        for f, t, level in TrustLevel.objects.filter(
            from_agency__in=[a.pk for a in rows], to_agency__in=[a.pk for a in cols]
        ).values_list("from_agency_id", "to_agency_id", "level")
    }
    matrix = [
        (row, [(col, levels.get((row.pk, col.pk), 0), row.pk == col.pk) for col in cols])
        for row in rows
    ]
    return render(
        request,
        "agencies/trust_matrix.html",
        {
            "matrix": matrix,
            "columns": cols,
            "filter_form": rows_filter,
            "to_country": request.GET.get("to_country", ""),
            "to_kind": request.GET.get("to_kind", ""),
            "country_choices": MatrixFilterForm.base_fields["country"].choices,  # type: ignore[attr-defined]
            "kind_choices": MatrixFilterForm.base_fields["kind"].choices,  # type: ignore[attr-defined]
            "levels": TrustLevel.Level.choices,
        },
    )


def _pair(from_pk: int, to_pk: int) -> tuple[Agency, Agency]:
    if from_pk == to_pk:
        raise Http404(_("An agency's trust in itself is not set."))
    return get_object_or_404(Agency, pk=from_pk), get_object_or_404(Agency, pk=to_pk)


@platform_admin_required
def trust_cell(request: HttpRequest, from_pk: int, to_pk: int) -> HttpResponse:
    source, target = _pair(from_pk, to_pk)
    return render(
        request,
        "agencies/_trust_cell.html",
        {"row": source, "col": target, "level": actions.trust_level(source, target)},
    )


@platform_admin_required
@require_http_methods(["GET", "POST"])
def trust_edit(request: HttpRequest, from_pk: int, to_pk: int) -> HttpResponse:
    """Edit one cell in place (htmx: the cell becomes a form and back), or as a page without
    JavaScript. The reason is mandatory; lowering suspends grants above the new level."""
    source, target = _pair(from_pk, to_pk)
    current = actions.trust_level(source, target)
    form = TrustForm(request.POST or None, initial={"level": current})
    if request.method == "POST" and form.is_valid():
        try:
            change = actions.set_trust_level(
                request.user,  # type: ignore[arg-type]
                source,
                target,
                form.cleaned_data["level"],
                form.cleaned_data["reason"],
                request=request,
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            note = _("%(src)s's trust in %(dst)s is now %(level)s.") % {
                "src": source.acronym,
                "dst": target.acronym,
                "level": change.new_level,
            }
            if change.grants_suspended:
                note += " " + ngettext(
                    "%(n)s grant above the new level was suspended.",
                    "%(n)s grants above the new level were suspended.",
                    change.grants_suspended,
                ) % {"n": change.grants_suspended}
            if request.htmx:  # type: ignore[attr-defined]
                return render(
                    request,
                    "agencies/_trust_cell.html",
                    {"row": source, "col": target, "level": change.new_level, "note": note},
                )
            messages.success(request, note)
            return redirect("agencies:trust_matrix")
    template = "agencies/_trust_edit.html" if request.htmx else "agencies/trust_edit.html"  # type: ignore[attr-defined]
    return render(
        request,
        template,
        {"row": source, "col": target, "level": current, "form": form},
    )


# --- people ---------------------------------------------------------------------------------------


def _manageable_people(user: Any) -> QuerySet[User]:
    people = User.objects.filter(membership__isnull=False).select_related("membership__agency")
    if roles.is_platform_admin(user):
        return people
    return people.filter(membership__agency_id=user.membership.agency_id, is_staff=False)


def _creatable_agencies(user: Any) -> QuerySet[Agency]:
    if roles.is_platform_admin(user):
        return Agency.objects.filter(active=True).order_by("acronym")
    return Agency.objects.filter(pk=user.membership.agency_id)


@people_admin_required
def people_list(request: HttpRequest) -> HttpResponse:
    people = _manageable_people(request.user).order_by("membership__agency__acronym", "username")
    agency_filter = request.GET.get("agency", "")
    if agency_filter.isdigit():
        people = people.filter(membership__agency_id=int(agency_filter))
    people = people.annotate(
        authenticators=Count("totpdevice", filter=Q(totpdevice__confirmed=True), distinct=True)
    )
    page = Paginator(people, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "agencies/people_list.html",
        {
            "page": page,
            "agencies": _creatable_agencies(request.user),
            "agency_filter": agency_filter,
            "is_platform_admin": roles.is_platform_admin(request.user),
        },
    )


@people_admin_required
@require_http_methods(["GET", "POST"])
def person_create(request: HttpRequest) -> HttpResponse:
    agencies = _creatable_agencies(request.user)
    form = UserCreateForm(
        request.POST or None,
        agencies=agencies,
        initial={"agency": agencies.first() if agencies.count() == 1 else None},
    )
    if request.method == "POST" and form.is_valid():
        try:
            person = actions.create_user(request.user, request=request, **form.cleaned_data)  # type: ignore[arg-type]
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(
                request,
                _("Account %(username)s created. They enrol a second factor at first sign-in.")
                % {"username": person.username},
            )
            return redirect("agencies:people")
    return render(request, "agencies/person_form.html", {"form": form, "person": None})


def _manageable_or_404(request: HttpRequest, pk: int) -> User:
    person = _manageable_people(request.user).filter(pk=pk).first()
    if person is None:
        raise Http404(_("No such person."))
    return person


@people_admin_required
@require_http_methods(["GET", "POST"])
def person_edit(request: HttpRequest, pk: int) -> HttpResponse:
    person = _manageable_or_404(request, pk)
    initial = {
        "first_name": person.first_name,
        "last_name": person.last_name,
        "email": person.email,
        "role": person.membership.role,
        "language": person.membership.language,
        "is_active": person.is_active,
    }
    form = UserEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        changes = dict(form.cleaned_data)
        for unchanged_when_empty in ("password", "language"):
            if not changes.get(unchanged_when_empty):
                changes.pop(unchanged_when_empty, None)
        try:
            actions.update_user(request.user, person, request=request, **changes)  # type: ignore[arg-type]
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(
                request, _("Account %(username)s saved.") % {"username": person.username}
            )
            return redirect("agencies:people")
    return render(request, "agencies/person_form.html", {"form": form, "person": person})


@people_admin_required
@require_POST
def person_unlock(request: HttpRequest, pk: int) -> HttpResponse:
    person = _manageable_or_404(request, pk)
    actions.unlock_user(request.user, person, request=request)  # type: ignore[arg-type]
    messages.success(request, _("Account %(username)s unlocked.") % {"username": person.username})
    return redirect("agencies:people")


@people_admin_required
@require_POST
def person_reset_second_factor(request: HttpRequest, pk: int) -> HttpResponse:
    person = _manageable_or_404(request, pk)
    if person.pk == request.user.pk:
        raise PermissionDenied(_("Replace your own authenticator from your security page."))
    actions.reset_second_factor(request.user, person, request=request)  # type: ignore[arg-type]
    messages.success(
        request,
        _("%(username)s's second factor was removed; they enrol again at next sign-in.")
        % {"username": person.username},
    )
    return redirect("agencies:people")


# --- teams ----------------------------------------------------------------------------------------


def team_list(request: HttpRequest) -> HttpResponse:
    teams = (
        Team.objects.select_related("managing_agency")
        .prefetch_related(Prefetch("agencies", queryset=Agency.objects.order_by("acronym")))
        .annotate(people=Count("users", distinct=True))
        .order_by("name")
    )
    return render(
        request,
        "agencies/team_list.html",
        {"teams": teams, "can_create": roles.can_create_team(request.user)},
    )


def _visible_members(user: Any, team: Team) -> QuerySet[User]:
    people = team.users.select_related("membership__agency").order_by("username")
    if roles.is_platform_admin(user):
        return people
    return people.filter(membership__agency_id=user.membership.agency_id)


def team_detail(request: HttpRequest, pk: int) -> HttpResponse:
    team = get_object_or_404(Team.objects.select_related("managing_agency", "created_by"), pk=pk)
    members = _visible_members(request.user, team)
    return render(
        request,
        "agencies/team_detail.html",
        {
            "team": team,
            "member_agencies": team.agencies.order_by("acronym"),
            "members": members,
            "other_members": team.users.count() - members.count(),
            "can_manage": roles.can_manage_team(request.user, team),
        },
    )


def _team_people(user: Any) -> QuerySet[User]:
    people = User.objects.filter(is_active=True, membership__isnull=False).select_related(
        "membership__agency"
    )
    if not roles.is_platform_admin(user):
        people = people.filter(membership__agency_id=user.membership.agency_id)
    return people.order_by("membership__agency__acronym", "username")


@require_http_methods(["GET", "POST"])
def team_create(request: HttpRequest) -> HttpResponse:
    if not roles.can_create_team(request.user):
        raise PermissionDenied(_("Platform admins and agency admins create teams."))
    form = TeamForm(
        request.POST or None,
        people=_team_people(request.user),
        platform_admin=roles.is_platform_admin(request.user),
    )
    if request.method == "POST" and form.is_valid():
        try:
            team = actions.create_team(request.user, request=request, **form.cleaned_data)  # type: ignore[arg-type]
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Team %(name)s created.") % {"name": team.name})
            return redirect("agencies:team", pk=team.pk)
    return render(request, "agencies/team_form.html", {"form": form, "team": None})


@require_http_methods(["GET", "POST"])
def team_edit(request: HttpRequest, pk: int) -> HttpResponse:
    team = get_object_or_404(Team, pk=pk)
    if not roles.can_manage_team(request.user, team):
        raise PermissionDenied(_("Only its managing agency's admins and platform admins do."))
    platform_admin = roles.is_platform_admin(request.user)
    form = TeamForm(
        request.POST or None,
        instance=Team.objects.get(pk=pk),
        people=_team_people(request.user),
        platform_admin=platform_admin,
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        users = list(data.pop("users"))
        if not platform_admin:
            # An agency admin sees only their own people: members from elsewhere stay.
            own = request.user.membership.agency_id  # type: ignore[union-attr]
            users += list(team.users.exclude(membership__agency_id=own))
        try:
            actions.update_team(request.user, team, users=users, request=request, **data)  # type: ignore[arg-type]
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Team saved."))
            return redirect("agencies:team", pk=team.pk)
    return render(request, "agencies/team_form.html", {"form": form, "team": team})
