"""Rebuild the search index of messages (keyed stems). Run after the blind-index key changes,
with ``rebuild_blind_index`` (docs/KEYS.md)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from audit.log import record
from cases.models import CaseMessage
from insight.messages import reindex
from portal import crypto


class Command(BaseCommand):
    help = "Recompute the keyed search terms of every case message (docs/INSIGHT.md)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--batch-size", type=int, default=500)

    def handle(self, *args: Any, **options: Any) -> None:
        crypto._blind_index_key.cache_clear()
        messages = CaseMessage.objects.order_by("pk").iterator(chunk_size=options["batch_size"])
        done = reindex(messages, batch=options["batch_size"])
        record("keys.search_index_rebuilt", object_type="insight.messageterms", messages=done)
        self.stdout.write(f"rebuilt the search terms of {done} messages")
