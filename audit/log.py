"""Writing the audit log. Every state change and every read of a record calls ``record``.

Entries are sealed when written and chained soon after:

- ``seal`` — an HMAC (key outside the database) over the entry's own fields, computed as the
  entry is inserted. Writing takes no lock: many requests append at once.
- ``chain_seq`` / ``prev_hash`` / ``entry_hash`` — given by ``chain_pending`` (the Celery beat
  task ``audit.tasks.chain_audit_log`` every few seconds, and ``verify_audit`` before it
  checks), one chainer at a time under a transaction-scoped advisory lock: each entry's hash is
  an HMAC over the previous entry's hash and the entry's fields, in the order the chainer
  found the entries committed. Editing or removing a chained row breaks the chain from that
  row on; editing an entry not yet chained breaks its seal (``manage.py verify_audit``). The
  database lets an entry be given its place in the chain once and refuses every other change.

Two ways to write:

- ``record(...)`` runs inside the caller's transaction, so the entry commits or rolls back
  with the change it describes (a creation that rolled back did not happen).
- ``record(..., durable=True)`` (and ``record_denied``, the sign-in failure receiver) is for
  failures: the entry must survive even if the surrounding transaction rolls back. Outside a
  transaction it commits at once. Inside one it is written there too (visible at once), and
  kept in a per-connection list until that transaction commits; if it rolls back instead, the
  entry is written again on the committed (autocommit) path as soon as the connection leaves
  the transaction: at the end of the request (``AuditFlushMiddleware``), after a Celery task,
  or at the next ``record`` call outside a transaction (``flush_pending``).

Helpers for callers: ``record_view``, ``record_denied``, ``record_list``.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
from base64 import urlsafe_b64decode
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Model
from django.http import HttpRequest
from django.utils import timezone

from audit.models import AuditEntry

logger = logging.getLogger(__name__)

GENESIS = "0" * 64
CHAIN_LOCK = 0x45_4E_4C_41  # pg_advisory_xact_lock key of the chainer (also in 0002, 0003)
CHAIN_BATCH = 2000  # entries chained per transaction

# Model label -> the noun used in action names (``case.viewed``, ``seizure.listed``).
NOUNS: dict[str, str] = {
    "cases.case": "case",
    "cases.seizurereport": "seizure",
    "cases.attachment": "attachment",
    "cases.casemessage": "message",
    "hits.hit": "hit",
    "sharing.sharerequest": "share_request",
    "sharing.grant": "grant",
    "agencies.agency": "agency",
    "agencies.team": "team",
    "auth.user": "user",
    "audit.auditentry": "audit",
}


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


def entry_seal(entry: AuditEntry) -> str:
    return hmac.new(_chain_key(), b"seal\x1e" + canonical(entry), hashlib.sha256).hexdigest()


def client_ip(request: HttpRequest | None) -> str | None:
    if request is None:
        return None
    if getattr(settings, "SECURE_PROXY_SSL_HEADER", None):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.split(",")[0].strip() or None
    return request.META.get("REMOTE_ADDR") or None


def noun_of(model_or_label: type[Model] | Model | str) -> str:
    label = model_or_label if isinstance(model_or_label, str) else model_or_label._meta.label_lower
    return NOUNS.get(label, label.rpartition(".")[2])


def build_entry(
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
    """An unsaved, unchained entry with who / agency / where / request id filled in."""
    if actor is None and request is not None:
        user = getattr(request, "user", None)
        actor = user if user is not None and user.is_authenticated else None
    membership = None
    if actor is not None:
        try:
            membership = actor.membership
        except Exception:  # no membership row (platform operator accounts, service users)
            membership = None
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or obj.pk
        if object_agency is None:
            object_agency = getattr(obj, "owner_agency", None)
    username = details.pop("username", "")
    return AuditEntry(
        at=timezone.now(),
        actor=actor,
        actor_username=(actor.get_username() if actor is not None else str(username))[:150],
        agency=membership.agency if membership is not None else None,
        action=action,
        object_type=object_type,
        object_id=str(object_id)[:64] if object_id != "" else "",
        object_agency_id=getattr(object_agency, "pk", object_agency),
        outcome=outcome,
        source_ip=client_ip(request),
        request_id=getattr(request, "request_id", "") if request is not None else "",
        details=json.loads(json.dumps(details, default=str)),
    )


def _append(entry: AuditEntry) -> AuditEntry:
    """Seal and insert ``entry`` in the current transaction (or on its own): one INSERT, no
    lock. ``chain_pending`` gives it its place in the chain once it has committed."""
    entry.seal = entry_seal(entry)
    entry.save(force_insert=True)
    return entry


def chain_pending(*, wait: bool = False, limit: int | None = None) -> int:
    """Chain the committed entries that have no place in the chain yet, oldest id first.

    One chainer at a time: with ``wait`` it queues for the chain lock (``verify_audit``, the
    purge), without it it leaves the work to whoever holds the lock (the beat task). An entry
    whose transaction commits later than a newer id's is chained after it: the chain records
    the order in which entries were found committed. Returns how many entries were chained."""
    chained = 0
    while limit is None or chained < limit:
        batch_size = CHAIN_BATCH if limit is None else min(CHAIN_BATCH, limit - chained)
        with transaction.atomic(), connection.cursor() as cursor:
            if wait:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [CHAIN_LOCK])
            else:
                cursor.execute("SELECT pg_try_advisory_xact_lock(%s)", [CHAIN_LOCK])
                if not cursor.fetchone()[0]:
                    return chained
            batch = list(
                AuditEntry.objects.filter(chain_seq__isnull=True).order_by("id")[:batch_size]
            )
            if not batch:
                return chained
            head = (
                AuditEntry.objects.filter(chain_seq__isnull=False)
                .order_by("-chain_seq")
                .values_list("chain_seq", "entry_hash")
                .first()
            )
            seq, prev = (int(head[0] or 0), head[1] or GENESIS) if head else (0, GENESIS)
            rows: list[tuple[int, int, str, str]] = []
            for entry in batch:
                seq += 1
                link = entry_hash(prev, entry)
                rows.append((entry.pk, seq, prev, link))
                prev = link
            values = ", ".join(["(%s::bigint, %s::bigint, %s, %s)"] * len(rows))
            cursor.execute(
                "UPDATE audit_auditentry AS e SET chain_seq = v.seq, prev_hash = v.prev, "  # noqa: S608  # nosec B608
                f"entry_hash = v.link FROM (VALUES {values}) AS v (id, seq, prev, link) "
                "WHERE e.id = v.id AND e.chain_seq IS NULL",
                [value for row in rows for value in row],
            )
        chained += len(batch)
    return chained


@dataclass
class _Pending:
    """Durable entries written inside a transaction that has not committed yet."""

    entries: list[AuditEntry] = field(default_factory=list)


def _pending() -> _Pending:
    pending = getattr(connection, "_enlace_audit_pending", None)
    if pending is None:
        pending = _Pending()
        connection._enlace_audit_pending = pending  # type: ignore[attr-defined]
    return pending


def _copy(entry: AuditEntry) -> AuditEntry:
    return AuditEntry(
        at=entry.at,
        actor_id=entry.actor_id,
        actor_username=entry.actor_username,
        agency_id=entry.agency_id,
        action=entry.action,
        object_type=entry.object_type,
        object_id=entry.object_id,
        object_agency_id=entry.object_agency_id,
        outcome=entry.outcome,
        source_ip=entry.source_ip,
        request_id=entry.request_id,
        details={**entry.details, "rolled_back_with_transaction": True},
    )


def flush_pending() -> int:
    """Write again, on the committed path, durable entries whose transaction rolled back.

    Does nothing while the connection is still inside a transaction (it may yet commit)."""
    pending = getattr(connection, "_enlace_audit_pending", None)
    if pending is None or not pending.entries or connection.in_atomic_block:
        return 0
    entries, pending.entries = pending.entries, []
    written = 0
    for entry in entries:
        try:
            _append(_copy(entry))
            written += 1
        except Exception:
            logger.exception("could not write a rolled-back audit entry: %s", entry.action)
    return written


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
    durable: bool = False,
    **details: Any,
) -> AuditEntry:
    """Append one entry.

    By default it runs inside the caller's transaction, so it commits or rolls back with the
    change it describes. ``durable=True`` keeps it even if that transaction rolls back (for
    denials and failures; see the module docstring)."""
    entry = build_entry(
        action,
        request=request,
        actor=actor,
        obj=obj,
        object_type=object_type,
        object_id=object_id,
        object_agency=object_agency,
        outcome=outcome,
        **details,
    )
    _mark_seen(request, entry)
    if not connection.in_atomic_block:
        flush_pending()
        return _append(entry)
    if durable and connection.needs_rollback:
        # The transaction is already broken: nothing can be written in it; keep the entry
        # for the committed path after its rollback.
        _pending().entries.append(entry)
        return entry
    _append(entry)
    if durable:
        pending = _pending()
        pending.entries.append(entry)

        def committed(entry: AuditEntry = entry) -> None:
            if entry in pending.entries:
                pending.entries.remove(entry)

        transaction.on_commit(committed)
    return entry


def record_many(entries: list[AuditEntry]) -> list[AuditEntry]:
    """Append several entries made by ``build_entry`` in one INSERT, in the caller's
    transaction (as ``record`` without ``durable``): the entries of one action that tells
    many agencies, e.g. the hits of one save."""
    for entry in entries:
        entry.seal = entry_seal(entry)
    if not connection.in_atomic_block:
        flush_pending()
    return AuditEntry.objects.bulk_create(entries) if entries else []


# Sign-in events come from Django's auth signals (audit.signals) and may also be recorded by
# the sign-in views themselves, with more detail. Within a request that passes through
# AuditFlushMiddleware the signal's entry waits for the end of the request and is dropped if
# the view recorded the same action for the same account: one entry per event either way.
_DEFERRED = "_enlace_audit_deferred"
_SEEN = "_enlace_audit_seen"


def _key(action: str, actor_username: str) -> tuple[str, str]:
    return (action, actor_username)


def _mark_seen(request: HttpRequest | None, entry: AuditEntry) -> None:
    seen = getattr(request, _SEEN, None)
    if seen is not None:
        seen.add(_key(entry.action, entry.actor_username))


def begin_request(request: HttpRequest) -> None:
    setattr(request, _DEFERRED, [])
    setattr(request, _SEEN, set())


def record_unless_recorded(action: str, *, request: HttpRequest | None, **kwargs: Any) -> None:
    """``record`` now, or (inside a request) at its end unless the view recorded it itself."""
    deferred = getattr(request, _DEFERRED, None)
    if deferred is None:
        record(action, request=request, **kwargs)
    else:
        deferred.append((action, kwargs))


def end_request(request: HttpRequest) -> None:
    deferred: list[tuple[str, dict[str, Any]]] = getattr(request, _DEFERRED, None) or []
    seen: set[tuple[str, str]] = getattr(request, _SEEN, set())
    setattr(request, _DEFERRED, None)
    for action, kwargs in deferred:
        probe = {name: value for name, value in kwargs.items() if name != "durable"}
        entry = build_entry(action, request=request, **probe)
        if _key(action, entry.actor_username) in seen:
            continue
        try:
            record(action, request=request, **kwargs)
        except Exception:
            logger.exception("could not write the audit entry %s", action)
    flush_pending()


def record_view(
    request: HttpRequest, obj: Model, *, action: str = "", **details: Any
) -> AuditEntry:
    """A successful read of one record (page or API detail): ``<noun>.viewed``."""
    return record(action or f"{noun_of(obj)}.viewed", request=request, obj=obj, **details)


def record_denied(
    request: HttpRequest,
    model: type[Model] | str,
    object_id: str | int,
    *,
    action: str = "",
    object_agency: Any = None,
    **details: Any,
) -> AuditEntry:
    """A refused read or change of one record (the caller answered 404): outcome ``denied``.

    The owner agency is looked up (id only, for "who tried to open our case"); nothing of the
    record goes into the entry, and the owner is shown only to that agency's admins."""
    label = model if isinstance(model, str) else model._meta.label_lower
    if object_agency is None and not isinstance(model, str):
        object_agency = _owner_agency_id(model, object_id)
    return record(
        action or f"{noun_of(label)}.viewed",
        request=request,
        object_type=label,
        object_id=object_id,
        object_agency=object_agency,
        outcome=AuditEntry.Outcome.DENIED,
        durable=True,
        **details,
    )


def _owner_agency_id(model: type[Model], object_id: str | int) -> int | None:
    if not any(f.name == "owner_agency" for f in model._meta.get_fields()):
        return None
    try:
        found: int | None = (
            model._default_manager.filter(pk=object_id)
            .values_list("owner_agency_id", flat=True)
            .first()
        )
    except (ValueError, TypeError):
        return None
    except Exception:  # a malformed id the database refuses: nothing to attribute
        logger.debug("no owner for %s %r", model._meta.label_lower, object_id)
        return None
    return found


def _filter_value(name: str, value: Any, sensitive: set[str]) -> Any:
    if name in sensitive and value not in ("", None):
        from portal.crypto import blind_index

        # Searched identifiers are personal data: keep a keyed digest an investigator can
        # reproduce for a known value, never the value itself.
        return "hmac:" + blind_index("audit-filter", str(value).strip().casefold())[:32]
    return value


def clean_filters(
    filters: Mapping[str, Any] | None, sensitive: set[str] | None = None
) -> dict[str, Any]:
    """The filters that were actually used (empty ones dropped; sensitive ones digested)."""
    if not filters:
        return {}
    secret_names = sensitive or set()
    cleaned: dict[str, Any] = {}
    getlist = getattr(filters, "getlist", None)
    for name in sorted(filters):
        if name in {"csrfmiddlewaretoken", "page", "page_size", "format"}:
            continue
        values = getlist(name) if getlist is not None else [filters[name]]
        values = [v for v in values if v not in ("", None)]
        if not values:
            continue
        digested = [_filter_value(name, v, secret_names) for v in values]
        cleaned[name] = digested[0] if len(digested) == 1 else digested
    return cleaned


def record_list(
    request: HttpRequest,
    model: type[Model] | str,
    filters: Mapping[str, Any] | None,
    count: int | str,
    *,
    action: str = "",
    sensitive: set[str] | None = None,
    **details: Any,
) -> AuditEntry:
    """A list, search or export: which filters, how many rows (``<noun>.listed``)."""
    label = model if isinstance(model, str) else model._meta.label_lower
    return record(
        action or f"{noun_of(label)}.listed",
        request=request,
        object_type=label,
        filters=clean_filters(filters, sensitive),
        rows=count,
        **details,
    )
