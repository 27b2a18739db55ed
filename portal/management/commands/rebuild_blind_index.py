from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from audit.log import record


class Command(BaseCommand):
    help = (
        "Recompute every identifier blind index (cases.Identifier) from the decrypted, "
        "normalised values with the current ENLACE_BLIND_INDEX_KEY, report by report in "
        "batches. Run after changing the blind-index key (docs/KEYS.md)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--batch-size", type=int, default=200)

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            from cases.identifiers import index_identifiers
        except ImportError as exc:
            raise CommandError("this version of the cases app has no blind indexes") from exc
        from portal import crypto

        crypto._blind_index_key.cache_clear()
        from cases.models import SeizureReport

        size = options["batch_size"]
        ids = list(SeizureReport.objects.order_by("pk").values_list("pk", flat=True))
        reports = rows = 0
        for start in range(0, len(ids), size):
            batch = ids[start : start + size]
            with transaction.atomic():
                seizures = (
                    SeizureReport.objects.select_for_update(of=("self",))
                    .filter(pk__in=batch)
                    .order_by("pk")
                )
                for seizure in seizures:
                    rows += len(index_identifiers(seizure))
                    reports += 1
        record(
            "keys.blind_index_rebuilt", object_type="cases.identifier", reports=reports, rows=rows
        )
        self.stdout.write(f"rebuilt {rows} blind-index rows of {reports} seizure reports")
