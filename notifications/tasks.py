from __future__ import annotations

from celery import shared_task


@shared_task(acks_late=True)
def deliver_event(event_id: str) -> None:
    """Fan an event out to its audience (filled in by the notifications work)."""
    from notifications.delivery import deliver

    deliver(event_id)
