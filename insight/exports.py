"""Exports of what a reader may see: seizure reports, cases, and the UNODC drug seizure layout.

Every row comes through the access door (``visible_seizures`` / ``visible_cases``) and carries
the reader's level on it: personal data (people, their passports and phones, vehicle plates)
is written only for rows the reader sees at *full* or above; a *summary* row leaves those
cells empty. Each export is audited (``export.csv`` / ``export.xlsx``) with its kind, filters
and row count, before the first byte is sent. Cells are formula-safe (``insight.tabular``).

The UNODC layout follows the individual drug seizure (IDS) report: one row per drug item —
seizure date, country, drug, quantity, unit, place, mode of transport, routing countries —
written in English whatever the interface language, as UNODC reads it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import BooleanField, Exists, OuterRef, Prefetch, QuerySet, Value, When
from django.db.models import Case as When_
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from cases.models import Case, SeizureItem, SeizureReport
from cases.vocabularies import FIREARM_TYPES, SUBSTANCES
from insight.forms import InsightFilterForm
from portal.countries import country_name
from sharing.access import visible_cases, visible_seizures, with_access_level
from sharing.models import Level

CHUNK = 500
LEVEL_NAMES = {
    Level.SUMMARY: "summary",
    Level.FULL: "full",
    Level.CONTRIBUTE: "contribute",
    Level.OWNER: "owner",
}

Row = list[Any]


@dataclass(frozen=True)
class Export:
    key: str
    title: Promise
    description: Promise
    header: Callable[[], list[str]]
    count: Callable[[Any, InsightFilterForm], int]
    rows: Callable[[Any, InsightFilterForm], Iterator[Row]]
    english: bool = False  # written in English whatever the interface language


# --- seizure reports -------------------------------------------------------------------------


def _seizures(user: Any, form: InsightFilterForm) -> QuerySet[SeizureReport]:
    return visible_seizures(user, Level.SUMMARY).filter(form.conditions())


def _with_contents(queryset: QuerySet[SeizureReport], user: Any) -> QuerySet[SeizureReport]:
    annotated: QuerySet[SeizureReport] = with_access_level(queryset, user)
    # The case's reference only when the reader sees the case too (a report can be shared
    # without its case).
    case_shown = When_(
        When(case_id__in=visible_cases(user, Level.SUMMARY).values("pk"), then=Value(True)),
        default=Value(False),
        output_field=BooleanField(),
    )
    return (
        annotated.annotate(case_shown=case_shown)
        .select_related("owner_agency", "case")
        .prefetch_related(
            Prefetch("items", queryset=SeizureItem.objects.order_by("id")),
            "persons",
            "organisations",
            "vessels",
            "containers",
            "flights",
            "vehicles",
        )
        .order_by("seized_on", "id")
    )


def _joined(values: Sequence[str]) -> str:
    return "; ".join(value for value in values if value)


def _quantity(item: SeizureItem) -> str:
    if item.quantity is None:
        return ""
    return f"{item.quantity.normalize():f} {item.unit}".strip()


def item_text(item: SeizureItem) -> str:
    substance = SUBSTANCES.get(item.substance)
    if item.kind in (SeizureItem.Kind.DRUG, SeizureItem.Kind.PRECURSOR):
        name = str(substance.label) if substance else item.substance
        purity = f" ({item.purity.normalize():f}%)" if item.purity is not None else ""
        return f"{name} {_quantity(item)}{purity}".strip()
    if item.kind == SeizureItem.Kind.FIREARM:
        kind = str(FIREARM_TYPES.get(item.firearm_type, item.firearm_type))
        parts = [kind, item.make, item.model, item.calibre]
        serial = f"s/n {item.serial_number}" if item.serial_number else ""
        return " ".join(p for p in [*parts, serial] if p)
    if item.kind == SeizureItem.Kind.AMMUNITION:
        return f"{item.rounds or ''} x {item.calibre}".strip()
    if item.kind == SeizureItem.Kind.CASH:
        amount = f"{item.amount.normalize():f}" if item.amount is not None else ""
        return f"{amount} {item.currency}".strip()
    return item.description


SEIZURE_HEADER = [
    _("Reference"),
    _("Case"),
    _("Owner agency"),
    _("Your access"),
    _("TLP"),
    _("Handling code"),
    _("Evaluation"),
    _("Seized on"),
    _("Country"),
    _("Place"),
    _("UN/LOCODE"),
    _("Latitude"),
    _("Longitude"),
    _("Transport mode"),
    _("Origin"),
    _("Departure"),
    _("Transit"),
    _("Destination"),
    _("Concealment"),
    _("Summary"),
    _("Drugs and precursors"),
    _("Firearms and ammunition"),
    _("Cash"),
    _("Containers"),
    _("Vessels"),
    _("Flights"),
    _("Organisations"),
    _("Vehicles"),
    _("Persons"),
]


def seizure_row(seizure: Any) -> Row:
    level = int(seizure.access_level)
    full = level >= Level.FULL
    items = list(seizure.items.all())
    by_kind: dict[str, list[str]] = {"drugs": [], "arms": [], "cash": []}
    for item in items:
        if item.kind in (SeizureItem.Kind.DRUG, SeizureItem.Kind.PRECURSOR):
            by_kind["drugs"].append(item_text(item))
        elif item.kind in (SeizureItem.Kind.FIREARM, SeizureItem.Kind.AMMUNITION):
            by_kind["arms"].append(item_text(item))
        elif item.kind == SeizureItem.Kind.CASH:
            by_kind["cash"].append(item_text(item))
    vessels = [
        " ".join(
            p
            for p in (v.name, f"IMO {v.imo}" if v.imo else "", f"MMSI {v.mmsi}" if v.mmsi else "")
            if p
        )
        for v in seizure.vessels.all()
    ]
    flights = [
        f"{f.designator} {f.flight_date.isoformat() if f.flight_date else ''}".strip()
        for f in seizure.flights.all()
    ]
    organisations = [
        " ".join(p for p in (o.name, o.registration_number, o.country) if p)
        for o in seizure.organisations.all()
    ]
    # Plates lead to a person: like names and passports, only at full level.
    vehicles = [
        " ".join(p for p in ((v.plate if full else ""), v.country, v.description) if p)
        for v in seizure.vehicles.all()
    ]
    persons = (
        [
            " ".join(
                p
                for p in (
                    p.full_name,
                    p.date_of_birth,
                    p.nationality,
                    f"passport {p.passport_number}" if p.passport_number else "",
                    p.phone,
                )
                if p
            )
            for p in seizure.persons.all()
        ]
        if full
        else []
    )
    return [
        seizure.reference,
        seizure.case.reference if seizure.case_id and seizure.case_shown else "",
        seizure.owner_agency.acronym,
        LEVEL_NAMES.get(Level(min(level, Level.OWNER)), ""),
        seizure.tlp,
        seizure.handling_code,
        seizure.evaluation,
        seizure.seized_on,
        seizure.country,
        seizure.place,
        seizure.locode,
        seizure.latitude,
        seizure.longitude,
        seizure.get_transport_mode_display(),
        seizure.origin_country,
        seizure.departure_country,
        " ".join(seizure.transit_countries),
        seizure.destination_country,
        seizure.concealment,
        seizure.summary,
        _joined(by_kind["drugs"]),
        _joined(by_kind["arms"]),
        _joined(by_kind["cash"]),
        _joined([c.number for c in seizure.containers.all()]),
        _joined(vessels),
        _joined(flights),
        _joined(organisations),
        _joined(vehicles),
        _joined(persons),
    ]


def seizure_rows(user: Any, form: InsightFilterForm) -> Iterator[Row]:
    for seizure in _with_contents(_seizures(user, form), user).iterator(chunk_size=CHUNK):
        yield seizure_row(seizure)


# --- the UNODC individual drug seizure layout ------------------------------------------------

UNODC_HEADER = [
    "Seizure date",
    "Country of seizure",
    "Drug",
    "Quantity",
    "Unit",
    "Place of seizure",
    "Mode of transport",
    "Routing countries",
    "Country of origin",
    "Country of departure",
    "Transit countries",
    "Country of destination",
    "Purity (%)",
    "Quantity (normalised)",
    "Normalised unit",
    "Concealment",
    "Reference",
]

# Enlace transport modes in UNODC's words (conveyance in brackets).
UNODC_MODES = {
    "sea_container": "Sea (container)",
    "sea_vessel": "Sea (vessel)",
    "air_passenger": "Air (passenger / courier)",
    "air_cargo": "Air (cargo)",
    "postal": "Mail (postal / express)",
    "land_vehicle": "Land (vehicle)",
    "other": "Other",
}


def _names(codes: Sequence[str]) -> str:
    return "; ".join(country_name(code) for code in codes if code)


def unodc_rows(user: Any, form: InsightFilterForm) -> Iterator[Row]:
    """One row per drug item of the seizure reports the reader sees (items carry no personal
    data, so summary-level reports are exported whole)."""
    items = (
        SeizureItem.objects.filter(seizure__in=_seizures(user, form), kind=SeizureItem.Kind.DRUG)
        .select_related("seizure")
        .order_by("seizure__seized_on", "seizure_id", "id")
    )
    for item in items.iterator(chunk_size=CHUNK):
        with translation.override("en"):
            row = _unodc_row(item)
        yield row


def _unodc_row(item: SeizureItem) -> Row:
    seizure = item.seizure
    substance = SUBSTANCES.get(item.substance)
    stops = [
        seizure.origin_country,
        seizure.departure_country,
        *seizure.transit_countries,
        seizure.destination_country,
    ]
    routing: list[str] = []
    for code in stops:
        if code and code not in routing:
            routing.append(code)
    return [
        seizure.seized_on,
        country_name(seizure.country),
        str(substance.label) if substance else item.substance,
        item.quantity,
        item.unit,
        seizure.place,
        UNODC_MODES.get(seizure.transport_mode, seizure.transport_mode),
        _names(routing),
        _names([seizure.origin_country]),
        _names([seizure.departure_country]),
        _names(seizure.transit_countries),
        _names([seizure.destination_country]),
        item.purity,
        item.quantity_normalised,
        item.normalised_unit,
        seizure.concealment,
        seizure.reference,
    ]


def unodc_count(user: Any, form: InsightFilterForm) -> int:
    return SeizureItem.objects.filter(
        seizure__in=_seizures(user, form), kind=SeizureItem.Kind.DRUG
    ).count()


# --- cases -------------------------------------------------------------------------------------

CASE_HEADER = [
    _("Reference"),
    _("Title"),
    _("Status"),
    _("Crime types"),
    _("Owner agency"),
    _("Your access"),
    _("TLP"),
    _("Handling code"),
    _("Handling note"),
    _("Evaluation"),
    _("Created"),
    _("Closed"),
    _("Summary"),
]


def _cases(user: Any, form: InsightFilterForm) -> QuerySet[Case]:
    cases = visible_cases(user, Level.SUMMARY)
    where = form.conditions()
    if where:
        # A case matches when one of its seizure reports that the reader sees matches.
        seizures = _seizures(user, form).filter(case_id=OuterRef("pk"))
        cases = cases.filter(Exists(seizures))
    return cases


def case_rows(user: Any, form: InsightFilterForm) -> Iterator[Row]:
    crime_labels = dict(Case._meta.get_field("crime_types").base_field.choices or [])
    annotated: QuerySet[Case] = with_access_level(_cases(user, form), user)
    for case in (
        annotated.select_related("owner_agency").order_by("created_at", "id").iterator(CHUNK)
    ):
        level = int(case.access_level)  # type: ignore[attr-defined]
        yield [
            case.reference,
            case.title,
            case.get_status_display(),
            "; ".join(str(crime_labels.get(c, c)) for c in case.crime_types),
            case.owner_agency.acronym,
            LEVEL_NAMES.get(Level(min(level, Level.OWNER)), ""),
            case.tlp,
            case.handling_code,
            case.handling_note,
            case.evaluation,
            case.created_at,
            case.closed_at,
            case.summary,
        ]


EXPORTS: dict[str, Export] = {
    export.key: export
    for export in [
        Export(
            "seizures",
            _("Seizure reports"),
            _(
                "One row per seizure report, with its items and linked entities. People, "
                "passports, phones and plates only where you see the report in full."
            ),
            lambda: [str(h) for h in SEIZURE_HEADER],
            lambda user, form: _seizures(user, form).count(),
            seizure_rows,
        ),
        Export(
            "unodc",
            _("UNODC individual drug seizures"),
            _(
                "One row per drug seized, in the layout of UNODC's individual drug seizure "
                "report (in English): date, country, drug, quantity, unit, place, mode of "
                "transport, routing countries."
            ),
            lambda: list(UNODC_HEADER),
            unodc_count,
            unodc_rows,
            english=True,
        ),
        Export(
            "cases",
            _("Cases"),
            _("One row per case you can see, with its markings."),
            lambda: [str(h) for h in CASE_HEADER],
            lambda user, form: _cases(user, form).count(),
            case_rows,
        ),
    ]
}

FORMATS = ("csv", "xlsx")
