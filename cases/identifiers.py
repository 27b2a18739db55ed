"""Identifiers that must match across agencies, as keyed blind indexes (DESIGN §3, §4).

``normalise(kind, value, ...)`` turns what was typed into one canonical form per kind, so the
same container, passport or firearm written two ways gives the same HMAC. The canonical forms:

=========  ================================================  =========================
kind       canonical form                                    example
=========  ================================================  =========================
container  ISO 6346, 11 characters                           ``CSQU3054383``
imo        7 digits                                          ``9074729``
mmsi       9 digits                                          ``352001234``
passport   letters and digits, upper case                    ``PA1234567``
phone      E.164                                             ``+18765550100``
firearm    make (aliases folded) ``|`` serial                ``smithwesson|DFK1234``
plate      country (may be empty) ``|`` plate                ``JM|5412HX``
company    country (may be empty) ``|`` registration number  ``PA|155612345``
flight     IATA designator ``|`` ISO date                    ``CM431|2026-03-02``
=========  ================================================  =========================

``index_identifiers(seizure)`` rebuilds the ``cases.Identifier`` rows of one seizure report;
the actions call it in the transaction that saves the report, then ``hits.matching.match_record``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError

from cases import validators
from cases.models import Identifier, SeizureItem, SeizureReport
from cases.vocabularies import FIREARM_MAKE_ALIASES
from portal.crypto import blind_index

Kind = Identifier.Kind


def normalise_make(make: str) -> str:
    """Lower case letters and digits, with the usual ways of writing a make folded together
    (``S&W``, ``Smith and Wesson`` and ``Smith & Wesson`` are all ``smithwesson``)."""
    folded = re.sub(r"[^a-z0-9]", "", (make or "").lower())
    return FIREARM_MAKE_ALIASES.get(folded, folded)


def normalise(
    kind: str,
    value: str,
    *,
    country: str = "",
    make: str = "",
    on: date | None = None,
) -> str:
    """The canonical form of an identifier (raises ``ValidationError`` when it is not one)."""
    if kind == Kind.CONTAINER:
        return validators.validate_container_number(value)
    if kind == Kind.IMO:
        return validators.validate_imo(value)
    if kind == Kind.MMSI:
        return validators.validate_mmsi(value)
    if kind == Kind.PASSPORT:
        return validators.validate_passport_number(value)
    if kind == Kind.PHONE:
        return validators.validate_phone(value)
    if kind == Kind.FIREARM:
        return f"{normalise_make(make)}|{validators.validate_serial_number(value)}"
    if kind == Kind.PLATE:
        return f"{(country or '').upper()}|{validators.validate_plate(value)}"
    if kind == Kind.COMPANY:
        return f"{(country or '').upper()}|{validators.validate_registration_number(value)}"
    if kind == Kind.FLIGHT:
        if on is None:
            raise ValidationError("a flight matches only with its date")
        return f"{validators.validate_flight_designator(value)}|{on.isoformat()}"
    raise ValueError(f"unknown identifier kind {kind!r}")


def digest(kind: str, value: str, **context: object) -> str:
    """The blind index of an identifier as typed (normalised first)."""
    return blind_index(kind, normalise(kind, value, **context))  # type: ignore[arg-type]


def identifiers_of(seizure: SeizureReport) -> Iterator[tuple[str, str]]:
    """(kind, canonical value) of every matchable identifier in the report. Values that do
    not validate are skipped: the report's own validation refuses them before saving."""
    return identifiers_in(
        {
            "containers": seizure.containers.all(),
            "vessels": seizure.vessels.all(),
            "persons": seizure.persons.all(),
            "items": seizure.items.all(),
            "vehicles": seizure.vehicles.all(),
            "organisations": seizure.organisations.all(),
            "flights": seizure.flights.all(),
        }
    )


def identifiers_in(rows: Mapping[str, Iterable[Any]]) -> Iterator[tuple[str, str]]:
    """(kind, canonical value) of the identifiers in a report's rows, given by kind of row
    (``containers``, ``vessels``, ... as in ``cases.actions.NESTED``), saved or not."""

    def attempt(kind: str, value: str, **context: object) -> Iterator[tuple[str, str]]:
        if not value:
            return
        try:
            yield kind, normalise(kind, value, **context)  # type: ignore[arg-type]
        except ValidationError:
            return

    for container in rows.get("containers", ()):
        yield from attempt(Kind.CONTAINER, container.number)
    for vessel in rows.get("vessels", ()):
        yield from attempt(Kind.IMO, vessel.imo)
        yield from attempt(Kind.MMSI, vessel.mmsi)
    for person in rows.get("persons", ()):
        yield from attempt(Kind.PASSPORT, person.passport_number or "")
        yield from attempt(Kind.PHONE, person.phone or "")
    for item in rows.get("items", ()):
        if item.kind == SeizureItem.Kind.FIREARM and item.serial_number:
            yield from attempt(Kind.FIREARM, item.serial_number, make=item.make)
    for vehicle in rows.get("vehicles", ()):
        yield from attempt(Kind.PLATE, vehicle.plate, country=vehicle.country)
    for organisation in rows.get("organisations", ()):
        yield from attempt(
            Kind.COMPANY, organisation.registration_number, country=organisation.country
        )
    for flight in rows.get("flights", ()):
        if flight.flight_date:
            yield from attempt(Kind.FLIGHT, flight.designator, on=flight.flight_date)


def identifier_rows(
    seizure: SeizureReport, identifiers: Iterable[tuple[str, str]]
) -> list[Identifier]:
    """Unsaved blind-index rows of ``seizure`` for (kind, canonical value) pairs, once each."""
    seen: set[tuple[str, str]] = set()
    rows: list[Identifier] = []
    for kind, value in identifiers:
        key = (kind, blind_index(kind, value))
        if key in seen:
            continue
        seen.add(key)
        rows.append(
            Identifier(
                kind=kind, digest=key[1], seizure=seizure, owner_agency_id=seizure.owner_agency_id
            )
        )
    return rows


def index_identifiers(seizure: SeizureReport) -> list[Identifier]:
    """Replace the blind-index rows of ``seizure`` with those of its current content.

    Call inside the transaction that saves the report, after its items and entities.
    """
    rows = identifier_rows(seizure, identifiers_of(seizure))
    Identifier.objects.filter(seizure=seizure).delete()
    return Identifier.objects.bulk_create(rows)
