from __future__ import annotations

import time

from celery import shared_task
from celery.signals import worker_ready
from django.core.cache import cache

HEARTBEAT_KEY = "worker-heartbeat"


def beat() -> None:
    cache.set(HEARTBEAT_KEY, time.time(), timeout=None)


@shared_task(ignore_result=True)
def heartbeat() -> float:
    """Run by beat every 20 s: proves broker, beat and a worker all work."""
    now = time.time()
    cache.set(HEARTBEAT_KEY, now, timeout=None)
    return now


@worker_ready.connect
def _on_worker_ready(**_: object) -> None:
    beat()


@shared_task
def record_probe(token: str) -> None:
    """A task whose only effect is a row in PostgreSQL: used to prove the Celery round trip."""
    from portal.models import Probe

    Probe.objects.get_or_create(token=token)


@shared_task(ignore_result=True)
def pseudonymise_personal_data() -> dict[str, int]:
    """Daily (beat): pseudonymise people of cases closed longer than the retention period."""
    from portal.retention import pseudonymise_due

    return pseudonymise_due()
