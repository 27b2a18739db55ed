"""CSV export of audit entries. Each export is itself an audit entry (``audit.exported``)."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from datetime import UTC
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest, StreamingHttpResponse
from django.utils import timezone

from audit.access import shown_fields
from audit.log import record_list
from audit.models import AuditEntry

COLUMNS = [
    "id",
    "at_utc",
    "actor",
    "actor_agency",
    "action",
    "object_type",
    "object_id",
    "object_agency",
    "outcome",
    "source_ip",
    "request_id",
    "details",
    "seal",
    "chain_seq",
    "entry_hash",
]
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


class _Echo:
    def write(self, value: str) -> str:
        return value


def _cell(value: Any) -> str:
    text = "" if value is None else str(value)
    # A spreadsheet must not run a cell as a formula (CSV injection).
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


def row_of(user: Any, entry: AuditEntry) -> list[str]:
    shown = shown_fields(user, entry)
    object_agency = entry.object_agency if shown["object_agency"] else None
    return [
        _cell(value)
        for value in (
            entry.pk,
            entry.at.astimezone(UTC).isoformat(),
            entry.actor_username,
            entry.agency.acronym if entry.agency else "",
            entry.action,
            entry.object_type,
            entry.object_id,
            object_agency.acronym if object_agency else "",
            entry.outcome,
            entry.source_ip if shown["network"] else "",
            entry.request_id if shown["network"] else "",
            json.dumps(entry.details, sort_keys=True),
            entry.seal,
            entry.chain_seq,
            entry.entry_hash,
        )
    ]


def csv_response(
    request: HttpRequest, user: Any, entries: QuerySet[AuditEntry], filters: Any
) -> StreamingHttpResponse:
    count = entries.count()
    record_list(request, AuditEntry, filters, count, action="audit.exported", format="csv")
    writer = csv.writer(_Echo())

    def rows() -> Iterator[str]:
        yield writer.writerow(COLUMNS)
        for entry in entries.iterator(chunk_size=2000):
            yield writer.writerow(row_of(user, entry))

    stamp = timezone.now().strftime("%Y%m%dT%H%M%SZ")
    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="enlace-audit-{stamp}.csv"'
    return response
