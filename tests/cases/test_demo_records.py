"""The demo region's records: a few hundred believable seizures and dozens of cases, valid."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.db.models import Count

from cases.models import Case, Container, Identifier, Person, SeizureReport, Vessel
from cases.validators import parse_mrz, validate_container_number, validate_imo

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


def test_the_demo_records_are_many_varied_valid_and_linked() -> None:
    call_command("load_demo")
    seizures = SeizureReport.objects.all()
    assert seizures.count() >= 250
    assert Case.objects.count() >= 24
    per_agency = dict(seizures.values_list("owner_agency__acronym").annotate(n=Count("id")))
    assert len(per_agency) >= 6, per_agency
    modes = set(seizures.values_list("transport_mode", flat=True))
    assert {"sea_container", "sea_vessel", "air_passenger", "postal", "land_vehicle"} <= modes
    substances = set(seizures.values_list("items__substance", flat=True))
    assert {
        "cocaine_hcl",
        "cannabis_herb",
        "potassium_permanganate",
        "acetic_anhydride",
    } <= substances
    assert seizures.filter(items__kind="firearm", origin_country="US").exists()
    # every identifier carries a valid check digit
    for number in Container.objects.values_list("number", flat=True):
        assert validate_container_number(number) == number
    for imo in Vessel.objects.exclude(imo="").values_list("imo", flat=True):
        assert validate_imo(imo) == imo
    mrz = [p.mrz for p in Person.objects.all() if p.mrz]
    assert len(mrz) >= 10
    for value in mrz:
        parse_mrz(value)
    # a seizure report is never marked more restrictively than its case
    from cases.markings import TLP_ORDER

    for seizure in seizures.filter(case__isnull=False).select_related("case"):
        assert seizure.case is not None
        assert TLP_ORDER[seizure.tlp] <= TLP_ORDER[seizure.case.tlp]
    # some identifiers appear in two agencies' records (material for deconfliction hits)
    shared = (
        Identifier.objects.values("kind", "digest")
        .annotate(agencies=Count("owner_agency", distinct=True))
        .filter(agencies__gt=1)
    )
    assert {row["kind"] for row in shared} >= {"container", "imo", "passport", "phone", "firearm"}
    # loading again adds nothing
    before = seizures.count()
    call_command("load_demo")
    assert SeizureReport.objects.count() == before
