"""How a notification reads for one reader, built when shown, through the access door.

The event carries ids only. The record's reference and title appear only when the reader may
see the record now (``sharing.access``); otherwise the notification shows its kind and
"No longer available", and no link. One query per record model and one for agency acronyms,
whatever the number of notifications shown.
"""

from __future__ import annotations

import string
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.urls import NoReverseMatch, reverse
from django.utils import formats
from django.utils.dateparse import parse_datetime

from agencies.models import Agency
from cases.markings import Tlp
from notifications import kinds
from notifications.models import Event, Notification
from sharing import access


@dataclass(frozen=True)
class RecordLabel:
    reference: str
    title: str
    tlp: str

    def text(self, *, with_title: bool = True) -> str:
        return f"{self.reference} — {self.title}" if with_title and self.title else self.reference


@dataclass
class Shown:
    """One notification as its reader sees it."""

    id: int
    event_id: str
    kind: str
    label: str
    text: str
    available: bool
    record: str | None
    created_at: datetime
    read_at: datetime | None
    url: str | None

    @property
    def unread(self) -> bool:
        return self.read_at is None


def visible_records(user: Any, events: Sequence[Event]) -> dict[tuple[str, int], RecordLabel]:
    """The records of these events that ``user`` may see now: one query per model."""
    wanted: dict[str, set[int]] = {"case": set(), "seizure": set()}
    for event in events:
        if event.record_type in wanted and event.record_id is not None:
            wanted[event.record_type].add(event.record_id)
    found: dict[tuple[str, int], RecordLabel] = {}
    if wanted["case"]:
        for pk, reference, title, tlp in (
            access.visible_cases(user)
            .filter(pk__in=wanted["case"])
            .values_list("pk", "reference", "title", "tlp")
        ):
            found["case", pk] = RecordLabel(reference, title, tlp)
    if wanted["seizure"]:
        for pk, reference, tlp in (
            access.visible_seizures(user)
            .filter(pk__in=wanted["seizure"])
            .values_list("pk", "reference", "tlp")
        ):
            found["seizure", pk] = RecordLabel(reference, "", tlp)
    return found


def agency_names(events: Sequence[Event]) -> dict[int, str]:
    ids = {
        value
        for event in events
        for key, value in event.data.items()
        if key.endswith("agency_id") and isinstance(value, int)
    }
    if not ids:
        return {}
    return dict(Agency.objects.filter(pk__in=ids).values_list("pk", "acronym"))


def _placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def _format_date(value: Any) -> str | None:
    parsed = parse_datetime(value) if isinstance(value, str) else None
    return formats.date_format(parsed, "DATE_FORMAT") if parsed is not None else None


def sentence(
    event: Event,
    record: RecordLabel | None,
    agencies: dict[int, str],
    *,
    with_title: bool = True,
) -> tuple[str, str, bool]:
    """``(label, text, available)`` of an event for a reader who sees ``record`` (or not)."""
    kind = kinds.get(event.kind)
    label, text = kind.variant(event.data)
    if kind.has_record and record is None:
        return str(label), str(kinds.NO_LONGER_AVAILABLE), False
    data = event.data
    values: dict[str, str] = {}
    if record is not None:
        values["record"] = record.text(with_title=with_title)
    for key in ("agency", "from_agency", "to_agency"):
        name = agencies.get(data.get(f"{key}_id"))
        if name:
            values[key] = name
    level = data.get("new_level", data.get("level"))
    if level is not None:
        values["level"] = str(level)
    date = _format_date(data.get("expires_at"))
    if date:
        values["date"] = date
    for candidate in (str(text), str(kind.fallback or "")):
        if candidate and _placeholders(candidate) <= values.keys():
            return str(label), candidate.format(**values), True
    return str(label), "", True


def open_url(notification_id: int) -> str | None:
    try:
        return reverse("notifications:open", args=[notification_id])
    except NoReverseMatch:
        return None


def present(user: Any, notifications: Sequence[Notification]) -> list[Shown]:
    """Each notification (with its ``event`` loaded) as ``user`` may see it."""
    events = [n.event for n in notifications]
    records = visible_records(user, events)
    agencies = agency_names(events)
    shown = []
    for notification in notifications:
        event = notification.event
        record = (
            records.get((event.record_type, event.record_id))
            if event.record_id is not None
            else None
        )
        label, text, available = sentence(event, record, agencies)
        shown.append(
            Shown(
                id=notification.pk,
                event_id=str(event.pk),
                kind=event.kind,
                label=label,
                text=text,
                available=available,
                record=record.text() if record is not None else None,
                created_at=notification.created_at,
                read_at=notification.read_at,
                url=open_url(notification.pk) if available else None,
            )
        )
    return shown


def email_record(record: RecordLabel | None) -> bool:
    """E-mail leaves the portal: the title of a TLP:RED record stays inside it."""
    return record is not None and record.tlp != Tlp.RED


def target_url(event: Event) -> str | None:
    """Where opening a notification leads: the record's (or request's, hit's) page."""
    candidates: list[tuple[str, Any]] = []
    if event.object_type == "sharing.sharerequest":
        candidates += [("sharing:request_detail", event.object_id)]
    elif event.object_type == "hits.hit":
        candidates += [(name, event.object_id) for name in ("hits:hit", "hits:detail")]
    # The pages of other apps may not exist yet on a given deployment: the first that does.
    if event.record_type == "case":
        candidates += [(name, event.record_id) for name in ("cases:case", "cases:case_detail")]
    elif event.record_type == "seizure":
        candidates += [
            (name, event.record_id) for name in ("cases:seizure", "cases:seizure_detail")
        ]
    for name, pk in candidates:
        try:
            return reverse(name, args=[pk])
        except NoReverseMatch:
            continue
    return None
