"""Which of the cases that seizure reports point to the reader may see.

A seizure report can be shared on its own while its case is not: the reader then sees the
report but must not learn that the case exists (no id, no reference)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from cases.models import Case, SeizureReport
from sharing.access import with_access_level
from sharing.models import Level


def visible_case_ids(user: Any, seizures: Iterable[SeizureReport]) -> set[int]:
    """Ids of the cases of ``seizures`` that ``user`` may see. Reports the user owns are in
    the user's own cases (no query); the others are checked in one query over those cases."""
    visible: set[int] = set()
    unknown: set[int] = set()
    for seizure in seizures:
        if not seizure.case_id:
            continue
        if int(getattr(seizure, "access_level", Level.NONE)) >= Level.OWNER:
            visible.add(seizure.case_id)
        else:
            unknown.add(seizure.case_id)
    if unknown:
        checked: Any = with_access_level(Case.objects.filter(pk__in=unknown), user)
        visible.update(checked.filter(access_level__gte=Level.SUMMARY).values_list("pk", flat=True))
    return visible
