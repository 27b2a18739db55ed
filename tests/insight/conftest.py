"""A small region for the insight tests: JCA and DIRAN records, one DIRAN report shared with
JCA at summary level, one TLP:CLEAR report, and SENAN, a stranger to all of it."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
from django.test.utils import override_settings

from cases import actions
from sharing.models import Level
from tests import factories
from tests.cases.builders import grant


@pytest.fixture(autouse=True)
def _fast_passwords() -> Iterator[None]:
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        yield


def report(user: Any, seized_on: date, **fields: Any) -> Any:
    """A seizure report through the real action (validation, normalised quantities)."""
    items = fields.pop("items", [])
    nested = {"items": items}
    for kind in ("containers", "vessels", "persons", "vehicles", "organisations"):
        if kind in fields:
            nested[kind] = fields.pop(kind)
    data = {
        "seized_on": seized_on.isoformat(),
        "country": "JM",
        "transport_mode": "sea_container",
        "tlp": "AMBER",
        **fields,
    }
    return actions.create_seizure(user, data, nested)


def drug(substance: str, quantity: str, unit: str = "kg") -> dict[str, Any]:
    return {"kind": "drug", "substance": substance, "quantity": quantity, "unit": unit}


def firearm(make: str, calibre: str, serial: str = "") -> dict[str, Any]:
    return {
        "kind": "firearm",
        "firearm_type": "pistol",
        "make": make,
        "calibre": calibre,
        "serial_number": serial,
    }


@pytest.fixture
def insight(region: dict[str, Any]) -> dict[str, Any]:
    people = dict(region)
    jca_analyst, diran_analyst = people["jca_analyst"], people["diran_analyst"]
    senan = factories.agency("SENAN", country="PA", kind="coast_guard")
    people["senan"] = senan
    people["senan_analyst"] = factories.user(senan, "analyst", username="senan-analyst")
    people["s1"] = report(
        jca_analyst,
        date(2026, 1, 10),
        place="Kingston Container Terminal",
        origin_country="CO",
        destination_country="NL",
        items=[drug("cocaine_hcl", "100"), firearm("Glock", "9 mm", "BXK421")],
        containers=[{"number": "CSQU3054383"}],
    )
    people["s2"] = report(
        jca_analyst,
        date(2026, 2, 3),
        place="Norman Manley International",
        transport_mode="air_passenger",
        origin_country="CO",
        destination_country="ES",
        items=[drug("cocaine_hcl", "2000", "g")],
    )
    people["d1"] = report(
        diran_analyst,
        date(2026, 1, 20),
        country="CO",
        place="Buenaventura",
        transport_mode="sea_vessel",
        origin_country="CO",
        destination_country="US",
        items=[drug("cocaine_hcl", "500"), firearm("Smith & Wesson", "9mm", "SW1")],
        vessels=[{"name": "Hidden Star", "imo": "IMO 9074729"}],
    )
    people["d2"] = report(
        diran_analyst,
        date(2026, 2, 15),
        country="CO",
        place="Cartagena",
        origin_country="EC",
        destination_country="BE",
        items=[drug("heroin", "10"), firearm("S&W", ".38 Special")],
    )
    people["d3"] = report(
        diran_analyst,
        date(2026, 3, 1),
        country="CO",
        place="Santa Marta",
        transport_mode="land_vehicle",
        tlp="CLEAR",
        items=[drug("cannabis_herb", "30")],
    )
    factories.trust(people["diran"], people["jca"], 2)
    grant(people["d2"], people["jca"], Level.SUMMARY, by=people["diran_liaison"])
    return people
