"""Unlock an account from the console (audited), e.g. when the only platform admin is locked."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User
from django.core.management.base import BaseCommand, CommandError, CommandParser

from agencies import actions


class Command(BaseCommand):
    help = "Unlock an account locked after repeated failed sign-ins."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(username=options["username"]).first()
        if user is None or getattr(user, "membership", None) is None:
            raise CommandError(f"No account {options['username']!r} in an agency.")
        actions.unlock_user(None, user)
        self.stdout.write(f"{user.username} can sign in again.")
