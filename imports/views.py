"""Pages of the import: upload, then mapping, dry run and commit on one page.

An import belongs to its agency: another agency's import is a 404 (``get_import_or_404``)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages as flash
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from cases.views import member_required
from imports import actions
from imports.columns import BY_KEY
from imports.forms import MappingForm, UploadForm
from imports.models import SeizureImport
from portal.errors import InvalidInput
from sharing.access import principals_of

ERRORS_SHOWN = 1000
SAMPLES = 3


@require_http_methods(["GET", "POST"])
@member_required
def upload(request: HttpRequest) -> HttpResponse:
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            created = actions.upload(request.user, form.cleaned_data["file"], request=request)
        except InvalidInput as exc:
            for name, messages in exc.errors.items():
                for message in messages:
                    form.add_error("file" if name == "file" else None, str(message))
        else:
            return redirect("imports:detail", pk=created.pk)
    recent = SeizureImport.objects.filter(
        owner_agency_id=principals_of(request.user).agency_id
    ).defer("content")[:20]
    return render(request, "imports/upload.html", {"form": form, "recent": recent})


def _samples(table: actions.Table) -> list[list[str]]:
    found: list[list[str]] = [[] for _ in table.headers]
    for _number, cells in table.rows[:200]:
        for index, value in enumerate(cells[: len(found)]):
            if value not in (None, "") and len(found[index]) < SAMPLES:
                found[index].append(str(value)[:40])
    return found


@require_http_methods(["GET", "POST"])
@member_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    current = actions.get_import_or_404(request.user, pk)
    context: dict[str, Any] = {"upload": current}
    if current.status == SeizureImport.Status.COMMITTED:
        return render(request, "imports/detail.html", context)
    table = actions.table_of(current)
    form = MappingForm(table.headers, current.mapping, request.POST or None)
    result: actions.Checked | None = None
    if request.method == "POST" and form.is_valid():
        mapping = form.mapping()
        try:
            if "commit" in request.POST:
                done = actions.commit(request.user, current.pk, mapping, request=request)
                flash.success(
                    request,
                    _("%(n)s seizure reports imported: %(first)s to %(last)s.")
                    % {
                        "n": done.imported_count,
                        "first": done.first_reference,
                        "last": done.last_reference,
                    },
                )
                return redirect("imports:detail", pk=current.pk)
            result = actions.check(request.user, current.pk, mapping, request=request)
        except actions.RowsRefused as refused:
            result = refused.result
            flash.error(request, _("Nothing was imported: some rows have errors."))
        except InvalidInput as exc:
            form.apply(exc.errors)
        current.refresh_from_db()
    columns = [
        {"field": form[f"column_{i}"], "header": header, "samples": samples}
        for i, (header, samples) in enumerate(zip(table.headers, _samples(table), strict=True))
    ]
    context.update(
        form=form,
        columns=columns,
        result=result,
        errors=result.errors[:ERRORS_SHOWN] if result else [],
        more_errors=max(0, len(result.errors) - ERRORS_SHOWN) if result else 0,
        required=[str(f.label) for f in BY_KEY.values() if f.required],
        can_commit=result is not None and not result.errors,
    )
    return render(request, "imports/detail.html", context)
