"""Builders for record tests: valid payloads, grants written as the sharing engine writes them."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.contrib.auth.models import Permission
from django.utils import timezone

from agencies.models import Agency
from cases.models import Case, SeizureReport
from sharing.models import (
    CASE_PERMISSION,
    SEIZURE_PERMISSION,
    CaseGroupAccess,
    Grant,
    Level,
    SeizureGroupAccess,
)

TD3 = "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C36UTO7408122F1204159ZE184226B<<<<<10"


def seizure_payload(**overrides: Any) -> dict[str, Any]:
    """A complete, valid seizure report as an API client sends it."""
    payload: dict[str, Any] = {
        "seized_on": (timezone.localdate() - timedelta(days=3)).isoformat(),
        "country": "JM",
        "place": "Kingston Container Terminal",
        "latitude": "17.9712",
        "longitude": "-76.7936",
        "locode": "JMKIN",
        "transport_mode": "sea_container",
        "origin_country": "EC",
        "departure_country": "EC",
        "transit_countries": ["PA"],
        "destination_country": "NL",
        "concealment": "Rip-on/rip-off: holdalls behind the reefer unit",
        "tlp": "AMBER",
        "items": [
            {"kind": "drug", "substance": "cocaine_hcl", "quantity": "412.5", "unit": "kg",
             "purity": "84"},
            {"kind": "firearm", "firearm_type": "pistol", "make": "Glock", "model": "19",
             "calibre": "9 mm", "serial_number": "BXK 421", "country_of_manufacture": "AT"},
            {"kind": "cash", "amount": "25000", "currency": "usd"},
        ],
        "persons": [
            {"role": "suspect", "full_name": "Anna Maria Eriksson", "date_of_birth": "1974-08-12",
             "nationality": "SE", "passport_number": "L898902C3", "mrz": TD3,
             "phone": "+1 876 555 0100"},
        ],
        "organisations": [
            {"role": "consignee", "name": "Frutas del Caribe S.A.",
             "registration_number": "155-612-345", "country": "PA"},
        ],
        "vessels": [
            {"name": "Maersk Demo", "imo": "IMO 9074729", "mmsi": "352001234", "flag": "PA"}
        ],
        "containers": [{"number": "CSQU 305438 3", "seal_number": "ML-445566"}],
        "flights": [],
        "vehicles": [{"plate": "5412 HX", "country": "JM"}],
    }  # fmt: skip
    payload.update(overrides)
    return payload


def grant(
    record: Case | SeizureReport,
    to: Agency,
    level: int = Level.FULL,
    *,
    by: Any,
    expires_at: Any = None,
) -> Grant:
    """An active grant and its access row, as sharing's actions write them."""
    is_case = isinstance(record, Case)
    row = Grant.objects.create(
        case=record if isinstance(record, Case) else None,
        seizure=record if isinstance(record, SeizureReport) else None,
        owner_agency=record.owner_agency,
        recipient_agency=to,
        level=level,
        granted_by=by,
        expires_at=expires_at,
    )
    codename = (CASE_PERMISSION if is_case else SEIZURE_PERMISSION)[Level(level)]
    permission = Permission.objects.get(codename=codename)
    access: Any = CaseGroupAccess if is_case else SeizureGroupAccess
    access.objects.create(
        grant=row,
        group=to.group,
        permission=permission,
        content_object=record,
        level=level,
        created=record.created_at,
        expires_at=expires_at,
    )
    return row
