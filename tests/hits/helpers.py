"""Builders for the hits tests: reports saved through the real save path (cases.actions)."""

from __future__ import annotations

from typing import Any

from cases.actions import create_seizure, update_seizure
from cases.models import SeizureReport
from tests.cases.builders import seizure_payload

NESTED = ("items", "persons", "organisations", "vessels", "containers", "flights", "vehicles")
CONTAINER = "CSQU3054383"

# Strings planted in the other agency's record: none may reach the side that cannot see it.
SENTINELS = (
    "Operation Halcyon-Q7",
    "Sentinel wharf 9-Q",
    "SENTINEL-CONCEALMENT-X41",
    "SENTINEL-SUMMARY-Z88",
    "Quenby Sentinelli",
    "SENTINEL-SEAL-4471",
)


def split(payload: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    nested = {kind: payload.pop(kind) for kind in NESTED if kind in payload}
    return payload, nested


def container_only(number: str = CONTAINER, **overrides: Any) -> dict[str, Any]:
    """A report whose only matchable identifier is one container."""
    payload: dict[str, Any] = {
        "items": [{"kind": "drug", "substance": "cocaine_hcl", "quantity": "12", "unit": "kg"}],
        "persons": [],
        "organisations": [],
        "vessels": [],
        "vehicles": [],
        "flights": [],
        "containers": [{"number": number}],
    }
    return seizure_payload(**{**payload, **overrides})


def save(user: Any, payload: dict[str, Any]) -> SeizureReport:
    data, nested = split(payload)
    return create_seizure(user, data, nested)


def resave(user: Any, seizure: SeizureReport, payload: dict[str, Any]) -> SeizureReport:
    data, nested = split(payload)
    seizure.refresh_from_db()
    return update_seizure(user, seizure.pk, data, nested, version=seizure.version)


def secret_payload(**overrides: Any) -> dict[str, Any]:
    """JCA's report with every sentinel in it (summary, place, concealment, person, seal)."""
    payload = container_only(
        place=SENTINELS[1], concealment=SENTINELS[2], summary=SENTINELS[3], **overrides
    )
    payload["persons"] = [{"role": "suspect", "full_name": SENTINELS[4]}]
    payload["containers"] = [{"number": CONTAINER, "seal_number": SENTINELS[5]}]
    return payload
