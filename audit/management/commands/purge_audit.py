from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, transaction
from django.utils import timezone

from audit.log import record
from audit.verify import PURGE_ACTION

RETENTION_FLOOR_DAYS = 365


def retention_days() -> int:
    return max(RETENTION_FLOOR_DAYS, int(getattr(settings, "AUDIT_RETENTION_DAYS", 0)))


class Command(BaseCommand):
    help = (
        "Delete audit entries older than --before (a UTC date). Refuses any date younger than "
        "the retention period (AUDIT_RETENTION_DAYS, never less than 365 days). Deletes through "
        "the database function enlace_audit_purge() - the only deletion the triggers allow - "
        "and records an 'audit.purged' anchor entry with the hash of the last entry removed, "
        "so verify_audit still proves the rest of the chain."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--before", required=True, help="YYYY-MM-DD (UTC)")
        parser.add_argument("--dry-run", action="store_true", help="count, delete nothing")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            day = datetime.strptime(options["before"], "%Y-%m-%d").date()
        except ValueError as exc:
            raise CommandError("--before must be a date, YYYY-MM-DD") from exc
        cutoff = datetime.combine(day, datetime.min.time(), tzinfo=UTC)
        keep = retention_days()
        youngest_allowed = timezone.now() - timedelta(days=keep)
        if cutoff > youngest_allowed:
            raise CommandError(
                f"refused: audit entries are kept {keep} days; --before must be on or before "
                f"{youngest_allowed.date().isoformat()}"
            )
        if options["dry_run"]:
            from audit.models import AuditEntry

            count = AuditEntry.objects.filter(at__lt=cutoff).count()
            self.stdout.write(f"dry run: about {count} entries older than {day} would be purged")
            return
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SELECT * FROM enlace_audit_purge(%s)", [cutoff])
                purged, last_id, last_hash = cursor.fetchone()
            if purged:
                record(
                    PURGE_ACTION,
                    object_type="audit.auditentry",
                    object_id=last_id,
                    before=day.isoformat(),
                    purged=purged,
                    last_purged_id=last_id,
                    last_purged_hash=last_hash,
                    retention_days=keep,
                )
        self.stdout.write(f"purged {purged} audit entries older than {day}")
