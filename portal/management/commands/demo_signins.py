"""Print the demo's URL and sign-ins (demo mode only)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from portal.demo.agencies import PEOPLE
from portal.demo.password import demo_password


class Command(BaseCommand):
    help = "Print the demo URL and the demo users' sign-ins."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--url", default=settings.PORTAL_BASE_URL)

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEMO_MODE:
            raise CommandError("Demo sign-ins exist only with ENLACE_ENV=demo.")
        lines = [
            "",
            "=" * 72,
            f"  Enlace demo is running at {options['url']}",
            f"  Password for every demo user: {demo_password()}",
            "  Second factor: python manage.py demo_otp USERNAME prints the current code",
            "",
            "  username            agency        role",
        ]
        lines += [f"  {u:<19} {a:<13} {r}" for u, a, r in PEOPLE]
        lines += [
            "",
            "  Ctrl-C stops the portal, the worker, beat and the embedded services.",
            "=" * 72,
        ]
        self.stdout.write("\n".join(lines))
