from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AgenciesConfig(AppConfig):
    name = "agencies"
    verbose_name = _("Agencies, people and trust")

    def ready(self) -> None:
        from agencies import signals  # noqa: F401  (API-token audit, saved language)
