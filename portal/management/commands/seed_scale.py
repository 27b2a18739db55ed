"""Build the synthetic region of the scale benchmark (bench/seed.py). Never in production."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from bench.seed import Plan, seed


class Command(BaseCommand):
    help = (
        "Load a synthetic region with COPY: by default 60 agencies, 2,000,000 cases, 4,000,000 "
        "seizure items, 3,000,000 grants (400,000 to one regional body), 5,000,000 identifiers. "
        "Use a dedicated database: it empties the agencies, people and records tables."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--scale", type=float, default=1.0, help="multiply the default size (0.001 = tiny)"
        )
        parser.add_argument("--agencies", type=int, default=60)
        parser.add_argument("--seed", type=int, default=2026, help="random seed")
        parser.add_argument(
            "--force", action="store_true", help="reload even if this plan is already loaded"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.ENLACE_ENV == "production":
            raise CommandError("seed_scale empties tables: never with ENLACE_ENV=production.")
        plan = Plan.at_scale(options["scale"], agencies=options["agencies"], seed=options["seed"])
        try:
            seed(plan, lambda line: self.stdout.write(line), force=options["force"])
        except RuntimeError as error:
            raise CommandError(str(error)) from error
