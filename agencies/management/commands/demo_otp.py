"""Print a demo user's current second-factor code (ENLACE_ENV=demo only)."""

from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice


def current_code(device: TOTPDevice) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time()
    return f"{totp.token():0{device.digits}d}"


class Command(BaseCommand):
    help = "Demo only: print the current authenticator code of a demo user."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEMO_MODE:
            raise CommandError(
                "demo_otp works only with ENLACE_ENV=demo: outside the demo, the second factor "
                "is the user's own phone."
            )
        user = User.objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(f"No user {options['username']!r}.")
        device = TOTPDevice.objects.filter(user=user, confirmed=True).order_by("-id").first()
        if device is None:
            device = TOTPDevice.objects.create(user=user, name="demo", confirmed=True)
            self.stderr.write(f"{user.username} had no authenticator; a demo one was set up.")
        remaining = device.step - int(time.time() - device.t0) % device.step
        self.stdout.write(current_code(device))
        self.stderr.write(
            f"valid for {remaining} more seconds; each code signs in once "
            "(for a second sign-in, wait for the next code)"
        )
