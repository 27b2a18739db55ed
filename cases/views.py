"""Pages of cases and seizure reports. Reads through the access door, writes through
``cases.actions``; a record the user may not see is a 404, an edit by a non-owner a 403."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages as flash
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Model
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from audit.log import record as audit
from audit.log import record_denied
from cases import actions, validators
from cases.api.views import attachment_response
from cases.filters import CaseFilter, SeizureFilter
from cases.forms import (
    ROW_FORMS,
    AttachmentForm,
    CaseForm,
    MessageForm,
    SeizureForm,
    apply_errors,
    formset_class,
    formsets_for,
    style,
)
from cases.models import Attachment, Case, CaseMessage, SeizureReport
from cases.visibility import visible_case_ids
from cases.vocabularies import SUBSTANCES, UNITS
from portal.api.door import MAX_PAGE
from portal.api.permissions import is_member
from portal.errors import EditConflict, InvalidInput
from sharing.access import count_visible, get_visible_or_404, newest_visible
from sharing.models import Level

View = Callable[..., HttpResponse]
PAGE_SIZE = 25
ENTITY_KINDS = ("persons", "organisations", "vessels", "containers", "flights", "vehicles")


def member_required(view: View) -> View:
    """A signed-in member of an agency whose second factor is verified."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        user = request.user
        verified = getattr(user, "is_verified", None)
        if not user.is_authenticated or verified is None or not verified():
            return redirect_to_login(request.get_full_path())
        if not is_member(user):
            raise Http404
        return view(request, *args, **kwargs)

    return wrapped


def _page_number(request: HttpRequest) -> int:
    try:
        return min(MAX_PAGE, max(1, int(request.GET.get("page", "1"))))
    except ValueError:
        return 1


def _door_list(
    request: HttpRequest,
    model: type[Model],
    filterset_class: Any,
    *,
    audit_action: str,
    related: tuple[str, ...],
    prefetch: tuple[str, ...] = (),
) -> dict[str, Any]:
    """One page of a record list, newest first, with its capped count and its filter form."""
    filterset = filterset_class(
        request.GET or None, queryset=model._default_manager.none(), request=request
    )
    style(filterset.form)
    valid = filterset.is_bound and filterset.is_valid()
    filter_fn = filterset.filter_queryset if valid else None
    used = (
        {k: v for k, v in filterset.form.cleaned_data.items() if v not in (None, "", [])}
        if valid
        else {}
    )
    page = _page_number(request)
    if filterset.is_bound and not valid:
        rows: list[Any] = []
        count = None
    else:
        count = count_visible(model, request.user, filter_fn=filter_fn)
        queryset = newest_visible(
            model,
            request.user,
            filter_fn=filter_fn,
            offset=(page - 1) * PAGE_SIZE,
            limit=PAGE_SIZE,
        ).select_related(*related)
        if prefetch:
            queryset = queryset.prefetch_related(*prefetch)
        rows = list(queryset)
        audit(audit_action, request=request, filters=used, rows=len(rows), page=page,
              count=str(count))  # fmt: skip
    query = request.GET.copy()
    query.pop("page", None)
    has_next = count is not None and (
        len(rows) == PAGE_SIZE and (count.capped or page * PAGE_SIZE < count.value)
    )
    return {
        "filter": filterset,
        "rows": rows,
        "count": count,
        "page": page,
        "has_next": has_next,
        "query": query.urlencode(),
    }


# --- cases --------------------------------------------------------------------------------------


@require_GET
@member_required
def case_list(request: HttpRequest) -> HttpResponse:
    context = _door_list(
        request, Case, CaseFilter, audit_action="case.listed", related=("owner_agency",)
    )
    return render(request, "cases/case_list.html", context)


def _visible_case(
    request: HttpRequest, pk: int, level: int = Level.SUMMARY, *, action: str = ""
) -> Any:
    """The case at ``level`` or 404; a refusal is audited as ``action`` (default: viewed)."""
    try:
        return get_visible_or_404(
            request.user, Case.objects.select_related("owner_agency", "created_by"), level, pk=pk
        )
    except Http404:
        record_denied(request, Case, pk, action=action)
        raise


def _entities(seizures: list[SeizureReport]) -> dict[str, list[Any]]:
    found: dict[str, list[Any]] = {kind: [] for kind in ENTITY_KINDS}
    for seizure in seizures:
        for kind in ENTITY_KINDS:
            for row in getattr(seizure, kind).all():
                row.in_seizure = seizure
                found[kind].append(row)
    return found


@require_GET
@member_required
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    case = _visible_case(request, pk)
    level = int(case.access_level)
    seizures = list(
        newest_visible(
            SeizureReport,
            request.user,
            filter_fn=lambda qs: qs.filter(case_id=case.pk),
            limit=200,
        )
        .select_related("owner_agency")
        .prefetch_related("items", *ENTITY_KINDS)
    )
    audit("case.viewed", request=request, obj=case, access_level=level)
    return render(
        request,
        "cases/case_detail.html",
        {
            "case": case,
            "level": level,
            "seizures": seizures,
            "entities": _entities(seizures),
            "personal": level >= Level.FULL,
            "thread": (
                CaseMessage.objects.filter(case=case).select_related("author", "agency")
                if level >= Level.CONTRIBUTE
                else None
            ),
            "attachments": (
                Attachment.objects.filter(case=case).select_related("agency")
                if level >= Level.FULL
                else None
            ),
            "message_form": MessageForm() if level >= Level.CONTRIBUTE else None,
            "attachment_form": AttachmentForm() if level >= Level.CONTRIBUTE else None,
        },
    )


@require_http_methods(["GET", "POST"])
@member_required
def case_create(request: HttpRequest) -> HttpResponse:
    form = CaseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            case = actions.create_case(request.user, form.data_for_action(), request=request)
        except InvalidInput as exc:
            apply_errors(form, exc.errors)
        else:
            flash.success(request, _("Case %(ref)s created.") % {"ref": case.reference})
            return redirect("cases:case", pk=case.pk)
    return render(request, "cases/case_form.html", {"form": form, "case": None})


def _owned(request: HttpRequest, record: Case | SeizureReport) -> None:
    if int(record.access_level) < Level.OWNER:  # type: ignore[union-attr]
        noun = "case" if isinstance(record, Case) else "seizure"
        record_denied(request, type(record), record.pk, action=f"{noun}.changed")
        raise PermissionDenied(_("Only the owner agency can change this record."))


@require_http_methods(["GET", "POST"])
@member_required
def case_edit(request: HttpRequest, pk: int) -> HttpResponse:
    case = _visible_case(request, pk, action="case.changed")
    _owned(request, case)
    if request.method == "GET":
        audit("case.viewed", request=request, obj=case, access_level=Level.OWNER, part="edit")
    form = CaseForm(request.POST or None, instance=case)
    if request.method == "POST" and form.is_valid():
        try:
            actions.update_case(
                request.user,
                case.pk,
                form.data_for_action(),
                version=form.cleaned_data.get("version"),
                request=request,
            )
        except InvalidInput as exc:
            apply_errors(form, exc.errors)
        except EditConflict as exc:
            form.add_error(None, exc.message)
        else:
            flash.success(request, _("Case saved."))
            return redirect("cases:case", pk=case.pk)
    return render(request, "cases/case_form.html", {"form": form, "case": case})


@require_POST
@member_required
def case_message(request: HttpRequest, pk: int) -> HttpResponse:
    case = _visible_case(request, pk, Level.CONTRIBUTE, action="message.created")
    form = MessageForm(request.POST)
    if form.is_valid():
        try:
            actions.post_message(request.user, case.pk, form.cleaned_data["body"], request=request)
        except InvalidInput as exc:
            apply_errors(form, exc.errors)
        else:
            form = MessageForm()
    if request.htmx:  # type: ignore[attr-defined]
        thread = CaseMessage.objects.filter(case=case).select_related("author", "agency")
        return render(
            request,
            "cases/includes/thread.html",
            {"case": case, "thread": thread, "message_form": form},
        )
    if form.errors:
        flash.error(request, " ".join(str(m) for errs in form.errors.values() for m in errs))
    return redirect(reverse("cases:case", args=[case.pk]) + "#messages")


def _upload(request: HttpRequest, record: Case | SeizureReport, field: str) -> HttpResponse:
    form = AttachmentForm(request.POST, request.FILES)
    target = reverse(f"cases:{'case' if field == 'case' else 'seizure'}", args=[record.pk])
    if form.is_valid():
        try:
            actions.add_attachment(
                request.user,
                form.cleaned_data["file"],
                kind=form.cleaned_data["kind"],
                description=form.cleaned_data["description"],
                request=request,
                **{f"{field}_id": record.pk},
            )
        except InvalidInput as exc:
            for messages in exc.errors.values():
                flash.error(request, " ".join(str(m) for m in messages))
        else:
            flash.success(request, _("The file was added, encrypted."))
    else:
        flash.error(request, " ".join(str(m) for errs in form.errors.values() for m in errs))
    return redirect(target + "#attachments")


@require_POST
@member_required
def case_attachment(request: HttpRequest, pk: int) -> HttpResponse:
    case = _visible_case(request, pk, Level.CONTRIBUTE, action="attachment.uploaded")
    return _upload(request, case, "case")


@require_GET
@member_required
def attachment_download(request: HttpRequest, pk: int) -> Any:
    return attachment_response(request, pk)


# --- seizure reports ------------------------------------------------------------------------------


@require_GET
@member_required
def seizure_list(request: HttpRequest) -> HttpResponse:
    context = _door_list(
        request,
        SeizureReport,
        SeizureFilter,
        audit_action="seizure.listed",
        related=("owner_agency", "case"),
        prefetch=("items",),
    )
    context["visible_cases"] = visible_case_ids(request.user, context["rows"])
    return render(request, "cases/seizure_list.html", context)


def _visible_seizure(
    request: HttpRequest, pk: int, level: int = Level.SUMMARY, *, action: str = ""
) -> Any:
    """The report at ``level`` or 404; a refusal is audited as ``action`` (default: viewed)."""
    try:
        return get_visible_or_404(
            request.user,
            SeizureReport.objects.select_related("owner_agency", "case", "created_by"),
            level,
            pk=pk,
        )
    except Http404:
        record_denied(request, SeizureReport, pk, action=action)
        raise


@require_GET
@member_required
def seizure_detail(request: HttpRequest, pk: int) -> HttpResponse:
    seizure = _visible_seizure(request, pk)
    level = int(seizure.access_level)
    audit("seizure.viewed", request=request, obj=seizure, access_level=level)
    case_visible = seizure.case_id in visible_case_ids(request.user, [seizure])
    return render(
        request,
        "cases/seizure_detail.html",
        {
            "seizure": seizure,
            "level": level,
            "personal": level >= Level.FULL,
            "case_visible": case_visible,
            "items": list(seizure.items.all()),
            "entities": {kind: list(getattr(seizure, kind).all()) for kind in ENTITY_KINDS},
            "attachments": (
                Attachment.objects.filter(seizure=seizure).select_related("agency")
                if level >= Level.FULL
                else None
            ),
            "attachment_form": AttachmentForm() if level >= Level.CONTRIBUTE else None,
        },
    )


def _own_cases(request: HttpRequest) -> list[Case]:
    return list(newest_visible(Case, request.user, Level.OWNER, limit=500))


def _seizure_form_page(request: HttpRequest, seizure: SeizureReport | None) -> HttpResponse:
    own_cases = _own_cases(request)
    data = request.POST if request.method == "POST" else None
    initial: dict[str, Any] = {}
    if seizure is None:
        case_id = request.GET.get("case", "")
        chosen = next((c for c in own_cases if str(c.pk) == case_id), None)
        if chosen is not None:
            initial = {"case": chosen.pk, "tlp": chosen.tlp}
    form = SeizureForm(data, instance=seizure, own_cases=own_cases, initial=initial)
    formsets = formsets_for(seizure, data)
    if request.method == "POST":
        valid = form.is_valid()
        valid = all([fs.is_valid() for fs in formsets.values()]) and valid
        if valid:
            nested: dict[str, list[dict[str, Any]]] = {}
            origin: dict[str, list[Any]] = {}
            for kind, formset in formsets.items():
                fields = actions.NESTED[kind].fields
                nested[kind], origin[kind] = formset.rows_for_action(fields)
            try:
                if seizure is None:
                    saved = actions.create_seizure(
                        request.user, form.data_for_action(), nested, request=request
                    )
                else:
                    saved = actions.update_seizure(
                        request.user,
                        seizure.pk,
                        form.data_for_action(),
                        nested,
                        version=form.cleaned_data.get("version"),
                        request=request,
                    )
            except InvalidInput as exc:
                for kind, rows in exc.errors.items():
                    if kind in formsets and isinstance(rows, dict):
                        for index, row_errors in rows.items():
                            apply_errors(origin[kind][int(index)], row_errors)
                    else:
                        apply_errors(form, {kind: rows})
            except EditConflict as exc:
                form.add_error(None, exc.message)
            else:
                flash.success(
                    request, _("Seizure report %(ref)s saved.") % {"ref": saved.reference}
                )
                return redirect("cases:seizure", pk=saved.pk)
    return render(
        request,
        "cases/seizure_form.html",
        {
            "form": form,
            "formsets": [(kind, ROW_FORMS[kind][1], fs) for kind, fs in formsets.items()],
            "seizure": seizure,
            "currencies": sorted(validators.CURRENCIES),
        },
    )


@require_http_methods(["GET", "POST"])
@member_required
def seizure_create(request: HttpRequest) -> HttpResponse:
    return _seizure_form_page(request, None)


@require_http_methods(["GET", "POST"])
@member_required
def seizure_edit(request: HttpRequest, pk: int) -> HttpResponse:
    seizure = _visible_seizure(request, pk, action="seizure.changed")
    _owned(request, seizure)
    if request.method == "GET":
        audit("seizure.viewed", request=request, obj=seizure, access_level=Level.OWNER,
              part="edit")  # fmt: skip
    return _seizure_form_page(request, seizure)


@require_POST
@member_required
def seizure_attachment(request: HttpRequest, pk: int) -> HttpResponse:
    seizure = _visible_seizure(request, pk, Level.CONTRIBUTE, action="attachment.uploaded")
    return _upload(request, seizure, "seizure")


# --- htmx helpers of the seizure form -------------------------------------------------------------


@require_GET
@member_required
def seizure_row(request: HttpRequest, kind: str) -> HttpResponse:
    """One more empty row of ``kind`` for the seizure form, and the formset's new total."""
    if kind not in ROW_FORMS:
        raise Http404
    try:
        index = max(0, int(request.GET.get(f"{kind}-TOTAL_FORMS", "0")))
    except ValueError:
        index = 0
    if index >= 200:
        raise Http404
    model = ROW_FORMS[kind][0].Meta.model  # type: ignore[attr-defined]
    formset = formset_class(kind)(queryset=model._default_manager.none(), prefix=kind)
    form = formset._construct_form(index)  # type: ignore[attr-defined]
    return render(
        request,
        "cases/includes/row.html",
        {"kind": kind, "row": form, "total": index + 1, "oob": True},
    )


@require_GET
@member_required
def unit_options(request: HttpRequest) -> HttpResponse:
    """The units a substance may be counted in (options of the unit select)."""
    substance = next(
        (str(value) for key, value in request.GET.items() if key.endswith("substance")), ""
    )
    known = SUBSTANCES.get(substance)
    codes = known.units if known else tuple(UNITS)
    options = [(code, UNITS[code].label) for code in codes]
    return render(request, "cases/includes/unit_options.html", {"options": options})


CHECKS: dict[str, Callable[..., Any]] = {
    "container": validators.validate_container_number,
    "imo": validators.validate_imo,
    "mmsi": validators.validate_mmsi,
    "flight": validators.validate_flight_designator,
    "phone": validators.validate_phone,
    "passport": validators.validate_passport_number,
    "plate": validators.validate_plate,
    "currency": validators.validate_currency,
    "countries": validators.validate_countries,
    "dob": validators.validate_date_of_birth,
    "mrz": lambda value: " ".join(validators.parse_mrz(value).lines),
}


@require_GET
@member_required
def check_field(request: HttpRequest, kind: str) -> HttpResponse:
    """Inline validation while typing: the error, or the value as it will be saved."""
    values = [
        (key, str(value))
        for key, value in request.GET.items()
        if not key.endswith(("country", "TOTAL_FORMS"))
    ]
    value = values[0][1] if values else ""
    if not value.strip():
        return HttpResponse("")
    try:
        if kind == "locode":
            country = next(
                (str(v) for k, v in request.GET.items() if k == "country"),
                "",
            )
            shown = validators.validate_locode(value, country or None)
        elif kind == "date":
            from datetime import date

            try:
                shown = validators.validate_not_future(date.fromisoformat(value)).isoformat()
            except ValueError:
                raise ValidationError(_("Enter a date as YYYY-MM-DD.")) from None
        elif kind in CHECKS:
            shown = CHECKS[kind](value)
        else:
            raise Http404
    except ValidationError as exc:
        return HttpResponse(
            format_html('<span class="text-danger">{}</span>', " ".join(exc.messages))
        )
    if isinstance(shown, list):
        shown = " ".join(shown)
    return HttpResponse(
        format_html(
            '<span class="text-success"><i class="bi bi-check-circle" aria-hidden="true"></i> '
            "{} {}</span>",
            _("Valid:"),
            shown,
        )
    )
