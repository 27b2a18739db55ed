from __future__ import annotations

from celery import shared_task

from imports import actions


@shared_task(ignore_result=True)
def erase_stale_imports() -> int:
    """Daily: the files of imports nobody finished are erased (docs/IMPORT.md)."""
    return actions.erase_stale()
