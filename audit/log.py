"""Writing the audit log. Every state change and every read of a record calls ``record``.

Entries are chained: each entry's hash is an HMAC (key outside the database) over the previous
entry's hash and the entry's own fields, so editing or removing a row breaks the chain from
that row on (``manage.py verify_audit``). A transaction-scoped advisory lock orders writers.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from base64 import urlsafe_b64decode
from functools import cache
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.http import HttpRequest
from django.utils import timezone

from audit.models import AuditEntry

GENESIS = "0" * 64
_CHAIN_LOCK = 0x45_4E_4C_41  # pg_advisory_xact_lock key for the audit chain


@cache
def _chain_key() -> bytes:
    encoded = settings.AUDIT_CHAIN_KEY
    return urlsafe_b64decode(encoded + "=" * (-len(encoded) % 4))


def canonical(entry: AuditEntry) -> bytes:
    payload = {
        "at": entry.at.isoformat(),
        "actor": entry.actor_id,
        "actor_username": entry.actor_username,
        "agency": entry.agency_id,
        "action": entry.action,
        "object_type": entry.object_type,
        "object_id": entry.object_id,
        "object_agency": entry.object_agency_id,
        "outcome": entry.outcome,
        "source_ip": entry.source_ip,
        "request_id": entry.request_id,
        "details": entry.details,
    }
    return json.dumps(payload, sort_keys=True, separators=(",", ":"), default=str).encode()


def entry_hash(prev_hash: str, entry: AuditEntry) -> str:
    return hmac.new(
        _chain_key(), prev_hash.encode() + b"\x1e" + canonical(entry), hashlib.sha256
    ).hexdigest()


def client_ip(request: HttpRequest | None) -> str | None:
    if request is None:
        return None
    if getattr(settings, "SECURE_PROXY_SSL_HEADER", None):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.split(",")[0].strip() or None
    return request.META.get("REMOTE_ADDR") or None


def record(
    action: str,
    *,
    request: HttpRequest | None = None,
    actor: Any = None,
    obj: Any = None,
    object_type: str = "",
    object_id: str | int = "",
    object_agency: Any = None,
    outcome: str = AuditEntry.Outcome.SUCCESS,
    **details: Any,
) -> AuditEntry:
    """Append one entry. Runs inside the caller's transaction, so it commits or rolls back
    with the change it describes."""
    if actor is None and request is not None:
        user = getattr(request, "user", None)
        actor = user if user is not None and user.is_authenticated else None
    membership = getattr(actor, "membership", None) if actor is not None else None
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or obj.pk
        if object_agency is None:
            object_agency = getattr(obj, "owner_agency", None)
    entry = AuditEntry(
        at=timezone.now(),
        actor=actor,
        actor_username=(actor.get_username() if actor is not None else details.pop("username", "")),
        agency=membership.agency if membership is not None else None,
        action=action,
        object_type=object_type,
        object_id=str(object_id) if object_id != "" else "",
        object_agency=object_agency,
        outcome=outcome,
        source_ip=client_ip(request),
        request_id=getattr(request, "request_id", "") if request is not None else "",
        details=json.loads(json.dumps(details, default=str)),
    )
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_CHAIN_LOCK])
        last = AuditEntry.objects.order_by("-id").values_list("entry_hash", flat=True).first()
        entry.prev_hash = last or GENESIS
        entry.entry_hash = entry_hash(entry.prev_hash, entry)
        entry.save(force_insert=True)
    return entry
