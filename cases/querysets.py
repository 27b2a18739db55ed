"""Record querysets: ``visible_to`` is the access door's entry point on the models."""

from __future__ import annotations

from typing import Any, Self

from django.db import models


class _VisibleQuerySet(models.QuerySet):
    def visible_to(self, user: Any, level: int = 1) -> Self:
        """This queryset narrowed to what ``user`` may see at ``level`` (sharing.access)."""
        from sharing.access import visible

        return self.filter(pk__in=visible(self.model, user, level).values("pk"))


class CaseQuerySet(_VisibleQuerySet):
    pass


class SeizureQuerySet(_VisibleQuerySet):
    pass
