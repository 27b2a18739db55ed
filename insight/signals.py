"""Keeps the message search index in step: a new message gets its terms in the same
transaction (a rolled-back message leaves none)."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_save
from django.dispatch import receiver

from cases.models import CaseMessage
from insight.messages import index_message


@receiver(post_save, sender=CaseMessage, dispatch_uid="insight.index_message")
def _index_message(sender: Any, instance: CaseMessage, raw: bool = False, **kwargs: Any) -> None:
    if raw:
        return
    index_message(instance)
