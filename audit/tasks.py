from __future__ import annotations

from celery import shared_task

from audit.log import chain_pending


@shared_task(ignore_result=True)
def chain_audit_log() -> int:
    """Run by beat every few seconds: chain the audit entries committed since the last run.

    A run that finds another chainer at work leaves the entries to it."""
    return chain_pending()
