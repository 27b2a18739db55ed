from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from audit.log import chain_pending
from audit.verify import verify_chain


class Command(BaseCommand):
    help = (
        "Chain the entries written since the chainer last ran, then recompute the audit chain "
        "and every entry's seal and report the first broken entry. Exit status 0 when the whole "
        "log is intact, 1 otherwise. Keep the printed head hash outside the database: a later "
        "run whose chain does not pass through it shows entries were cut off the end."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--no-chain",
            action="store_true",
            help="only check: leave entries not chained yet as they are (their seals are checked)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not options["no_chain"]:
            chain_pending(wait=True)
        verdict = verify_chain()
        if not verdict.ok:
            raise CommandError(
                f"audit chain BROKEN at entry {verdict.broken_id}: {verdict.reason} "
                f"({verdict.checked} entries before it verified)"
            )
        waiting = (
            f"; {verdict.unchained} newer entries sealed, not chained yet"
            if verdict.unchained
            else ""
        )
        self.stdout.write(
            f"audit chain intact: {verdict.checked} entries verified, head {verdict.head}{waiting}"
        )
