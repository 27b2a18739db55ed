"""Every change to cases, seizure reports, messages and attachments.

Each action takes the acting user first, reads the record through the access door at the
level the change needs (404 otherwise), runs in one transaction, validates everything before
writing anything (``InvalidInput`` with per-field, per-row messages), writes its audit entry
and, where people must be told, its outbox event.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import models, transaction
from django.db.models import Q
from django.http import Http404, HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from agencies.models import Agency
from audit.log import record as audit
from cases import attachments as storage
from cases.identifiers import index_identifiers
from cases.markings import is_stricter
from cases.models import (
    Attachment,
    Case,
    CaseMessage,
    Container,
    Flight,
    Organisation,
    Person,
    ReferenceCounter,
    SeizureItem,
    SeizureReport,
    Vehicle,
    Vessel,
)
from hits.matching import match_record
from notifications.events import emit
from portal.errors import EditConflict, InvalidInput, messages_of
from sharing.access import get_visible_or_404, principals_of
from sharing.models import Level

CASE_FIELDS = (
    "title",
    "summary",
    "status",
    "crime_types",
    "tlp",
    "handling_code",
    "handling_note",
    "source_reliability",
    "information_credibility",
    "do_not_reveal",
)
MARKING_FIELDS = (
    "tlp",
    "handling_code",
    "handling_note",
    "source_reliability",
    "information_credibility",
)
SEIZURE_FIELDS = (
    "case",
    "seized_on",
    "seized_at_time",
    "country",
    "place",
    "latitude",
    "longitude",
    "locode",
    "transport_mode",
    "origin_country",
    "departure_country",
    "transit_countries",
    "destination_country",
    "concealment",
    "summary",
    *MARKING_FIELDS,
    "do_not_reveal",
)


@dataclass(frozen=True)
class Nested:
    """A kind of row inside a seizure report, and the fields a client may write."""

    model: type[models.Model]
    fields: tuple[str, ...]


NESTED: dict[str, Nested] = {
    "items": Nested(SeizureItem, ("kind", *SeizureItem.KIND_FIELDS, "description")),
    "persons": Nested(
        Person,
        (
            "role",
            "full_name",
            "date_of_birth",
            "nationality",
            "passport_number",
            "passport_country",
            "mrz",
            "phone",
        ),
    ),
    "organisations": Nested(Organisation, ("role", "name", "registration_number", "country")),
    "vessels": Nested(Vessel, ("name", "imo", "mmsi", "flag", "vessel_type")),
    "containers": Nested(Container, ("number", "seal_number", "bill_of_lading")),
    "flights": Nested(
        Flight, ("designator", "flight_date", "departure_airport", "arrival_airport")
    ),
    "vehicles": Nested(Vehicle, ("plate", "country", "description")),
}

_COUNTRY_FIELDS = {
    "country",
    "origin_country",
    "departure_country",
    "destination_country",
    "nationality",
    "passport_country",
    "flag",
    "country_of_manufacture",
}


# --- helpers ----------------------------------------------------------------------------------


def acting_agency(user: Any) -> Agency:
    """The agency a user records for; members of no (active, unlocked) agency record nothing."""
    agency_id = principals_of(user).agency_id
    if agency_id is None:
        raise PermissionDenied(_("Only members of an agency can record cases and seizures."))
    return Agency.objects.get(pk=agency_id)


def _assign(instance: models.Model, data: Mapping[str, Any], fields: Iterable[str]) -> None:
    for name in fields:
        if name not in data:
            continue
        value = data[name]
        field = instance._meta.get_field(name)
        if isinstance(value, str):
            value = value.strip()
            if name in _COUNTRY_FIELDS:
                value = value.upper()
        if name == "transit_countries" and value is not None:
            value = [str(code).strip().upper() for code in value if str(code).strip()]
        if (
            value is None
            and not field.null
            and isinstance(field, models.CharField | models.TextField)
        ):
            value = ""
        setattr(instance, name, value)


def _errors_of(instance: models.Model, exclude: Sequence[str] = ()) -> dict[str, list[str]]:
    try:
        instance.full_clean(exclude=list(exclude), validate_unique=False)
    except ValidationError as exc:
        return messages_of(exc)
    return {}


def _snapshot(instance: models.Model, fields: Iterable[str]) -> dict[str, Any]:
    return {name: getattr(instance, name if name != "case" else "case_id") for name in fields}


def _changed(before: Mapping[str, Any], after: Mapping[str, Any]) -> list[str]:
    return [name for name in before if before[name] != after.get(name)]


def _active_grants(*, case: Case | None = None, seizure: SeizureReport | None = None) -> Any:
    from sharing.models import Grant

    now = timezone.now()
    where = Q(case=case) if case is not None else Q(seizure=seizure)
    return Grant.objects.filter(
        where, Q(expires_at__isnull=True) | Q(expires_at__gt=now), status=Grant.Status.ACTIVE
    )


def _refuse_stricter_tlp_while_shared(
    record: Case | SeizureReport, old_tlp: str, errors: dict[str, Any]
) -> None:
    """Raising a shared record's TLP would leave grants that the new TLP forbids."""
    if not is_stricter(record.tlp, old_tlp):
        return
    if isinstance(record, Case):
        count = _active_grants(case=record).count()
    else:
        count = _active_grants(seizure=record).count()
    if count:
        errors.setdefault("tlp", []).append(
            _(
                "This record is shared under %(count)s active grant(s). Revoke them before "
                "marking it more restrictively, then share it again under the new TLP."
            )
            % {"count": count}
        )


def audience(
    case: Case | None, seizure: SeizureReport | None = None, *, min_level: int
) -> dict[str, list[Any]]:
    """Owner agency + recipients of active grants at ``min_level`` or above on the record
    (for a seizure report: on it and on its case)."""
    from sharing.models import Grant

    owner = (case or seizure).owner_agency_id  # type: ignore[union-attr]
    where = Q()
    if case is not None:
        where |= Q(case=case)
    if seizure is not None:
        where |= Q(seizure=seizure)
    now = timezone.now()
    grants = Grant.objects.filter(
        where,
        Q(expires_at__isnull=True) | Q(expires_at__gt=now),
        status=Grant.Status.ACTIVE,
        level__gte=min_level,
    ).values_list("recipient_agency_id", "recipient_team_id", "recipient_user_id")
    agencies, teams, users = [owner], [], []
    for agency_id, team_id, user_id in grants:
        if agency_id and agency_id not in agencies:
            agencies.append(agency_id)
        if team_id and team_id not in teams:
            teams.append(team_id)
        if user_id and user_id not in users:
            users.append(user_id)
    from django.contrib.auth.models import User

    from agencies.models import Team

    return {
        "agencies": list(Agency.objects.filter(pk__in=agencies)),
        "teams": list(Team.objects.filter(pk__in=teams)),
        "users": list(User.objects.filter(pk__in=users)),
    }


# --- cases ------------------------------------------------------------------------------------


@transaction.atomic
def create_case(user: Any, data: Mapping[str, Any], *, request: HttpRequest | None = None) -> Case:
    agency = acting_agency(user)
    case = Case(owner_agency=agency, created_by=user)
    _assign(case, data, CASE_FIELDS)
    errors = _errors_of(case, exclude=["reference"])
    if errors:
        raise InvalidInput(errors)
    case.reference = ReferenceCounter.next_reference(agency, "C")
    case.save()
    audit("case.created", request=request, actor=user, obj=case, reference=case.reference)
    return case


@transaction.atomic
def update_case(
    user: Any,
    case_id: int,
    data: Mapping[str, Any],
    *,
    version: int | None,
    request: HttpRequest | None = None,
) -> Case:
    """Change the fields given in ``data``. ``version`` is the version the editor read."""
    get_visible_or_404(user, Case, Level.OWNER, pk=case_id)
    case = Case.objects.select_for_update().get(pk=case_id)
    if version is None:
        raise InvalidInput({"version": [_("Send the version of the case you edited.")]})
    if int(version) != case.version:
        raise EditConflict(case.version)
    before = _snapshot(case, CASE_FIELDS)
    _assign(case, data, CASE_FIELDS)
    errors: dict[str, Any] = _errors_of(case)
    _refuse_stricter_tlp_while_shared(case, before["tlp"], errors)
    if errors:
        raise InvalidInput(errors)
    changed = _changed(before, _snapshot(case, CASE_FIELDS))
    if not changed:
        return case
    if "status" in changed:
        closed = case.status in (Case.Status.CLOSED, Case.Status.ARCHIVED)
        case.closed_at = (case.closed_at or timezone.now()) if closed else None
    case.version += 1
    case.save()
    audit("case.changed", request=request, actor=user, obj=case, changed=changed)
    return case


# --- seizure reports --------------------------------------------------------------------------


def _resolve_case(user: Any, value: Any, errors: dict[str, Any]) -> Case | None:
    """The case a seizure report goes into: one of the user's agency's own cases."""
    if value in (None, ""):
        return None
    case_id = value.pk if isinstance(value, Case) else value
    try:
        return get_visible_or_404(user, Case, Level.OWNER, pk=int(case_id))
    except (Http404, TypeError, ValueError):
        errors["case"] = [_("No such case of your agency.")]
        return None


def _build_rows(
    seizure: SeizureReport,
    kind: str,
    incoming: Sequence[Mapping[str, Any]],
    existing: Mapping[int, models.Model],
    errors: dict[str, Any],
) -> list[models.Model]:
    spec = NESTED[kind]
    rows: list[models.Model] = []
    row_errors: dict[int, dict[str, list[str]]] = {}
    for index, data in enumerate(incoming):
        row_id = data.get("id")
        if row_id not in (None, ""):
            try:
                row = existing[int(row_id)]
            except (KeyError, TypeError, ValueError):
                row_errors[index] = {"id": [_("No such row in this seizure report.")]}
                continue
        else:
            row = spec.model(seizure=seizure) if seizure.pk else spec.model()
        _assign(row, data, spec.fields)
        found = _errors_of(row, exclude=["seizure"])
        if found:
            row_errors[index] = found
        rows.append(row)
    if row_errors:
        errors[kind] = row_errors
    return rows


def _row_values(rows: Iterable[models.Model], kind: str) -> list[tuple[Any, ...]]:
    fields = NESTED[kind].fields
    return [tuple(getattr(row, f) for f in fields) for row in rows]


def _save_seizure(
    user: Any,
    seizure: SeizureReport,
    data: Mapping[str, Any],
    nested: Mapping[str, Sequence[Mapping[str, Any]] | None],
    *,
    old_tlp: str | None,
    removed_rows: dict[str, int] | None = None,
) -> list[str]:
    """Validate everything, then write the report and its rows. Returns changed field names;
    ``removed_rows`` receives how many rows of each kind were deleted (for the audit entry)."""
    errors: dict[str, Any] = {}
    before = _snapshot(seizure, SEIZURE_FIELDS) if seizure.pk else {}
    if "case" in data:
        seizure.case = _resolve_case(user, data["case"], errors)
    _assign(seizure, data, [f for f in SEIZURE_FIELDS if f != "case"])
    found = _errors_of(seizure, exclude=["reference", *(["case"] if "case" in errors else [])])
    for name, messages in found.items():
        errors.setdefault(name, []).extend(messages)
    if old_tlp is not None:
        _refuse_stricter_tlp_while_shared(seizure, old_tlp, errors)

    plans: dict[str, tuple[list[models.Model], list[models.Model]]] = {}
    changed_rows: list[str] = []
    for kind, incoming in nested.items():
        if incoming is None:
            continue
        existing: dict[int, models.Model] = (
            {row.pk: row for row in getattr(seizure, kind).all()} if seizure.pk else {}
        )
        old_values = _row_values(existing.values(), kind)
        rows = _build_rows(seizure, kind, incoming, existing, errors)
        kept = {row.pk for row in rows if row.pk}
        removed = [row for pk, row in existing.items() if pk not in kept]
        plans[kind] = (rows, removed)
        if _row_values(rows, kind) != old_values:
            changed_rows.append(kind)
    if errors:
        raise InvalidInput(errors)

    changed = (
        _changed(before, _snapshot(seizure, SEIZURE_FIELDS)) + changed_rows if seizure.pk else []
    )
    if seizure.pk is None:
        seizure.reference = ReferenceCounter.next_reference(seizure.owner_agency, "S")
    elif changed:
        seizure.version += 1
    if seizure.pk is None or changed:
        seizure.save()
    for kind, (rows, removed) in plans.items():
        model = NESTED[kind].model
        if removed:
            model._default_manager.filter(pk__in=[row.pk for row in removed]).delete()
            if removed_rows is not None:
                removed_rows[kind] = len(removed)
        for row in rows:
            row.seizure = seizure  # type: ignore[attr-defined]
            row.save()
    index_identifiers(seizure)
    match_record(seizure, actor=user)  # deconfliction hits, in this transaction
    return changed


def check_new_seizure(
    user: Any,
    agency: Agency,
    data: Mapping[str, Any],
    nested: Mapping[str, Sequence[Mapping[str, Any]]],
    *,
    case: Case | None = None,
) -> tuple[SeizureReport, dict[str, list[models.Model]], dict[str, Any]]:
    """Validate a new seizure report and its rows exactly as ``create_seizure`` does, without
    writing anything: (report, rows by kind, errors). For imports, which check thousands of
    reports and then write them in bulk; ``case`` is one of ``agency``'s own cases, already
    read through the door."""
    seizure = SeizureReport(owner_agency=agency, created_by=user, case=case)
    _assign(seizure, data, [f for f in SEIZURE_FIELDS if f != "case"])
    # owner, author and case were read by the caller: no query per report to check them again
    errors: dict[str, Any] = _errors_of(
        seizure, exclude=["reference", "owner_agency", "created_by", "case"]
    )
    rows = {
        kind: _build_rows(seizure, kind, incoming, {}, errors) for kind, incoming in nested.items()
    }
    return seizure, rows, errors


@transaction.atomic
def create_seizure(
    user: Any,
    data: Mapping[str, Any],
    nested: Mapping[str, Sequence[Mapping[str, Any]] | None] | None = None,
    *,
    request: HttpRequest | None = None,
) -> SeizureReport:
    """A new seizure report with its items and linked entities, all or nothing."""
    agency = acting_agency(user)
    seizure = SeizureReport(owner_agency=agency, created_by=user)
    _save_seizure(user, seizure, data, nested or {}, old_tlp=None)
    counts = {kind: len(rows) for kind, rows in (nested or {}).items() if rows}
    audit(
        "seizure.created",
        request=request,
        actor=user,
        obj=seizure,
        reference=seizure.reference,
        rows=counts,
    )
    return seizure


@transaction.atomic
def update_seizure(
    user: Any,
    seizure_id: int,
    data: Mapping[str, Any],
    nested: Mapping[str, Sequence[Mapping[str, Any]] | None] | None = None,
    *,
    version: int | None,
    request: HttpRequest | None = None,
) -> SeizureReport:
    """Change a seizure report. A nested list that is given replaces the rows of its kind
    (rows with an ``id`` are updated, rows without one added, rows left out deleted); a list
    that is not given (``None``) leaves its rows alone."""
    get_visible_or_404(user, SeizureReport, Level.OWNER, pk=seizure_id)
    seizure = (
        SeizureReport.objects.select_for_update(of=("self",))
        .select_related("case")
        .get(pk=seizure_id)
    )
    if version is None:
        raise InvalidInput({"version": [_("Send the version of the report you edited.")]})
    if int(version) != seizure.version:
        raise EditConflict(seizure.version)
    removed: dict[str, int] = {}
    changed = _save_seizure(
        user, seizure, data, nested or {}, old_tlp=seizure.tlp, removed_rows=removed
    )
    if changed:
        audit(
            "seizure.changed",
            request=request,
            actor=user,
            obj=seizure,
            changed=changed,
            removed=removed,
        )
    return seizure


# --- messages ---------------------------------------------------------------------------------

MESSAGE_MAX_LENGTH = 5000


@transaction.atomic
def post_message(
    user: Any, case_id: int, body: str, *, request: HttpRequest | None = None
) -> CaseMessage:
    """A message in a case's thread: the owner agency and partners at contribute level."""
    case = get_visible_or_404(user, Case, Level.CONTRIBUTE, pk=case_id)
    text = (body or "").strip()
    if not text:
        raise InvalidInput({"body": [_("Write a message.")]})
    if len(text) > MESSAGE_MAX_LENGTH:
        raise InvalidInput(
            {"body": [_("A message is at most %(n)s characters.") % {"n": MESSAGE_MAX_LENGTH}]}
        )
    agency = acting_agency(user)
    message = CaseMessage.objects.create(case=case, author=user, agency=agency, body=text)
    audit(
        "message.created",
        request=request,
        actor=user,
        obj=message,
        object_agency=case.owner_agency,
        case=case.pk,
    )
    emit(
        "case.message",
        actor=user,
        obj=case,
        **audience(case, min_level=Level.CONTRIBUTE),
        message=message.pk,
    )
    return message


# --- attachments ------------------------------------------------------------------------------


def add_attachment(
    user: Any,
    upload: UploadedFile,
    *,
    case_id: int | None = None,
    seizure_id: int | None = None,
    kind: str = Attachment.AttachmentKind.PHOTO,
    description: str = "",
    request: HttpRequest | None = None,
) -> Attachment:
    """Evidence on a case or a seizure report, by its owner or a partner at contribute level.

    The file is checked (size, type by content), encrypted to disk, and recorded in one
    transaction; if that transaction fails, the stored file is removed again.
    """
    if (case_id is None) == (seizure_id is None):
        raise ValueError("an attachment belongs to a case or to a seizure report")
    stored: storage.Stored | None = None
    try:
        with transaction.atomic():
            case = get_visible_or_404(user, Case, Level.CONTRIBUTE, pk=case_id) if case_id else None
            seizure = (
                get_visible_or_404(user, SeizureReport, Level.CONTRIBUTE, pk=seizure_id)
                if seizure_id
                else None
            )
            agency = acting_agency(user)
            if kind not in Attachment.AttachmentKind.values:
                raise InvalidInput({"kind": [_("Choose photo, X-ray, document or other.")]})
            stored = storage.store(upload)  # raises InvalidInput on size or type
            attachment = Attachment.objects.create(
                case=case,
                seizure=seizure,
                agency=agency,
                uploaded_by=user,
                kind=kind,
                filename=stored.filename,
                description=(description or "").strip()[:500],
                content_type=stored.content_type,
                size=stored.size,
                sha256=stored.sha256,
                storage_name=stored.storage_name,
                key_id=stored.key_id,
            )
            record: Case | SeizureReport = case if case is not None else seizure  # type: ignore[assignment]
            audit(
                "attachment.uploaded",
                request=request,
                actor=user,
                obj=attachment,
                object_agency=record.owner_agency,
                record=record._meta.label_lower,
                record_id=record.pk,
                content_type=stored.content_type,
                size=stored.size,
                sha256=stored.sha256,
            )
            parent_case = case or (seizure.case if seizure is not None else None)
            emit(
                "case.evidence",
                actor=user,
                obj=parent_case or record,
                **audience(parent_case, seizure, min_level=Level.CONTRIBUTE),
                attachment=attachment.pk,
            )
            return attachment
    except BaseException:
        if stored is not None:
            storage.remove(stored.storage_name)
        raise


def open_attachment(
    user: Any, attachment_id: int, *, request: HttpRequest | None = None
) -> tuple[Attachment, Iterable[bytes]]:
    """The attachment and its decrypted content as a stream, for readers at level full."""
    attachment = Attachment.objects.filter(pk=attachment_id).first()
    if attachment is None:
        raise Http404(_("No such attachment."))
    if attachment.case_id:
        record: Case | SeizureReport = get_visible_or_404(
            user, Case, Level.FULL, pk=attachment.case_id
        )
    else:
        record = get_visible_or_404(user, SeizureReport, Level.FULL, pk=attachment.seizure_id)
    audit(
        "attachment.downloaded",
        request=request,
        actor=user,
        obj=attachment,
        object_agency=record.owner_agency,
        size=attachment.size,
    )
    return attachment, storage.open_decrypted(attachment)
