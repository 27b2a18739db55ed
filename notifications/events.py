"""``emit``: the one way to say that something happened that people must hear about."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction

from notifications import kinds
from notifications.models import Event

log = logging.getLogger(__name__)

# Publishing waits at most about a second for a broker that is down (for one that does not
# answer: REDIS_TIMEOUT_SECONDS per try, then none while portal/deadlines.py backs off): the
# request that caused the event has committed already, and the relay delivers what could not be
# enqueued.


def _give_up_on_timeouts(exc: BaseException, interval: float) -> None:
    """A broker that did not answer in time will not answer the next try either: each try would
    wait REDIS_TIMEOUT_SECONDS again. Give up at once; refused or reset connections (a broker
    restarting, a stale connection) are tried again."""
    from redis.exceptions import TimeoutError as RedisTimeoutError

    if isinstance(exc, RedisTimeoutError | TimeoutError):
        raise exc


PUBLISH_RETRY: dict[str, Any] = {
    "max_retries": 2,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.5,
    "errback": _give_up_on_timeouts,
}


def record_of(obj: Any) -> tuple[str, int | None]:
    """The case or seizure report an object is about (``("", None)`` for none).

    Cases and seizure reports are themselves; requests, grants, messages and attachments point
    at one through ``case_id`` / ``seizure_id``; a hit is about its reader's own record.
    """
    if obj is None:
        return "", None
    label = obj._meta.label_lower
    if label == "cases.case":
        return "case", obj.pk
    if label == "cases.seizurereport":
        return "seizure", obj.pk
    our_seizure = getattr(obj, "our_seizure_id", None)
    if our_seizure is not None:
        return "seizure", our_seizure
    case_id = getattr(obj, "case_id", None)
    if case_id is not None:
        return "case", case_id
    seizure_id = getattr(obj, "seizure_id", None)
    if seizure_id is not None:
        return "seizure", seizure_id
    return "", None


def _default_data(kind: str, obj: Any) -> dict[str, Any]:
    """Ids the sentence of a kind needs, read from the object when the emitter gave none."""
    if obj is None:
        return {}
    label = obj._meta.label_lower
    if label == "sharing.sharerequest":
        if kind == "share_request.decided":
            return {"agency_id": obj.owner_agency_id, "decision": obj.status}
        return {"agency_id": obj.requesting_agency_id}
    if label == "sharing.grant":
        data: dict[str, Any] = {"agency_id": obj.owner_agency_id}
        if obj.expires_at is not None:
            data["expires_at"] = obj.expires_at.isoformat()
        return data
    if label == "hits.hit":
        # The other side is named only when it agreed to be revealed.
        return {"agency_id": obj.their_agency_id} if obj.revealed else {}
    if label == "agencies.trustlevel":
        return {
            "from_agency_id": obj.from_agency_id,
            "to_agency_id": obj.to_agency_id,
            "level": obj.level,
        }
    return {}


def _event(kind: str, actor: Any, obj: Any, roles: Iterable[str], data: dict[str, Any]) -> Event:
    if kind not in kinds.KINDS:
        raise ValueError(f"unknown notification kind {kind!r} (see notifications/kinds.py)")
    record_type, record_id = record_of(obj)
    return Event(
        kind=kind,
        actor=actor if actor is not None and getattr(actor, "pk", None) else None,
        roles=list(roles),
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        record_type=record_type,
        record_id=record_id,
        data={**_default_data(kind, obj), **data},
    )


def emit(
    kind: str,
    *,
    actor: Any = None,
    obj: Any = None,
    agencies: Iterable[Any] = (),
    roles: Iterable[str] = (),
    teams: Iterable[Any] = (),
    users: Iterable[Any] = (),
    **data: Any,
) -> Event:
    """Write an outbox event in the current transaction; after commit, ask a worker to deliver.

    ``data`` carries ids only, never record content: the text is built when it is shown,
    through the access door. If the broker is down the row is still there: the relay
    delivers it a few seconds after the broker is back.
    """
    event = _event(kind, actor, obj, roles, data)
    event.save(force_insert=True)
    if agencies:
        event.agencies.set(list(agencies))
    if teams:
        event.teams.set(list(teams))
    if users:
        event.users.set(list(users))
    event_id = str(event.pk)
    transaction.on_commit(lambda: enqueue(event_id))
    return event


@dataclass(frozen=True)
class Emission:
    """One event of ``emit_many``: as ``emit``'s arguments, its audience agencies by id."""

    obj: Any
    agency_ids: tuple[int, ...]
    actor: Any = None
    data: dict[str, Any] = field(default_factory=dict)


def emit_many(
    kind: str, emissions: Iterable[Emission], *, roles: Iterable[str] = ()
) -> list[Event]:
    """``emit`` for many events of one kind addressed to agencies (the hits of one save):
    two INSERT statements whatever their number, the same rows ``emit`` writes."""
    planned = list(emissions)
    events = [_event(kind, e.actor, e.obj, roles, e.data) for e in planned]
    if not events:
        return []
    Event.objects.bulk_create(events)
    through = Event.agencies.through
    through.objects.bulk_create(
        through(event_id=event.pk, agency_id=agency)
        for event, emission in zip(events, planned, strict=True)
        for agency in dict.fromkeys(emission.agency_ids)
    )
    event_ids = [str(event.pk) for event in events]

    def enqueue_all() -> None:
        for event_id in event_ids:
            enqueue(event_id)

    transaction.on_commit(enqueue_all)
    return events


def enqueue(event_id: str) -> None:
    """Ask a worker to fan the event out now; a broker failure only delays it to the relay."""
    from notifications.tasks import deliver_event
    from portal.deadlines import redis_backoff

    if redis_backoff.waiting():  # Redis failed moments ago: do not make the request wait again
        log.warning("broker unavailable moments ago; event %s left for the relay", event_id)
        return
    try:
        deliver_event.apply_async((event_id,), retry_policy=PUBLISH_RETRY)
    except Exception:
        redis_backoff.failed()
        log.warning("broker unavailable; event %s left for the relay", event_id)
