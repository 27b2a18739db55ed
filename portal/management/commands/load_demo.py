"""Load the demo region once (each step only the first time). Refused outside demo/dev/test."""

from __future__ import annotations

from importlib import import_module
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from portal.demo import STEPS
from portal.demo.password import demo_password
from portal.models import DemoStep


class Command(BaseCommand):
    help = "Load the synthetic demo region (idempotent)."

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.ENLACE_ENV not in {"demo", "dev", "test"}:
            raise CommandError("The demo region loads only with ENLACE_ENV=demo (or dev/test).")
        password = demo_password()
        for step in STEPS:
            if DemoStep.objects.filter(name=step).exists():
                continue
            self.stdout.write(f"loading {step} …")
            import_module(step).load(password)
            DemoStep.objects.create(name=step)
        self.stdout.write(self.style.SUCCESS("demo region ready"))
