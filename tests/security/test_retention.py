"""Personal data of long-closed cases is pseudonymised by a periodic task, and audited."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.conf import settings
from django.db import connection
from django.test import override_settings
from django.utils import timezone

from audit.models import AuditEntry
from cases.models import Identifier, Person
from portal.retention import pseudonymise_due
from portal.tasks import pseudonymise_personal_data
from tests import factories
from tests.conftest import Worker, wait_for


def _person(agency: Any, *, status: str, closed_days_ago: int | None) -> Person:
    closed_at = timezone.now() - timedelta(days=closed_days_ago) if closed_days_ago else None
    case = factories.case(agency, status=status, closed_at=closed_at)
    seizure = factories.seizure(agency, case=case)
    person = Person.objects.create(
        seizure=seizure,
        full_name="Juan Pérez",
        date_of_birth="1980-02-03",
        passport_number="PA1234567",
        phone="+18765550100",
        nationality="CO",
    )
    Identifier.objects.create(
        kind=Identifier.Kind.PASSPORT, digest="d" * 64, seizure=seizure, owner_agency=agency
    )
    return person


def _raw(person: Person) -> tuple[str, ...]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT full_name, date_of_birth, passport_number, mrz, phone FROM cases_person "
            "WHERE id = %s",
            [person.pk],
        )
        return tuple(cursor.fetchone())


@override_settings(PERSONAL_DATA_RETENTION_DAYS=730)
def test_people_of_cases_closed_past_the_retention_age_are_pseudonymised(
    region: dict[str, Any],
) -> None:
    # given
    old = _person(region["jca"], status="closed", closed_days_ago=800)
    recent = _person(region["jca"], status="closed", closed_days_ago=100)
    still_open = _person(region["jca"], status="open", closed_days_ago=None)
    # when
    assert pseudonymise_due() == {"cases": 1, "persons": 1}
    # then
    old.refresh_from_db()
    assert old.full_name == f"Pseudonymised person {old.pk}"
    assert (old.date_of_birth, old.passport_number, old.phone, old.mrz) == ("", "", "", "")
    assert old.nationality == "CO" and old.pseudonymised_at is not None
    assert "Pérez" not in str(_raw(old)) and _raw(old)[1:] == ("", "", "", "")
    assert not Identifier.objects.filter(seizure=old.seizure, kind="passport").exists()
    for untouched in (recent, still_open):
        untouched.refresh_from_db()
        assert untouched.full_name == "Juan Pérez" and untouched.pseudonymised_at is None
    entry = AuditEntry.objects.get(action="person.pseudonymised")
    assert (entry.object_type, entry.object_id) == ("cases.case", str(old.seizure.case_id))
    assert entry.object_agency == region["jca"]
    assert entry.details["persons"] == 1 and "Pérez" not in str(entry.details)
    # and a second run has nothing left
    assert pseudonymise_due() == {"cases": 0, "persons": 0}


@override_settings(PERSONAL_DATA_RETENTION_DAYS=0)
def test_a_retention_of_zero_days_pseudonymises_nothing(region: dict[str, Any]) -> None:
    _person(region["jca"], status="closed", closed_days_ago=5000)
    assert pseudonymise_due() == {"cases": 0, "persons": 0}


def test_beat_runs_the_task_daily() -> None:
    entry = settings.CELERY_BEAT_SCHEDULE["pseudonymise-personal-data"]
    assert entry["task"] == "portal.tasks.pseudonymise_personal_data"
    assert entry["schedule"] == 24 * 3600.0


@pytest.mark.worker
def test_the_task_runs_on_a_real_worker(celery_worker: Worker) -> None:
    jca = factories.agency("JCA")
    # the worker reads its own settings: the default retention (5 years)
    old = _person(jca, status="archived", closed_days_ago=6 * 365)
    pseudonymise_personal_data.delay()

    def done() -> bool:
        old.refresh_from_db()
        return old.pseudonymised_at is not None

    wait_for(done, timeout=60)
    assert AuditEntry.objects.filter(action="person.pseudonymised").exists()
