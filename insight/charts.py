"""The dashboard's charts: aggregates over the seizure reports a reader may see.

Every chart is one SQL statement (``GROUP BY``) over ``sharing.access.visible_seizures`` with
the dashboard's filters applied, so a chart never counts what its reader may not see. Each
chart gives its rows (for the CSV download and the accessible table) and a Chart.js
``{labels, datasets}`` shape (drawn by ``static/js/insight.js``; no inline script).

Quantities are the normalised ones (``SeizureItem.quantity_normalised``: kg, litres or units);
a chart adds up one normalised unit at a time (the ``unit`` filter), never kg with litres.
"""

from __future__ import annotations

from collections import OrderedDict, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Count, Min, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce, Lower, NullIf, Replace, Trim, TruncMonth, TruncYear
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from cases.identifiers import normalise_make
from cases.models import SeizureItem, SeizureReport, TransportMode
from cases.vocabularies import SUBSTANCES
from insight.forms import InsightFilterForm
from portal.countries import country_name
from sharing.access import visible_seizures
from sharing.models import Level

SERIES_LIMIT = 6  # datasets drawn per chart; the rest are added up as "Other"
TOP_ROUTES = 10
TOP_COUNTRIES = 15
TOP_MAKES = 10

Row = dict[str, Any]


@dataclass(frozen=True)
class Column:
    key: str
    label: Promise | str


@dataclass(frozen=True)
class Chart:
    key: str
    title: Promise
    description: Promise
    chart_type: str  # "bar" (stacked over time) or "hbar" (ranking)
    columns: tuple[Column, ...]
    rows: Callable[[Any, InsightFilterForm], list[Row]]
    shape: Callable[[list[Row], InsightFilterForm], dict[str, Any]]


def seizures_for(user: Any, form: InsightFilterForm) -> QuerySet[SeizureReport]:
    """The seizure reports ``user`` may see (summary or above) that the filters keep."""
    return visible_seizures(user, Level.SUMMARY).filter(form.conditions())


def _number(value: Decimal | int | None) -> float:
    return round(float(value or 0), 3)


def _period_label(value: date | None, period: str) -> str:
    if value is None:
        return ""
    return f"{value.year}" if period == "year" else f"{value.year}-{value.month:02d}"


def _truncate(period: str, field: str) -> Any:
    return TruncYear(field) if period == "year" else TruncMonth(field)


def _drug_items(user: Any, form: InsightFilterForm) -> QuerySet[SeizureItem]:
    return SeizureItem.objects.filter(
        seizure__in=seizures_for(user, form),
        kind=SeizureItem.Kind.DRUG,
        normalised_unit=form.chosen_unit,
        quantity_normalised__isnull=False,
    )


def _over_time(rows: list[Row], form: InsightFilterForm, series_key: str) -> dict[str, Any]:
    """Stacked bars: one dataset per series (the largest ``SERIES_LIMIT``, then "Other")."""
    totals: dict[str, float] = defaultdict(float)
    labels_of: dict[str, str] = {}
    periods: list[str] = []
    for row in rows:
        totals[row[series_key]] += row["total"]
        labels_of[row[series_key]] = row[f"{series_key}_label"]
        if row["period"] not in periods:
            periods.append(row["period"])
    ranked = sorted(totals, key=lambda key: (-totals[key], key))
    shown = ranked[:SERIES_LIMIT]
    other = str(_("Other"))
    values: dict[str, dict[str, float]] = OrderedDict((key, defaultdict(float)) for key in shown)
    if len(ranked) > SERIES_LIMIT:
        values[other] = defaultdict(float)
    for row in rows:
        key = row[series_key] if row[series_key] in shown else other
        values[key][row["period"]] += row["total"]
    return {
        "labels": periods,
        "datasets": [
            {
                "label": labels_of.get(key, key),
                "data": [round(series[p], 3) for p in periods],
            }
            for key, series in values.items()
        ],
        "unit": form.chosen_unit,
        "stacked": True,
    }


# --- seizures by substance over time -----------------------------------------------------------


def substance_rows(user: Any, form: InsightFilterForm) -> list[Row]:
    found = (
        _drug_items(user, form)
        .annotate(period=_truncate(form.chosen_period, "seizure__seized_on"))
        .values("period", "substance")
        .annotate(total=Sum("quantity_normalised"), seizures=Count("seizure_id", distinct=True))
        .order_by("period", "substance")
    )
    return [
        {
            "period": _period_label(row["period"], form.chosen_period),
            "substance": row["substance"],
            "substance_label": str(
                SUBSTANCES[row["substance"]].label
                if row["substance"] in SUBSTANCES
                else row["substance"]
            ),
            "total": _number(row["total"]),
            "unit": form.chosen_unit,
            "seizures": row["seizures"],
        }
        for row in found
    ]


# --- seizures by transport mode over time ------------------------------------------------------


def transport_rows(user: Any, form: InsightFilterForm) -> list[Row]:
    modes = dict(TransportMode.choices)
    found = (
        _drug_items(user, form)
        .annotate(period=_truncate(form.chosen_period, "seizure__seized_on"))
        .values("period", "seizure__transport_mode")
        .annotate(total=Sum("quantity_normalised"), seizures=Count("seizure_id", distinct=True))
        .order_by("period", "seizure__transport_mode")
    )
    return [
        {
            "period": _period_label(row["period"], form.chosen_period),
            "transport_mode": row["seizure__transport_mode"],
            "transport_mode_label": str(
                modes.get(row["seizure__transport_mode"], row["seizure__transport_mode"])
            ),
            "total": _number(row["total"]),
            "unit": form.chosen_unit,
            "seizures": row["seizures"],
        }
        for row in found
    ]


# --- top routes ----------------------------------------------------------------------------------


def _drug_total(form: InsightFilterForm) -> Any:
    return Sum(
        "items__quantity_normalised",
        filter=Q(items__kind=SeizureItem.Kind.DRUG, items__normalised_unit=form.chosen_unit),
    )


def route_rows(user: Any, form: InsightFilterForm) -> list[Row]:
    """Origin (or, when unknown, departure) → destination, by number of seizure reports."""
    found = (
        seizures_for(user, form)
        .annotate(
            origin=Coalesce(
                NullIf("origin_country", Value("")), NullIf("departure_country", Value(""))
            )
        )
        .filter(origin__isnull=False)
        .exclude(destination_country="")
        .values("origin", "destination_country")
        .annotate(seizures=Count("id", distinct=True), total=_drug_total(form))
        .order_by("-seizures", "-total", "origin", "destination_country")[:TOP_ROUTES]
    )
    return [
        {
            "origin": row["origin"],
            "origin_name": country_name(row["origin"]),
            "destination": row["destination_country"],
            "destination_name": country_name(row["destination_country"]),
            "route": f"{row['origin']} → {row['destination_country']}",
            "seizures": row["seizures"],
            "total": _number(row["total"]),
            "unit": form.chosen_unit,
        }
        for row in found
    ]


def _ranking(rows: list[Row], label_key: str, form: InsightFilterForm) -> dict[str, Any]:
    return {
        "labels": [row[label_key] for row in rows],
        "datasets": [
            {"label": str(_("Seizure reports")), "data": [row["seizures"] for row in rows]},
            {
                "label": str(_("Drugs (%(unit)s)") % {"unit": form.chosen_unit}),
                "data": [row["total"] for row in rows],
            },
        ],
        "unit": form.chosen_unit,
        "stacked": False,
    }


# --- countries ----------------------------------------------------------------------------------


def country_rows(user: Any, form: InsightFilterForm) -> list[Row]:
    found = (
        seizures_for(user, form)
        .values("country")
        .annotate(seizures=Count("id", distinct=True), total=_drug_total(form))
        .order_by("-seizures", "-total", "country")[:TOP_COUNTRIES]
    )
    return [
        {
            "country": row["country"],
            "country_name": country_name(row["country"]),
            "seizures": row["seizures"],
            "total": _number(row["total"]),
            "unit": form.chosen_unit,
        }
        for row in found
    ]


# --- firearms by make and calibre ------------------------------------------------------------


def firearm_rows(user: Any, form: InsightFilterForm) -> list[Row]:
    """Firearms counted by make (aliases folded: S&W = Smith & Wesson) and calibre."""
    found = (
        SeizureItem.objects.filter(
            seizure__in=seizures_for(user, form), kind=SeizureItem.Kind.FIREARM
        )
        .annotate(
            make_key=Lower(Trim("make")),
            calibre_key=Lower(Replace(Trim("calibre"), Value(" "), Value(""))),
        )
        .values("make_key", "calibre_key")
        .annotate(firearms=Count("id"), shown_make=Min("make"), shown_calibre=Min("calibre"))
        .order_by("-firearms", "make_key", "calibre_key")
    )
    shown_make: dict[str, str] = {}  # one display name per make, the most seized spelling
    merged: dict[tuple[str, str], Row] = {}
    for row in found:
        make = normalise_make(row["make_key"] or "")
        display = shown_make.setdefault(
            make, (row["shown_make"] or "").strip() or str(_("Unknown make"))
        )
        entry = merged.setdefault(
            (make, row["calibre_key"] or ""),
            {
                "make": display,
                "calibre": (row["shown_calibre"] or "").strip() or str(_("Unknown calibre")),
                "firearms": 0,
            },
        )
        entry["firearms"] += row["firearms"]
    return sorted(merged.values(), key=lambda r: (-r["firearms"], r["make"], r["calibre"]))


def firearm_shape(rows: list[Row], form: InsightFilterForm) -> dict[str, Any]:
    """Stacked bars: the most seized makes, one dataset per calibre (the commonest, then
    "Other")."""
    by_make: dict[str, int] = defaultdict(int)
    by_calibre: dict[str, int] = defaultdict(int)
    for row in rows:
        by_make[row["make"]] += row["firearms"]
        by_calibre[row["calibre"]] += row["firearms"]
    makes = sorted(by_make, key=lambda m: (-by_make[m], m))[:TOP_MAKES]
    calibres = sorted(by_calibre, key=lambda c: (-by_calibre[c], c))
    shown = calibres[:SERIES_LIMIT]
    other = str(_("Other"))
    series: dict[str, dict[str, int]] = OrderedDict((c, defaultdict(int)) for c in shown)
    if len(calibres) > SERIES_LIMIT:
        series[other] = defaultdict(int)
    for row in rows:
        if row["make"] not in makes:
            continue
        calibre = row["calibre"] if row["calibre"] in shown else other
        series[calibre][row["make"]] += row["firearms"]
    return {
        "labels": makes,
        "datasets": [
            {"label": calibre, "data": [counts[m] for m in makes]}
            for calibre, counts in series.items()
        ],
        "unit": "units",
        "stacked": True,
    }


CHARTS: dict[str, Chart] = {
    chart.key: chart
    for chart in [
        Chart(
            "substances",
            _("Drugs seized by substance"),
            _("Normalised quantity seized per period, by substance."),
            "bar",
            (
                Column("period", _("Period")),
                Column("substance", _("Substance code")),
                Column("substance_label", _("Substance")),
                Column("total", _("Quantity")),
                Column("unit", _("Unit")),
                Column("seizures", _("Seizure reports")),
            ),
            substance_rows,
            lambda rows, form: _over_time(rows, form, "substance"),
        ),
        Chart(
            "transport",
            _("Drugs seized by transport mode"),
            _("Normalised quantity seized per period, by how the drugs travelled."),
            "bar",
            (
                Column("period", _("Period")),
                Column("transport_mode", _("Transport mode code")),
                Column("transport_mode_label", _("Transport mode")),
                Column("total", _("Quantity")),
                Column("unit", _("Unit")),
                Column("seizures", _("Seizure reports")),
            ),
            transport_rows,
            lambda rows, form: _over_time(rows, form, "transport_mode"),
        ),
        Chart(
            "routes",
            _("Top routes"),
            _("Origin (or departure) → destination, by number of seizure reports."),
            "hbar",
            (
                Column("origin", _("Origin")),
                Column("origin_name", _("Origin country")),
                Column("destination", _("Destination")),
                Column("destination_name", _("Destination country")),
                Column("seizures", _("Seizure reports")),
                Column("total", _("Drugs")),
                Column("unit", _("Unit")),
            ),
            route_rows,
            lambda rows, form: _ranking(rows, "route", form),
        ),
        Chart(
            "countries",
            _("Countries of seizure"),
            _("Where the seizures were made, by number of seizure reports."),
            "hbar",
            (
                Column("country", _("Country code")),
                Column("country_name", _("Country")),
                Column("seizures", _("Seizure reports")),
                Column("total", _("Drugs")),
                Column("unit", _("Unit")),
            ),
            country_rows,
            lambda rows, form: _ranking(rows, "country_name", form),
        ),
        Chart(
            "firearms",
            _("Firearms by make and calibre"),
            _("Firearms seized, by make (the most seized) and calibre."),
            "hbar",
            (
                Column("make", _("Make")),
                Column("calibre", _("Calibre")),
                Column("firearms", _("Firearms")),
            ),
            firearm_rows,
            firearm_shape,
        ),
    ]
}


def table_of(chart: Chart, rows: Iterable[Row]) -> list[list[Any]]:
    """The rows as a list of cells in column order (CSV, accessible table)."""
    return [[row.get(column.key, "") for column in chart.columns] for row in rows]
