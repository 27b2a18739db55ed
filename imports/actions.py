"""Importing seizure reports from a CSV or Excel table: upload, map columns, dry run, commit.

- ``upload``: the file is checked (extension, declared type, content, size, rows) and kept
  encrypted in the database with a guessed mapping of its columns (``imports.columns``).
- ``check`` (the dry run): every row is read into a seizure report and validated exactly as
  the seizure report form validates one (``cases.actions.check_new_seizure``); every error is
  listed with its row number, column and message; nothing is written but the import's state.
- ``commit``: the same checks again, then, only if no row has an error, every report, item,
  linked entity and blind-index row is written in one transaction with ``bulk_create``,
  under references taken as one block from the agency's counter. One bad row: nothing saved.

Each step is audited: ``import.uploaded``, ``import.dry_run``, ``import.committed`` (with
counts and the block of references).
"""

from __future__ import annotations

import base64
import io
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, time, timedelta
from pathlib import PurePath
from typing import Any

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.core.files.uploadedfile import UploadedFile
from django.db import connection, models, transaction
from django.db.models.functions import Length
from django.http import Http404, HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.log import record as audit
from cases import attachments
from cases.actions import NESTED, acting_agency, check_new_seizure
from cases.identifiers import identifier_rows, identifiers_in
from cases.models import Case, Identifier, ReferenceCounter, SeizureItem, SeizureReport
from cases.vocabularies import SUBSTANCES, Group
from hits.matching import match_records
from imports.columns import (
    BY_KEY,
    CASE,
    GROUP_MODELS,
    KEY,
    REPORT,
    REQUIRED,
    ImportField,
    guess_mapping,
    read_cell,
    split_multi,
)
from imports.models import SeizureImport
from insight.tabular import XLSX_CONTENT_TYPE, UnreadableTable, read_csv, read_xlsx
from portal.errors import InvalidInput
from sharing.access import principals_of, visible_cases
from sharing.models import Level

MAX_BYTES: int = getattr(settings, "IMPORT_MAX_BYTES", 10 * 1024 * 1024)
MAX_ROWS: int = getattr(settings, "IMPORT_MAX_ROWS", 20_000)
BATCH = 1000
CACHED_KINDS = frozenset({"choice", "country", "bool", "date"})

# extension -> (format, content types a browser or client may declare for it)
ACCEPTED: dict[str, tuple[str, frozenset[str]]] = {
    ".csv": (
        SeizureImport.Format.CSV,
        frozenset(
            {"text/csv", "text/plain", "application/csv", "text/x-csv",
             "application/vnd.ms-excel", "application/octet-stream", ""}
        ),
    ),
    ".xlsx": (
        SeizureImport.Format.XLSX,
        frozenset({XLSX_CONTENT_TYPE, "application/octet-stream", "application/zip", ""}),
    ),
}  # fmt: skip


# --- reading the stored table --------------------------------------------------------------------


@dataclass(frozen=True)
class Table:
    headers: list[str]
    rows: list[tuple[int, list[Any]]]  # (row number in the file, cells)


def _read(data: bytes, file_format: str) -> Table:
    reader = read_xlsx if file_format == SeizureImport.Format.XLSX else read_csv
    raw = reader(data, max_rows=MAX_ROWS)
    numbered = [(number, cells) for number, cells in enumerate(raw, start=1) if cells]
    if not numbered:
        raise UnreadableTable("empty")
    (_, header), *rows = numbered
    headers = [str(cell).strip() if cell is not None else "" for cell in header]
    return Table(headers=headers, rows=rows)


def table_of(upload: SeizureImport) -> Table:
    if not upload.content:
        raise InvalidInput({"file": [_("This import is finished; its file was erased.")]})
    return _read(base64.b64decode(upload.content), upload.file_format)


def get_import_or_404(user: Any, pk: Any, *, for_update: bool = False) -> SeizureImport:
    """An import of the user's own agency; anyone else's is not found."""
    agency_id = principals_of(user).agency_id
    try:
        number = int(pk)
    except (TypeError, ValueError):
        raise Http404(_("No such import.")) from None
    queryset = SeizureImport.objects.filter(pk=number, owner_agency_id=agency_id)
    if agency_id is None or not queryset.exists():
        raise Http404(_("No such import."))
    if for_update:
        queryset = queryset.select_for_update()
    return queryset.get()


# --- upload --------------------------------------------------------------------------------------


def _file_errors(upload: UploadedFile) -> tuple[str, bytes]:
    """(format, content) of an acceptable upload; ``InvalidInput`` on ``file`` otherwise."""
    name = upload.name or ""
    extension = PurePath(name).suffix.lower()
    if extension not in ACCEPTED:
        raise InvalidInput({"file": [_("Upload a .csv or .xlsx file (Excel 2007 or later).")]})
    file_format, declared_types = ACCEPTED[extension]
    declared = (upload.content_type or "").split(";")[0].strip().lower()
    if declared not in declared_types:
        raise InvalidInput(
            {"file": [_("The file is sent as %(type)s, not as CSV or Excel.") % {"type": declared}]}
        )
    if upload.size is not None and upload.size > MAX_BYTES:
        raise InvalidInput(
            {"file": [_("The file is larger than %(mb)s MB.") % {"mb": MAX_BYTES // 2**20}]}
        )
    data = upload.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise InvalidInput(
            {"file": [_("The file is larger than %(mb)s MB.") % {"mb": MAX_BYTES // 2**20}]}
        )
    sniffed = attachments.sniff(data[:8192], io.BytesIO(data))
    expected = XLSX_CONTENT_TYPE if file_format == SeizureImport.Format.XLSX else "text/plain"
    if sniffed != expected:
        raise InvalidInput(
            {"file": [_("The content of the file is not a %(format)s table.") % {
                "format": "Excel" if file_format == SeizureImport.Format.XLSX else "CSV"}]}
        )  # fmt: skip
    return file_format, data


@transaction.atomic
def upload(user: Any, file: UploadedFile, *, request: HttpRequest | None = None) -> SeizureImport:
    agency = acting_agency(user)
    file_format, data = _file_errors(file)
    expected_type = XLSX_CONTENT_TYPE if file_format == SeizureImport.Format.XLSX else "text/plain"
    try:
        table = _read(data, file_format)
    except UnreadableTable:
        raise InvalidInput(
            {"file": [_("The file could not be read as a table, or has more than %(n)s rows.")
                      % {"n": MAX_ROWS}]}
        ) from None  # fmt: skip
    if not table.rows:
        raise InvalidInput({"file": [_("The file has a header row but no rows under it.")]})
    created = SeizureImport.objects.create(
        owner_agency=agency,
        created_by=user,
        filename=attachments.safe_filename(file.name or "import", expected_type),
        file_format=file_format,
        size=len(data),
        content=base64.b64encode(data).decode(),
        headers=table.headers,
        mapping=guess_mapping(table.headers),
        row_count=len(table.rows),
    )
    audit(
        "import.uploaded",
        request=request,
        actor=user,
        obj=created,
        format=file_format,
        size=len(data),
        rows=len(table.rows),
    )
    return created


# --- mapping -------------------------------------------------------------------------------------


def clean_mapping(headers: Sequence[str], mapping: Any) -> list[str]:
    """The mapping as a list of field keys (or "") per column: given as such a list, or as
    ``{header: field}``. Per-column errors (``column_<n>``) and missing required fields."""
    if isinstance(mapping, Mapping):
        by_header = {str(k): v for k, v in mapping.items()}
        unknown = [h for h in by_header if h not in headers]
        if unknown:
            raise InvalidInput(
                {"mapping": [_("No column is called %(names)s.") % {"names": ", ".join(unknown)}]}
            )
        mapping = [by_header.get(header) or "" for header in headers]
    if not isinstance(mapping, list | tuple) or len(mapping) != len(headers):
        raise InvalidInput({"mapping": [_("Give one field (or none) for each column.")]})
    errors: dict[str, list[str]] = {}
    seen: dict[str, int] = {}
    cleaned: list[str] = []
    for index, key in enumerate(mapping):
        key = str(key or "")
        if key and key not in BY_KEY:
            errors[f"column_{index}"] = [_("%(key)s is not a field of a seizure report.")
                                         % {"key": key}]  # fmt: skip
        elif key in seen:
            errors[f"column_{index}"] = [
                _("%(field)s is already taken by column %(column)s.")
                % {"field": BY_KEY[key].label, "column": headers[seen[key]] or seen[key] + 1}
            ]
        elif key:
            seen[key] = index
        cleaned.append(key)
    missing = [str(f.label) for f in REQUIRED if f.key not in seen]
    if missing:
        errors.setdefault("mapping", []).append(
            _("Map a column to each of: %(fields)s.") % {"fields": ", ".join(missing)}
        )
    if errors:
        raise InvalidInput(errors)
    return cleaned


# --- rows ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    field: str
    message: str

    def as_dict(self) -> dict[str, Any]:
        return {"row": self.row, "column": self.column, "field": self.field,
                "message": self.message}  # fmt: skip


@dataclass
class Planned:
    number: int  # the report's first row
    seizure: SeizureReport
    rows: dict[str, list[models.Model]]


@dataclass
class Checked:
    rows: int
    planned: list[Planned] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    reports: int = 0  # the reports the rows make (as many as rows without a report key)

    @property
    def rows_with_errors(self) -> int:
        return len({error.row for error in self.errors})


_BY_TARGET: dict[tuple[str, str], ImportField] = {(f.group, f.attr): f for f in BY_KEY.values()}


def _infer_kind(item: dict[str, Any]) -> None:
    """An item's kind when no column gives it: from what the row says about the item."""
    if item.get("kind"):
        return
    substance = SUBSTANCES.get(str(item.get("substance") or ""))
    if substance is not None:
        drug = substance.group == Group.DRUG
        item["kind"] = SeizureItem.Kind.DRUG if drug else SeizureItem.Kind.PRECURSOR
    elif item.get("substance") or item.get("quantity") is not None:
        item["kind"] = SeizureItem.Kind.DRUG  # the substance's own check names the problem
    elif item.get("firearm_type") or item.get("serial_number"):
        item["kind"] = SeizureItem.Kind.FIREARM
    elif item.get("rounds") is not None:
        item["kind"] = SeizureItem.Kind.AMMUNITION
    elif item.get("amount") is not None or item.get("currency"):
        item["kind"] = SeizureItem.Kind.CASH


def _label(group: str, attr: str) -> str:
    known = _BY_TARGET.get((group, attr))
    if known is not None:
        return str(known.label)
    model = GROUP_MODELS.get(group, SeizureReport)
    try:
        return str(getattr(model._meta.get_field(attr), "verbose_name", ""))
    except Exception:  # "__all__" or a name only the validation uses
        return ""


def _comparable(value: Any) -> Any:
    """A read cell as two rows of one report are compared: a date from an Excel cell or
    written day first is the same as one written ``2026-03-02``; ``10:30`` as ``10:30:00``."""
    if isinstance(value, date | time):
        return value.isoformat()
    if isinstance(value, str) and re.fullmatch(r"\d{1,2}:\d{2}", value):
        return f"{value.zfill(5)}:00"
    return value


def _shown(value: Any) -> str:
    if isinstance(value, list | tuple):
        return " ".join(str(part) for part in value)
    return str(value)


@dataclass
class _Report:
    """One seizure report gathered from its rows: one row, or every row of one report key.

    Report fields and the case come from whichever of its rows fills them (a row may leave
    them empty); two rows giving different values is an error on the later row. Each row
    adds its item; linked entities (containers, vessels, persons...) are gathered from every
    row, one repeated on several rows counted once."""

    number: int
    key: str = ""
    data: dict[str, Any] = field(default_factory=dict)
    given_by: dict[str, int] = field(default_factory=dict)  # report field -> its row
    nested: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    nested_rows: dict[str, list[int]] = field(default_factory=dict)  # each entry's row
    errors: list[RowError] = field(default_factory=list)

    def add(
        self,
        number: int,
        data: Mapping[str, Any],
        nested: Mapping[str, list[dict[str, Any]]],
        columns: Mapping[tuple[str, str], str],
    ) -> None:
        for attr, value in data.items():
            if attr not in self.data:
                self.data[attr] = value
                self.given_by[attr] = number
            elif _comparable(self.data[attr]) != _comparable(value):
                group = CASE if attr == "case" else REPORT
                self.errors.append(
                    RowError(
                        number,
                        columns.get((group, attr), ""),
                        _label(group, attr),
                        _("Row %(row)s of report %(key)s says %(value)s: every row of a report "
                          "gives the same value or leaves the cell empty.")
                        % {"row": self.given_by[attr], "key": self.key,
                           "value": _shown(self.data[attr])},
                    )
                )  # fmt: skip
        for kind, entries in nested.items():
            gathered = self.nested.setdefault(kind, [])
            before = list(gathered) if kind != "items" else []
            for entry in entries:
                if entry in before:
                    continue  # the same container, person... named again on a later row
                gathered.append(entry)
                self.nested_rows.setdefault(kind, []).append(number)

    def row_errors(
        self, errors: Mapping[str, Any], columns: Mapping[tuple[str, str], str]
    ) -> list[RowError]:
        """The validation's errors, each on the row that gave the value it is about."""
        found: list[RowError] = []

        def add(number: int, group: str, attr: str, messages: Sequence[Any]) -> None:
            column = columns.get((group, attr), "")
            label = _label(group, attr)
            for message in messages:
                found.append(RowError(number, column, label, str(message)))

        for name, value in errors.items():
            if name in NESTED and isinstance(value, Mapping):
                numbers = self.nested_rows.get(name, [])
                for index, entry_errors in value.items():
                    number = (
                        numbers[index]
                        if isinstance(index, int) and index < len(numbers)
                        else self.number
                    )
                    for attr, messages in entry_errors.items():
                        add(number, name, attr, messages)
            else:
                group = CASE if name == "case" else REPORT
                add(self.given_by.get(name, self.number), group, name, value)
        return found


def check_rows(user: Any, agency: Any, table: Table, mapping: Sequence[str]) -> Checked:
    """Every row read, gathered into reports (by the report key when one is mapped, else one
    report a row) and validated; nothing written."""
    fields = [(index, BY_KEY[key]) for index, key in enumerate(mapping) if key]
    columns = {(f.group, f.attr): table.headers[index] or str(index + 1) for index, f in fields}
    case_index = next((index for index, f in fields if f.group == CASE), None)
    key_index = next((index for index, f in fields if f.group == KEY), None)
    cases: dict[str, Case] = {}
    if case_index is not None:
        wanted = {
            str(cells[case_index]).strip()
            for _, cells in table.rows
            if case_index < len(cells) and cells[case_index] not in (None, "")
        }
        cases = {
            case.reference: case
            for case in visible_cases(user, Level.OWNER).filter(reference__in=wanted)
        }
    result = Checked(rows=len(table.rows))
    read: dict[tuple[str, Any], Any] = {}  # repeated cells (countries, modes, units) read once

    def cell(import_field: ImportField, raw: Any) -> Any:
        if import_field.kind not in CACHED_KINDS or not isinstance(raw, str):
            return read_cell(import_field, raw)
        key = (import_field.key, raw)
        if key not in read:
            read[key] = read_cell(import_field, raw)
        return read[key]

    reports: list[_Report] = []
    by_key: dict[str, _Report] = {}
    for number, cells in table.rows:
        data: dict[str, Any] = {}
        nested: dict[str, list[dict[str, Any]]] = {}
        key = ""
        for index, import_field in fields:
            raw = cells[index] if index < len(cells) else None
            if import_field.group == KEY:
                key = str(read_cell(import_field, raw) or "")
                continue
            if import_field.group == CASE:
                if raw not in (None, "") and str(raw).strip():
                    data["case"] = str(raw).strip()
                continue
            if import_field.group == REPORT:
                value = cell(import_field, raw)
                if value is not None:
                    data[import_field.attr] = value
                continue
            values = (
                [cell(import_field, part) for part in split_multi(raw)]
                if import_field.multi
                else [cell(import_field, raw)]
            )
            for position, value in enumerate(values):
                if value is None:
                    continue
                inputs = nested.setdefault(import_field.group, [])
                while len(inputs) <= position:
                    inputs.append({})
                inputs[position][import_field.attr] = value
        report = by_key.get(key) if key else None
        if report is None:
            report = _Report(number, key)
            reports.append(report)
            if key:
                by_key[key] = report
        report.add(number, data, nested, columns)

    result.reports = len(reports)
    for report in reports:
        data = report.data
        case: Case | None = None
        case_errors: dict[str, Any] = {}
        reference = data.pop("case", "")
        if reference:
            case = cases.get(reference)
            if case is None:
                case_errors["case"] = [_("No such case of your agency.")]
        for item in report.nested.get("items", ()):
            _infer_kind(item)
        seizure, rows, errors = check_new_seizure(user, agency, data, report.nested, case=case)
        errors.update(case_errors)
        if errors or report.errors:
            result.errors.extend(report.errors)
            result.errors.extend(report.row_errors(errors, columns))
        else:
            result.planned.append(Planned(report.number, seizure, rows))
    if key_index is not None:
        result.errors.sort(key=lambda error: error.row)  # a report's rows may be far apart
    return result


# --- dry run and commit --------------------------------------------------------------------------


@transaction.atomic
def check(
    user: Any, import_id: Any, mapping: Any, *, request: HttpRequest | None = None
) -> Checked:
    """The dry run: save the mapping, list every row's errors, write no seizure report."""
    upload_ = get_import_or_404(user, import_id, for_update=True)
    if upload_.status == SeizureImport.Status.COMMITTED:
        raise InvalidInput({"file": [_("This file was already imported.")]})
    table = table_of(upload_)
    cleaned = clean_mapping(table.headers, mapping)
    result = check_rows(user, upload_.owner_agency, table, cleaned)
    upload_.mapping = cleaned
    upload_.status = SeizureImport.Status.CHECKED
    upload_.error_count = len(result.errors)
    upload_.checked_at = timezone.now()
    upload_.save(update_fields=["mapping", "status", "error_count", "checked_at"])
    audit(
        "import.dry_run",
        request=request,
        actor=user,
        obj=upload_,
        rows=result.rows,
        errors=len(result.errors),
        rows_with_errors=result.rows_with_errors,
    )
    return result


class RowsRefused(Exception):
    """The commit found errors: nothing was saved."""

    def __init__(self, result: Checked) -> None:
        super().__init__("rows refused")
        self.result = result


def commit(
    user: Any, import_id: Any, mapping: Any = None, *, request: HttpRequest | None = None
) -> SeizureImport:
    """Write every row as a seizure report, all or nothing (``RowsRefused`` lists the errors)."""
    with transaction.atomic():
        upload_ = get_import_or_404(user, import_id, for_update=True)
        if upload_.status == SeizureImport.Status.COMMITTED:
            raise InvalidInput({"file": [_("This file was already imported.")]})
        table = table_of(upload_)
        cleaned = clean_mapping(table.headers, upload_.mapping if mapping is None else mapping)
        result = check_rows(user, upload_.owner_agency, table, cleaned)
        if not result.errors:
            counts = _write(result.planned, upload_.owner_agency)
            references = [planned.seizure.reference for planned in result.planned]
            upload_.mapping = cleaned
            upload_.status = SeizureImport.Status.COMMITTED
            upload_.imported_count = len(result.planned)
            upload_.error_count = 0
            upload_.first_reference, upload_.last_reference = references[0], references[-1]
            upload_.committed_at = timezone.now()
            upload_.content = ""  # the file is not kept once its rows are records
            upload_.save()
            # matching before the audit entry, so the entry can name the hits it found
            hits = match_imported(
                [planned.seizure.pk for planned in result.planned], upload_.owner_agency_id, user
            )
            audit(
                "import.committed",
                request=request,
                actor=user,
                obj=upload_,
                rows=result.rows,
                reports=len(result.planned),
                first_reference=upload_.first_reference,
                last_reference=upload_.last_reference,
                rows_by_kind=counts,
                hits=hits,
            )
            return upload_
    audit(
        "import.refused",
        request=request,
        actor=user,
        obj=upload_,
        rows=result.rows,
        errors=len(result.errors),
        rows_with_errors=result.rows_with_errors,
    )
    raise RowsRefused(result)


def _write(planned: list[Planned], agency: Any) -> dict[str, int]:
    """Reports, their rows and blind indexes in bulk; references as one block."""
    references = ReferenceCounter.next_references(agency, "S", len(planned))
    reports = []
    for row, reference in zip(planned, references, strict=True):
        row.seizure.reference = reference
        reports.append(row.seizure)
    insert_rows(SeizureReport, reports)
    counts: dict[str, int] = {}
    by_kind: dict[str, list[models.Model]] = {}
    identifiers: list[Identifier] = []
    for row in planned:
        for kind, rows in row.rows.items():
            for nested in rows:
                nested.seizure_id = row.seizure.pk  # type: ignore[attr-defined]
            by_kind.setdefault(kind, []).extend(rows)
        identifiers.extend(identifier_rows(row.seizure, identifiers_in(row.rows)))
    for kind, rows in by_kind.items():
        insert_rows(NESTED[kind].model, rows)
        counts[kind] = len(rows)
    insert_rows(Identifier, identifiers)
    counts["identifiers"] = len(identifiers)
    return counts


def insert_rows(model: type[models.Model], objects: Sequence[models.Model]) -> None:
    """``bulk_create`` without the ORM's per-value SQL compilation (a third of an import's
    CPU): each value is still prepared by its field (``pre_save``, ``get_db_prep_save``:
    defaults, ``auto_now``, encryption), then the rows go in pages of ``BATCH`` and their
    new ids are set on the objects."""
    if not objects:
        return
    from psycopg2.extras import execute_values

    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    quote = connection.ops.quote_name
    columns = ", ".join(quote(str(f.column)) for f in fields)
    # psycopg2 sends a list as text[]: say which array type the column is
    placeholders = ", ".join(
        f"%s::{f.db_type(connection)}" if isinstance(f, ArrayField) else "%s" for f in fields
    )
    table, pk = quote(model._meta.db_table), quote(str(model._meta.pk.column))
    # names are the model's own; every value goes as a parameter
    sql = f"INSERT INTO {table} ({columns}) VALUES %s RETURNING {pk}"  # noqa: S608 # nosec B608
    rows = [
        tuple(f.get_db_prep_save(f.pre_save(obj, True), connection) for f in fields)
        for obj in objects
    ]
    with connection.cursor() as cursor:
        ids = execute_values(
            cursor.cursor, sql, rows, template=f"({placeholders})", page_size=BATCH, fetch=True
        )
    for obj, (pk,) in zip(objects, ids, strict=True):
        obj.pk = pk
        obj._state.adding = False
        obj._state.db = connection.alias


def match_imported(seizure_ids: list[int], agency_id: int, actor: Any) -> int:
    """Deconfliction hits for the imported reports, in the transaction that wrote them: one
    query for all of them (``hits.matching.match_records``). Returns the hits created."""
    return len(match_records(seizure_ids, agency_id, actor=actor))


def erase_stale(now: Any = None) -> int:
    """Erase the files of imports left unfinished for ``IMPORT_KEEP_HOURS`` (24 by default):
    an uploaded table is kept only while someone is importing it. Returns how many."""
    hours: int = getattr(settings, "IMPORT_KEEP_HOURS", 24)
    cutoff = (now or timezone.now()) - timedelta(hours=hours)
    with transaction.atomic():
        # the column is ciphertext: only its length can be compared in SQL
        erased = (
            SeizureImport.objects.annotate(stored=Length("content"))
            .filter(created_at__lt=cutoff, stored__gt=0)
            .update(content="")
        )
        if erased:
            audit("import.erased", imports=erased, older_than_hours=hours)
    return erased
