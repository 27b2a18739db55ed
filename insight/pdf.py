"""A printable case summary for a prosecutor (PDF, reportlab).

What it holds is what the reader may see, read through the access door: the case (404 when
invisible), the seizure reports of the case the reader sees, their items and linked entities,
and personal data (people, passports, phones, plates) only for reports the reader sees at
*full* or above. Every page carries the case's markings — TLP label, handling code and the
evaluation — in its header and footer, and says who printed it and when.
"""

from __future__ import annotations

import html
import io
import os
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import reportlab
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas as pdfcanvas
from reportlab.platypus import (
    KeepTogether,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from cases.markings import HandlingCode, InformationCredibility, SourceReliability
from cases.models import Case, SeizureItem, SeizureReport
from cases.templatetags.records import quantity
from insight.exports import item_text
from portal.countries import country_name
from sharing.access import get_visible_or_404, visible_seizures, with_access_level
from sharing.models import Level

FONT = "EnlaceSans"
FONT_BOLD = "EnlaceSans-Bold"
# TLP 2.0 colours (FIRST), drawn on black as the standard asks.
TLP_COLOURS = {
    "CLEAR": colors.white,
    "GREEN": colors.HexColor("#33FF00"),
    "AMBER": colors.HexColor("#FFC000"),
    "AMBER+STRICT": colors.HexColor("#FFC000"),
    "RED": colors.HexColor("#FF2B2B"),
}


def _day(value: Any, missing: str = "—") -> str:
    """A date in the reader's language (ISO in English)."""
    return date_format(value, "SHORT_DATE_FORMAT") if value else missing


def _register_fonts() -> None:
    """Bitstream Vera ships with reportlab: embedded, it prints every accent of es/fr/pt."""
    if FONT in pdfmetrics.getRegisteredFontNames():
        return
    folder = os.path.join(os.path.dirname(reportlab.__file__), "fonts")
    pdfmetrics.registerFont(TTFont(FONT, os.path.join(folder, "Vera.ttf")))
    pdfmetrics.registerFont(TTFont(FONT_BOLD, os.path.join(folder, "VeraBd.ttf")))


def tlp_statement(tlp: str) -> str:
    return {
        "CLEAR": _("TLP:CLEAR — disclosure is not limited."),
        "GREEN": _("TLP:GREEN — limited disclosure, within the community."),
        "AMBER": _(
            "TLP:AMBER — limited disclosure: your organisation and its clients, on a "
            "need-to-know basis."
        ),
        "AMBER+STRICT": _("TLP:AMBER+STRICT — limited disclosure: your organisation only."),
        "RED": _("TLP:RED — for the eyes and ears of the named recipients only."),
    }.get(tlp, f"TLP:{tlp}")


def evaluation_text(record: Case | SeizureReport) -> str:
    if not record.source_reliability:
        return _("not evaluated")
    reliability = dict(SourceReliability.choices).get(record.source_reliability, "")
    credibility = dict(InformationCredibility.choices).get(record.information_credibility, "")
    return f"{record.evaluation} ({reliability}; {credibility})"


@dataclass(frozen=True)
class Markings:
    tlp: str
    handling: str
    evaluation: str
    reference: str
    printed: str


class _NumberedCanvas(pdfcanvas.Canvas):
    """Draws the markings on every page once the number of pages is known."""

    markings: Markings

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._pages: list[dict[str, Any]] = []

    def showPage(self) -> None:
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._pages)
        for state in self._pages:
            self.__dict__.update(state)
            self._draw_markings(total)
            super().showPage()
        super().save()

    def _draw_markings(self, total: int) -> None:
        m = self.markings
        width, height = A4
        for y in (height - 12 * mm, 8 * mm):
            # TLP label: coloured text on black
            label = f"TLP:{m.tlp}"
            self.setFont(FONT_BOLD, 9)
            text_width = self.stringWidth(label, FONT_BOLD, 9)
            self.setFillColor(colors.black)
            self.rect(15 * mm, y - 1.2 * mm, text_width + 4 * mm, 5 * mm, stroke=0, fill=1)
            self.setFillColor(TLP_COLOURS.get(m.tlp, colors.white))
            self.drawString(17 * mm, y, label)
            self.setFillColor(colors.black)
            self.setFont(FONT, 7.5)
            marks = f"{m.handling} · {m.evaluation}"[:140]
            self.drawString(15 * mm + text_width + 7 * mm, y, marks)
        self.setFont(FONT, 7)
        self.drawString(15 * mm, 3.5 * mm, m.printed[:160])
        self.drawRightString(
            width - 15 * mm,
            3.5 * mm,
            _("%(reference)s · page %(page)s of %(total)s")
            % {"reference": m.reference, "page": self._pageNumber, "total": total},
        )


def _styles() -> dict[str, ParagraphStyle]:
    base = getSampleStyleSheet()
    styles = {
        name: ParagraphStyle(name, parent=base[parent], fontName=font, **extra)
        for name, parent, font, extra in [
            ("title", "Title", FONT_BOLD, {"fontSize": 16, "leading": 20}),
            ("h2", "Heading2", FONT_BOLD, {"fontSize": 12, "spaceBefore": 8}),
            ("h3", "Heading3", FONT_BOLD, {"fontSize": 10, "spaceBefore": 6}),
            ("body", "BodyText", FONT, {"fontSize": 9, "leading": 12}),
            ("small", "BodyText", FONT, {"fontSize": 8, "leading": 10}),
            ("cell", "BodyText", FONT, {"fontSize": 8, "leading": 10}),
            ("warning", "BodyText", FONT_BOLD, {"fontSize": 9, "leading": 12}),
        ]
    }
    return styles


def _p(text: Any, style: ParagraphStyle) -> Paragraph:
    return Paragraph(html.escape(str(text or ""), quote=False).replace("\n", "<br/>"), style)


def _table(rows: Sequence[Sequence[Any]], styles: dict[str, ParagraphStyle], widths: Any) -> Table:
    cells = [[_p(value, styles["cell"]) for value in row] for row in rows]
    table = Table(cells, colWidths=widths, repeatRows=1 if len(rows) > 1 else 0)
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.3, colors.HexColor("#adb5bd")),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e9ecef")),
            ]
        )
    )
    return table


def _facts(rows: Sequence[tuple[str, Any]], styles: dict[str, ParagraphStyle]) -> Table:
    cells = [[_p(label, styles["cell"]), _p(value, styles["cell"])] for label, value in rows]
    table = Table(cells, colWidths=[45 * mm, 135 * mm])
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.3, colors.HexColor("#adb5bd")),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("BACKGROUND", (0, 0), (0, -1), colors.HexColor("#f1f3f5")),
            ]
        )
    )
    return table


def _route(seizure: SeizureReport) -> str:
    stops = [
        seizure.origin_country,
        seizure.departure_country,
        *seizure.transit_countries,
        seizure.destination_country,
    ]
    shown: list[str] = []
    for code in stops:
        if code and (not shown or shown[-1] != code):
            shown.append(code)
    return " > ".join(f"{country_name(code)} ({code})" for code in shown) or "—"


def _seizure_flowables(seizure: Any, styles: dict[str, ParagraphStyle]) -> list[Any]:
    level = int(seizure.access_level)
    full = level >= Level.FULL
    flow: list[Any] = [
        _p(
            _("Seizure report %(reference)s — %(date)s")
            % {"reference": seizure.reference, "date": _day(seizure.seized_on)},
            styles["h3"],
        ),
        _facts(
            [
                (_("Markings"), f"TLP:{seizure.tlp} · {seizure.get_handling_code_display()}"),
                (_("Evaluation"), evaluation_text(seizure)),
                (_("Owner agency"), seizure.owner_agency.name),
                (_("Your access"), str(Level(min(level, Level.OWNER)).label)),
                (
                    _("Where"),
                    ", ".join(
                        p
                        for p in (seizure.place, seizure.locode, country_name(seizure.country))
                        if p
                    ),
                ),
                (_("Transport mode"), seizure.get_transport_mode_display()),
                (_("Route"), _route(seizure)),
                (_("Concealment"), seizure.concealment or "—"),
                (_("Summary"), seizure.summary or "—"),
            ],
            styles,
        ),
    ]
    items = list(seizure.items.all())
    if items:
        rows: list[list[Any]] = [[_("Kind"), _("Description"), _("Normalised quantity")]]
        for item in items:
            normalised = (
                quantity(item.quantity_normalised, item.normalised_unit)
                if item.quantity_normalised is not None and item.kind != SeizureItem.Kind.FIREARM
                else ""
            )
            rows.append([item.get_kind_display(), item_text(item), normalised])
        flow += [Spacer(1, 2 * mm), _table(rows, styles, [30 * mm, 110 * mm, 40 * mm])]
    entities: list[tuple[str, Any]] = []
    for container in seizure.containers.all():
        extra = ", ".join(p for p in (container.seal_number, container.bill_of_lading) if p)
        entities.append((_("Container"), f"{container.number} {extra}".strip()))
    for vessel in seizure.vessels.all():
        parts = [
            vessel.name,
            f"IMO {vessel.imo}" if vessel.imo else "",
            f"MMSI {vessel.mmsi}" if vessel.mmsi else "",
            _("flag %(country)s") % {"country": vessel.flag} if vessel.flag else "",
            vessel.vessel_type,
        ]
        entities.append((_("Vessel"), " · ".join(p for p in parts if p)))
    for flight in seizure.flights.all():
        when = _day(flight.flight_date, "")
        route = " > ".join(p for p in (flight.departure_airport, flight.arrival_airport) if p)
        entities.append((_("Flight"), " · ".join(p for p in (flight.designator, when, route) if p)))
    for organisation in seizure.organisations.all():
        parts = [
            organisation.name,
            organisation.get_role_display(),
            organisation.registration_number,
            organisation.country,
        ]
        entities.append((_("Organisation"), " · ".join(p for p in parts if p)))
    for vehicle in seizure.vehicles.all():
        plate = vehicle.plate if full else _("plate withheld (summary level)")
        parts = [plate, vehicle.country, vehicle.description]
        entities.append((_("Vehicle"), " · ".join(p for p in parts if p)))
    if full:
        for person in seizure.persons.all():
            parts = [
                person.full_name,
                person.get_role_display(),
                _("born %(date)s") % {"date": person.date_of_birth} if person.date_of_birth else "",
                _("nationality %(country)s") % {"country": person.nationality}
                if person.nationality
                else "",
                _("passport %(number)s (%(country)s)")
                % {"number": person.passport_number, "country": person.passport_country or "—"}
                if person.passport_number
                else "",
                person.phone or "",
            ]
            entities.append((_("Person"), " · ".join(p for p in parts if p)))
    if entities:
        flow += [Spacer(1, 2 * mm), _facts(entities, styles)]
    if not full:
        flow.append(
            _p(
                _(
                    "You see this report at summary level: people, their documents and phones, "
                    "vehicle plates and attachments are not included."
                ),
                styles["small"],
            )
        )
    return [KeepTogether(flow[:2]), *flow[2:], Spacer(1, 4 * mm)]


def case_summary(user: Any, case_id: int) -> tuple[Case, int, bytes]:
    """(the case, the number of its seizure reports included, the PDF). 404 when invisible."""
    _register_fonts()
    case: Any = get_visible_or_404(
        user, Case.objects.select_related("owner_agency"), Level.SUMMARY, pk=case_id
    )
    seizures: Any = with_access_level(
        visible_seizures(user, Level.SUMMARY).filter(case_id=case.pk), user
    )
    reports = list(
        seizures.select_related("owner_agency")
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
    styles = _styles()
    level = int(case.access_level)
    membership = getattr(user, "membership", None)
    printed = _("Printed %(when)s UTC by %(user)s (%(agency)s) from Enlace.") % {
        "when": date_format(timezone.now(), "SHORT_DATETIME_FORMAT"),
        "user": user.get_username(),
        "agency": membership.agency.acronym if membership else "—",
    }
    markings = Markings(
        tlp=case.tlp,
        handling=case.get_handling_code_display(),
        evaluation=_("Evaluation: %(evaluation)s") % {"evaluation": evaluation_text(case)},
        reference=case.reference,
        printed=printed,
    )
    crime_labels = dict(Case._meta.get_field("crime_types").base_field.choices or [])
    story: list[Any] = [
        _p(_("Case summary"), styles["small"]),
        _p(f"{case.reference} — {case.title}", styles["title"]),
        _p(tlp_statement(case.tlp), styles["warning"]),
    ]
    if case.handling_code != HandlingCode.H0:
        note = f" {case.handling_note}" if case.handling_note else ""
        story.append(
            _p(
                _("Handling: %(code)s.%(note)s")
                % {"code": case.get_handling_code_display(), "note": note},
                styles["warning"],
            )
        )
    story += [
        Spacer(1, 3 * mm),
        _facts(
            [
                (_("Owner agency"), f"{case.owner_agency.name} ({case.owner_agency.acronym})"),
                (_("Status"), case.get_status_display()),
                (
                    _("Crime types"),
                    ", ".join(str(crime_labels.get(c, c)) for c in case.crime_types) or "—",
                ),
                (_("Markings"), f"TLP:{case.tlp} · {case.get_handling_code_display()}"),
                (_("Handling note"), case.handling_note or "—"),
                (_("Evaluation"), evaluation_text(case)),
                (_("Opened"), _day(case.created_at)),
                (_("Closed"), _day(case.closed_at)),
                (_("Your access"), str(Level(min(level, Level.OWNER)).label)),
            ],
            styles,
        ),
        _p(_("Summary"), styles["h2"]),
        _p(case.summary or "—", styles["body"]),
        _p(_("Seizure reports"), styles["h2"]),
    ]
    if not reports:
        story.append(_p(_("No seizure report of this case is visible to you."), styles["body"]))
    for seizure in reports:
        story += _seizure_flowables(seizure, styles)
    story.append(
        _p(
            _(
                "This summary holds only what your agency may see of the case, at your level "
                "of access. The owner agency's markings and handling code apply to every page."
            ),
            styles["small"],
        )
    )

    buffer = io.BytesIO()

    class _Canvas(_NumberedCanvas):
        pass

    _Canvas.markings = markings
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=15 * mm,
        rightMargin=15 * mm,
        topMargin=20 * mm,
        bottomMargin=18 * mm,
        title=f"{case.reference} — TLP:{case.tlp}",
        author=case.owner_agency.acronym,
        subject=_("Case summary"),
        creator="Enlace",
    )
    document.build(story, canvasmaker=_Canvas)
    return case, len(reports), buffer.getvalue()
