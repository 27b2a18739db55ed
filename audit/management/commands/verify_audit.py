from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from audit.verify import verify_chain


class Command(BaseCommand):
    help = (
        "Recompute the audit chain and report the first broken link. Exit status 0 when the "
        "whole chain is intact, 1 otherwise. Keep the printed head hash outside the database: "
        "a later run whose chain does not pass through it shows entries were cut off the end."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        verdict = verify_chain()
        if not verdict.ok:
            raise CommandError(
                f"audit chain BROKEN at entry {verdict.broken_id}: {verdict.reason} "
                f"({verdict.checked} entries before it verified)"
            )
        self.stdout.write(
            f"audit chain intact: {verdict.checked} entries verified, head {verdict.head}"
        )
