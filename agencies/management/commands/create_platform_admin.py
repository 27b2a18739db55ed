"""Create the first platform admin of an installation (and the operator agency if missing)."""

from __future__ import annotations

import getpass
import sys
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from agencies import actions


class Command(BaseCommand):
    help = (
        "Create a platform admin (staff of the operator agency, created if there is none). "
        "The password is asked for, or read from standard input with --password-stdin. "
        "The new admin enrols a second factor at first sign-in."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--email", required=True)
        parser.add_argument("--password-stdin", action="store_true")
        parser.add_argument("--operator-acronym", default="ENLACE")
        parser.add_argument("--operator-name", default="Enlace platform operator")
        parser.add_argument("--operator-country", default="PA")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["password_stdin"]:
            password = sys.stdin.readline().rstrip("\n")
        else:
            password = getpass.getpass("Password: ")
            if password != getpass.getpass("Password (again): "):
                raise CommandError("The passwords differ.")
        try:
            user = actions.bootstrap_platform_admin(
                username=options["username"],
                email=options["email"],
                password=password,
                operator_acronym=options["operator_acronym"],
                operator_name=options["operator_name"],
                operator_country=options["operator_country"],
            )
        except ValidationError as exc:
            problems = "; ".join(f"{k}: {' '.join(v)}" for k, v in exc.message_dict.items())
            raise CommandError(problems) from exc
        self.stdout.write(
            f"Platform admin {user.username} created in {user.membership.agency.acronym}. "
            "They set up their authenticator app at first sign-in."
        )
