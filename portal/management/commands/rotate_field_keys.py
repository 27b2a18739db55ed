from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from audit.log import record
from portal.crypto import key_ring
from portal.keyrotation import RotationReport, rotate_attachments, rotate_fields


class Command(BaseCommand):
    help = (
        "Re-encrypt every encrypted field value (every EncryptedTextField of every model) and "
        "every encrypted evidence file under the newest key of ENLACE_FIELD_KEYS, in batches, "
        "while the portal runs. Older keys must stay in the ring until this reports 0 values "
        "left under them (docs/KEYS.md)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--batch-size", type=int, default=500)
        parser.add_argument("--dry-run", action="store_true", help="count only, write nothing")

    def handle(self, *args: Any, **options: Any) -> None:
        key_ring.cache_clear()
        ring = key_ring()
        report = RotationReport()
        rotate_fields(ring, options["batch_size"], options["dry_run"], report)
        rotate_attachments(ring, options["dry_run"], report)
        verb = "would re-encrypt" if options["dry_run"] else "re-encrypted"
        for label, count in sorted(report.rewritten.items()):
            self.stdout.write(f"{label}: {verb} {count} values")
        if report.attachments_supported:
            self.stdout.write(f"cases.attachment: {verb} {report.attachments} files")
        seen = ", ".join(f"{key}={n}" for key, n in sorted(report.by_key.items())) or "none"
        self.stdout.write(
            f"values seen by key before this run: {seen}; newest key {ring.current_id}"
        )
        if not options["dry_run"]:
            record(
                "keys.field_keys_rotated",
                object_type="portal.keyring",
                object_id=ring.current_id,
                values=sum(report.rewritten.values()),
                files=report.attachments,
                failures=len(report.failures),
            )
        if report.failures:
            for failure in report.failures[:50]:
                self.stderr.write(failure)
            raise CommandError(
                f"{len(report.failures)} values or files could not be re-encrypted; keep the "
                "old keys in the ring until they are resolved"
            )
