"""Personal data retention (CJIS / data-protection minimisation, issue 8 §6).

Once a case has been closed (or archived) for ``ENLACE_PERSONAL_DATA_RETENTION_DAYS``, the
people linked to its seizure reports are pseudonymised: the name becomes a pseudonym, the date
of birth, passport number, MRZ and phone are erased, and their blind-index rows go with them,
so they no longer match anything. Role, nationality and passport country stay (statistics).
Each case done is one ``person.pseudonymised`` audit entry. Run daily by Celery beat.
"""

from __future__ import annotations

import importlib
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from audit.log import record
from cases.models import Case, Identifier, Person, SeizureReport

CLOSED = (Case.Status.CLOSED, Case.Status.ARCHIVED)
ERASED = ("date_of_birth", "passport_number", "mrz", "phone")


def due_cases(now: datetime | None = None) -> list[int]:
    days = settings.PERSONAL_DATA_RETENTION_DAYS
    if days <= 0:
        return []
    cutoff = (now or timezone.now()) - timedelta(days=days)
    return list(
        Case.objects.filter(status__in=CLOSED, closed_at__lt=cutoff)
        .filter(seizures__persons__pseudonymised_at__isnull=True)
        .order_by("pk")
        .values_list("pk", flat=True)
        .distinct()
    )


def _reindex(seizure: SeizureReport) -> None:
    try:
        identifiers = importlib.import_module("cases.identifiers")
    except ImportError:
        identifiers = None
    index = getattr(identifiers, "index_identifiers", None)
    if index is not None:
        index(seizure)
    else:  # no index builder: drop the person-derived digests
        Identifier.objects.filter(
            seizure=seizure, kind__in=[Identifier.Kind.PASSPORT, Identifier.Kind.PHONE]
        ).delete()


def pseudonymise_case(case_id: int) -> int:
    """Pseudonymise the people of one case; returns how many. One transaction."""
    now = timezone.now()
    with transaction.atomic():
        case = Case.objects.select_for_update().get(pk=case_id)
        people = list(
            Person.objects.select_for_update()
            .filter(seizure__case=case, pseudonymised_at__isnull=True)
            .order_by("pk")
        )
        touched: dict[int, SeizureReport] = {}
        for person in people:
            person.full_name = f"Pseudonymised person {person.pk}"
            for name in ERASED:
                setattr(person, name, "")
            person.pseudonymised_at = now
            person.save(update_fields=["full_name", *ERASED, "pseudonymised_at"])
            touched[person.seizure_id] = person.seizure
        for seizure in touched.values():
            _reindex(seizure)
        if people:
            record(
                "person.pseudonymised",
                obj=case,
                persons=len(people),
                retention_days=settings.PERSONAL_DATA_RETENTION_DAYS,
                fields=["full_name", *ERASED],
            )
    return len(people)


def pseudonymise_due() -> dict[str, int]:
    cases = persons = 0
    for case_id in due_cases():
        done = pseudonymise_case(case_id)
        cases += int(bool(done))
        persons += done
    return {"cases": cases, "persons": persons}
