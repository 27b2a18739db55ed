"""Identifiers normalised per kind and stored only as keyed blind indexes."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from cases import identifiers
from cases.actions import create_seizure, update_seizure
from cases.models import Identifier
from portal.crypto import blind_index
from tests.cases.builders import seizure_payload

pytestmark = pytest.mark.django_db

NESTED = ("items", "persons", "organisations", "vessels", "containers", "flights", "vehicles")


def split(payload: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    nested = {kind: payload.pop(kind) for kind in NESTED if kind in payload}
    return payload, nested


@pytest.mark.parametrize(
    ("kind", "a", "b", "context"),
    [
        ("container", "CSQU3054383", "csqu 305438-3", {}),
        ("imo", "9074729", "IMO 9074729", {}),
        ("mmsi", "352001234", "352 001 234", {}),
        ("passport", "PA1234567", "pa 123 4567", {}),
        ("phone", "+18765550100", "001 (876) 555-0100", {}),
        ("plate", "5412HX", "5412 hx", {"country": "JM"}),
        ("company", "155612345", "155-612-345", {"country": "PA"}),
        ("flight", "CM431", "cm 0431", {"on": date(2026, 3, 2)}),
    ],
)
def test_two_ways_of_writing_an_identifier_give_one_index(
    kind: str, a: str, b: str, context: dict[str, Any]
) -> None:
    assert identifiers.normalise(kind, a, **context) == identifiers.normalise(kind, b, **context)
    assert identifiers.digest(kind, a, **context) == identifiers.digest(kind, b, **context)


def test_firearm_makes_written_several_ways_match() -> None:
    digests = {
        identifiers.digest("firearm", "DFK 1234", make=make)
        for make in ("Smith & Wesson", "S&W", "smith and wesson", "SMITH-WESSON")
    }
    assert len(digests) == 1
    assert identifiers.digest("firearm", "DFK1234", make="Glock") not in digests


def test_context_separates_what_must_not_match() -> None:
    assert identifiers.digest("plate", "ABC123", country="JM") != identifiers.digest(
        "plate", "ABC123", country="TT"
    )
    assert identifiers.digest("flight", "CM431", on=date(2026, 3, 2)) != identifiers.digest(
        "flight", "CM431", on=date(2026, 3, 3)
    )
    # kinds are separated too: the same digits as IMO and as phone do not collide
    assert blind_index("imo", "9074729") != blind_index("mmsi", "9074729")
    with pytest.raises(ValidationError):
        identifiers.normalise("flight", "CM431")


def test_saving_a_report_indexes_its_identifiers_without_plaintext(jca_analyst: Any) -> None:
    data, nested = split(
        seizure_payload(flights=[{"designator": "CM 431", "flight_date": "2026-03-02"}])
    )
    seizure = create_seizure(jca_analyst, data, nested)
    rows = list(Identifier.objects.filter(seizure=seizure).values("kind", "digest", "owner_agency"))
    assert {r["kind"] for r in rows} == {
        "container", "imo", "mmsi", "passport", "phone", "firearm", "plate", "company", "flight",
    }  # fmt: skip
    assert all(r["owner_agency"] == seizure.owner_agency_id for r in rows)
    assert {"kind": "container", "digest": blind_index("container", "CSQU3054383"),
            "owner_agency": seizure.owner_agency_id} in rows  # fmt: skip
    text = json.dumps(rows)
    for plaintext in ("CSQU3054383", "9074729", "L898902C3", "8765550100", "BXK421", "5412HX"):
        assert plaintext not in text


def test_the_index_is_rebuilt_when_the_report_changes(jca_analyst: Any) -> None:
    data, nested = split(seizure_payload())
    seizure = create_seizure(jca_analyst, data, nested)
    update_seizure(
        jca_analyst,
        seizure.pk,
        {},
        {"containers": [{"number": "MSCU1234566"}], "persons": []},
        version=1,
    )
    containers = Identifier.objects.filter(seizure=seizure, kind="container")
    assert list(containers.values_list("digest", flat=True)) == [
        blind_index("container", "MSCU1234566")
    ]
    assert not Identifier.objects.filter(seizure=seizure, kind__in=["passport", "phone"]).exists()
    assert Identifier.objects.filter(seizure=seizure, kind="imo").exists()


def test_the_same_container_in_two_agencies_has_the_same_index(
    jca_analyst: Any, diran_analyst: Any
) -> None:
    for user in (jca_analyst, diran_analyst):
        data, nested = split(seizure_payload(country="CO", locode="COBUN"))
        create_seizure(user, data, nested)
    rows = Identifier.objects.filter(kind="container")
    assert rows.count() == 2
    assert len(set(rows.values_list("digest", flat=True))) == 1
    assert len(set(rows.values_list("owner_agency", flat=True))) == 2
