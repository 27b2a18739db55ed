"""Periodic sharing work, run by Celery beat (``CELERY_BEAT_SCHEDULE`` in settings).

Each task is safe to run twice or in parallel: rows are claimed with ``SKIP LOCKED`` and a
grant's status moves only from ``active``.
"""

from __future__ import annotations

from celery import shared_task


@shared_task(ignore_result=True)
def expire_grants() -> dict[str, int]:
    """End grants whose expiry has passed, and pending requests that can no longer be met."""
    from sharing.actions import expire_due_grants, expire_stale_requests

    return {"grants": expire_due_grants(), "requests": expire_stale_requests()}


@shared_task(ignore_result=True)
def warn_expiring_grants() -> int:
    """Tell owners and recipients three days before a grant ends."""
    from sharing.actions import warn_expiring_grants as warn

    return warn()
