"""The demo region has hits, one of them from an undercover ("do not reveal") report."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from hits.models import Hit
from portal.demo.hits import UNDERCOVER_PLACE

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


def test_the_demo_region_has_hits_and_an_undercover_one() -> None:
    call_command("load_demo")
    kinds = set(Hit.objects.values_list("kind", flat=True))
    assert {"container", "imo", "passport", "phone", "firearm"} <= kinds, kinds
    (undercover,) = Hit.objects.filter(our_seizure__place=UNDERCOVER_PLACE)
    assert undercover.our_agency.acronym == "DIRAN" and undercover.their_agency.acronym == "DNCD"
    assert not Hit.objects.filter(their_seizure__place=UNDERCOVER_PLACE).exists()
    before = Hit.objects.count()
    call_command("load_demo")
    assert Hit.objects.count() == before
