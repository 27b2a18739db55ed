"""``emit``: the one way to say that something happened that people must hear about."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction

from notifications.models import Event


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

    If the broker is down the row is still there: the periodic relay delivers it later.
    """
    event = Event.objects.create(
        kind=kind,
        actor=actor,
        roles=list(roles),
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        data=data,
    )
    if agencies:
        event.agencies.set(list(agencies))
    if teams:
        event.teams.set(list(teams))
    if users:
        event.users.set(list(users))

    def enqueue() -> None:
        from notifications.tasks import deliver_event

        try:
            deliver_event.delay(str(event.pk))
        except Exception:
            import logging

            logging.getLogger(__name__).warning(
                "broker unavailable; event %s left for the relay", event.pk
            )

    transaction.on_commit(enqueue)
    return event
