"""Exports of what a reader may see (CSV, Excel, UNODC layout) and the case summary PDF:
through the door, at the reader's level, audited, formula-safe, constant query counts."""

from __future__ import annotations

import csv
import io
from datetime import date
from typing import Any

import pytest
from django.test import Client
from openpyxl import load_workbook
from pypdf import PdfReader

from audit.models import AuditEntry
from cases import actions
from sharing.models import Level
from tests import factories
from tests.cases.builders import grant
from tests.insight.conftest import drug, report

pytestmark = pytest.mark.django_db

PERSON = "Zebulon Quixote-Marchetti"


def rows_of(response: Any) -> list[list[str]]:
    assert response.status_code == 200, response.content if not response.streaming else ""
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(body)))


def by_reference(rows: list[list[str]], column: int = 0) -> dict[str, list[str]]:
    return {row[column]: row for row in rows[1:]}


@pytest.fixture
def people(insight: dict[str, Any]) -> dict[str, Any]:
    """A person and a vehicle on JCA's s1 and on DIRAN's d2 (which JCA sees at summary)."""
    for key, user in (("s1", "jca_analyst"), ("d2", "diran_analyst")):
        seizure = insight[key]
        actions.update_seizure(
            insight[user],
            seizure.pk,
            {},
            {
                "persons": [
                    {"full_name": f"{PERSON} {key}", "passport_number": f"PA12345{key[-1]}"}
                ],
                "vehicles": [{"plate": f"5412 H{key[-1]}", "country": "JM"}],
            },
            version=seizure.version,
        )
    return insight


# --- seizure reports ---------------------------------------------------------------------------


def test_the_seizure_export_holds_what_the_reader_sees_and_nothing_else(
    people: dict[str, Any], signed_in: Any
) -> None:
    rows = by_reference(rows_of(signed_in(people["jca_analyst"]).get("/exports/seizures.csv")))
    refs = {people[k].reference: k for k in ("s1", "s2", "d1", "d2", "d3")}
    assert {refs[r] for r in rows} == {"s1", "s2", "d2", "d3"}  # not DIRAN's unshared d1
    header = rows_of(signed_in(people["jca_analyst"]).get("/exports/seizures.csv"))[0]
    access = header.index("Your access")
    assert rows[people["s1"].reference][access] == "owner"
    assert rows[people["d2"].reference][access] == "summary"
    assert rows[people["d3"].reference][access] == "full"  # TLP:CLEAR


def test_summary_rows_carry_no_personal_data_and_full_rows_do(
    people: dict[str, Any], signed_in: Any
) -> None:
    jca = rows_of(signed_in(people["jca_analyst"]).get("/exports/seizures.csv"))
    header, rows = jca[0], by_reference(jca)
    persons, vehicles = header.index("Persons"), header.index("Vehicles")
    own = rows[people["s1"].reference]
    assert f"{PERSON} s1" in own[persons] and "PA123451" in own[persons]
    assert "5412H1" in own[vehicles]
    shared = rows[people["d2"].reference]
    assert shared[persons] == ""
    assert "5412H2" not in shared[vehicles]
    body = "\n".join(",".join(r) for r in jca)
    assert f"{PERSON} d2" not in body and "PA123452" not in body
    diran = by_reference(rows_of(signed_in(people["diran_analyst"]).get("/exports/seizures.csv")))
    assert f"{PERSON} d2" in diran[people["d2"].reference][persons]


def test_a_case_reference_is_exported_only_to_readers_who_see_the_case(
    insight: dict[str, Any], signed_in: Any
) -> None:
    case = actions.create_case(insight["diran_analyst"], {"title": "Op Quetzal", "tlp": "AMBER"})
    inside = report(
        insight["diran_analyst"], date(2026, 2, 1), country="CO", case=case.pk, items=[]
    )
    grant(inside, insight["jca"], Level.SUMMARY, by=insight["diran_liaison"])
    jca = rows_of(signed_in(insight["jca_analyst"]).get("/exports/seizures.csv"))
    row = by_reference(jca)[inside.reference]
    assert row[jca[0].index("Case")] == ""
    assert case.reference not in "\n".join(",".join(r) for r in jca)
    diran = rows_of(signed_in(insight["diran_analyst"]).get("/exports/seizures.csv"))
    assert by_reference(diran)[inside.reference][1] == case.reference


def test_filters_apply_to_exports(insight: dict[str, Any], signed_in: Any) -> None:
    client = signed_in(insight["jca_analyst"])
    rows = by_reference(rows_of(client.get("/exports/seizures.csv", {"country": "JM"})))
    assert set(rows) == {insight["s1"].reference, insight["s2"].reference}
    rows = by_reference(
        rows_of(client.get("/exports/seizures.csv", {"transport_mode": "air_passenger"}))
    )
    assert set(rows) == {insight["s2"].reference}
    assert client.get("/exports/seizures.csv", {"country": "XX"}).status_code == 400


def test_every_export_is_audited_with_its_kind_filters_and_row_count(
    insight: dict[str, Any], signed_in: Any
) -> None:
    client = signed_in(insight["jca_analyst"])
    rows_of(client.get("/exports/seizures.csv", {"country": "JM"}))
    entry = AuditEntry.objects.filter(action="export.csv").latest("id")
    assert entry.details["kind"] == "seizures"
    assert entry.details["rows"] == 2
    assert entry.details["filters"] == {"country": "JM"}
    assert entry.actor == insight["jca_analyst"]
    client.get("/exports/unodc.xlsx")
    entry = AuditEntry.objects.filter(action="export.xlsx").latest("id")
    assert entry.details["kind"] == "unodc" and entry.details["rows"] == 4


def test_the_seizure_export_takes_the_same_queries_for_3_or_30_reports(
    insight: dict[str, Any],
    signed_in: Any,
    django_assert_num_queries: Any,
    django_assert_max_num_queries: Any,
) -> None:
    client = signed_in(insight["jca_analyst"])
    rows_of(client.get("/exports/seizures.csv"))
    # the request's own, the count, the audit entry, the reports, 7 prefetches of contents
    with django_assert_max_num_queries(20) as few:
        rows_of(client.get("/exports/seizures.csv"))
    for day in range(1, 28):
        report(insight["jca_analyst"], date(2026, 1, day), items=[drug("cocaine_hcl", "1")])
    with django_assert_num_queries(len(few.captured_queries)):
        assert len(rows_of(client.get("/exports/seizures.csv"))) == 1 + 4 + 27


def test_csv_and_excel_cells_never_run_as_formulas(insight: dict[str, Any], signed_in: Any) -> None:
    evil = "=cmd|' /C calc'!A0"
    report(insight["jca_analyst"], date(2026, 1, 9), place=evil, concealment="@SUM(1+1)")
    client = signed_in(insight["jca_analyst"])
    cells = [cell for row in rows_of(client.get("/exports/seizures.csv")) for cell in row]
    assert "'" + evil in cells and "'@SUM(1+1)" in cells
    assert evil not in cells
    workbook = load_workbook(io.BytesIO(client.get("/exports/seizures.xlsx").content))
    sheet = workbook.active
    found = [cell for row in sheet.iter_rows() for cell in row if cell.value == evil]
    assert found and all(cell.data_type == "s" for cell in found)  # text, not a formula


def test_the_excel_export_has_the_same_rows_as_the_csv(
    people: dict[str, Any], signed_in: Any
) -> None:
    client = signed_in(people["jca_analyst"])
    response = client.get("/exports/seizures.xlsx")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    csv_rows = rows_of(client.get("/exports/seizures.csv"))
    assert values[0] == csv_rows[0]
    assert {row[0] for row in values[1:]} == {row[0] for row in csv_rows[1:]}
    assert f"{PERSON} d2" not in str(values)


# --- UNODC ------------------------------------------------------------------------------------


def test_the_unodc_layout_has_one_row_per_drug_in_english(
    insight: dict[str, Any], signed_in: Any
) -> None:
    client = signed_in(insight["jca_analyst"])
    client.cookies["django_language"] = "es"
    rows = rows_of(client.get("/exports/unodc.csv", HTTP_ACCEPT_LANGUAGE="es"))
    assert rows[0][:8] == [
        "Seizure date",
        "Country of seizure",
        "Drug",
        "Quantity",
        "Unit",
        "Place of seizure",
        "Mode of transport",
        "Routing countries",
    ]
    by_ref = {row[-1]: row for row in rows[1:]}
    assert set(by_ref) == {insight[k].reference for k in ("s1", "s2", "d2", "d3")}
    s1 = by_ref[insight["s1"].reference]
    assert s1[:8] == [
        "2026-01-10",
        "Jamaica",
        "Cocaine hydrochloride",
        "100.000",
        "kg",
        "Kingston Container Terminal",
        "Sea (container)",
        "Colombia; Netherlands",
    ]
    s2 = by_ref[insight["s2"].reference]
    assert s2[3:5] == ["2000.000", "g"] and s2[13:15] == ["2.000000", "kg"]


# --- cases -----------------------------------------------------------------------------------


def test_the_case_export_lists_visible_cases_only(insight: dict[str, Any], signed_in: Any) -> None:
    own = actions.create_case(insight["jca_analyst"], {"title": "Reefer line", "tlp": "AMBER"})
    theirs = actions.create_case(insight["diran_analyst"], {"title": "Op Quetzal", "tlp": "AMBER"})
    clear = actions.create_case(insight["diran_analyst"], {"title": "Open brief", "tlp": "CLEAR"})
    rows = by_reference(rows_of(signed_in(insight["jca_analyst"]).get("/exports/cases.csv")))
    assert set(rows) == {own.reference, clear.reference}
    assert theirs.reference not in rows


def test_the_export_page_offers_each_export_in_both_formats(
    insight: dict[str, Any], signed_in: Any
) -> None:
    html = signed_in(insight["jca_analyst"]).get("/exports/", {"country": "JM"}).content.decode()
    for key in ("seizures", "unodc", "cases"):
        for fmt in ("csv", "xlsx"):
            assert f'href="/exports/{key}.{fmt}?country=JM"' in html
    assert signed_in(insight["jca_analyst"]).get("/exports/nothing.csv").status_code == 404


# --- case summary PDF --------------------------------------------------------------------------


def pdf_pages(response: Any) -> list[str]:
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    return [page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages]


@pytest.fixture
def case_world(people: dict[str, Any]) -> dict[str, Any]:
    """A DIRAN case holding d2 (with a person), marked H1 and evaluated B2, shared with JCA
    at summary level; many items so that the summary runs over several pages."""
    diran = people["diran_analyst"]
    case = actions.create_case(
        diran,
        {
            "title": "Operación Quetzal",
            "summary": "Cocaína en contenedores refrigerados, Cartagena → Amberes.",
            "tlp": "AMBER",
            "handling_code": "H1",
            "source_reliability": "B",
            "information_credibility": "2",
        },
    )
    actions.update_seizure(diran, people["d2"].pk, {"case": case.pk}, version=2)
    for n in range(12):
        report(
            diran,
            date(2026, 1, 1 + n),
            country="CO",
            case=case.pk,
            place=f"Muelle {n}",
            items=[drug("cocaine_hcl", str(10 + n)) for _ in range(4)],
        )
    people["case"] = case
    return people


def test_the_owner_prints_the_case_with_markings_on_every_page(
    case_world: dict[str, Any], signed_in: Any
) -> None:
    case = case_world["case"]
    pages = pdf_pages(
        signed_in(case_world["diran_analyst"]).get(f"/insight/cases/{case.pk}/summary.pdf")
    )
    assert len(pages) >= 2
    for number, text in enumerate(pages, start=1):
        assert text.count("TLP:AMBER") >= 2, number  # header and footer
        assert "H1 — not for use in court without the owner's consent" in text
        assert "Evaluation: B2" in text
        assert f"page {number} of {len(pages)}" in text
    everything = "\n".join(pages)
    assert "Operación Quetzal" in everything
    assert case_world["d2"].reference in everything
    assert f"{PERSON} d2" in everything  # the owner sees people
    entry = AuditEntry.objects.filter(action="export.pdf").latest("id")
    assert entry.object_id == str(case.pk)
    assert entry.details["seizures"] == 13
    assert entry.details["access_level"] == Level.OWNER


def test_a_summary_reader_prints_no_personal_data(
    case_world: dict[str, Any], signed_in: Any
) -> None:
    case = case_world["case"]
    grant(case, case_world["jca"], Level.SUMMARY, by=case_world["diran_liaison"])
    client = signed_in(case_world["jca_analyst"])
    everything = "\n".join(pdf_pages(client.get(f"/insight/cases/{case.pk}/summary.pdf")))
    assert case.reference in everything
    assert f"{PERSON} d2" not in everything and "PA123452" not in everything
    assert "5412H2" not in everything
    assert "summary level" in everything


def test_a_reader_who_may_not_see_the_case_gets_404_and_the_attempt_is_audited(
    case_world: dict[str, Any], signed_in: Any
) -> None:
    case = case_world["case"]
    stranger = signed_in(case_world["senan_analyst"])
    assert stranger.get(f"/insight/cases/{case.pk}/summary.pdf").status_code == 404
    assert stranger.get("/insight/cases/999999/summary.pdf").status_code == 404
    denied = AuditEntry.objects.filter(action="export.pdf", outcome="denied").order_by("id")
    assert [e.object_id for e in denied] == [str(case.pk), "999999"]
    # JCA sees d2 (shared alone) but not its case
    assert (
        signed_in(case_world["jca_analyst"])
        .get(f"/insight/cases/{case.pk}/summary.pdf")
        .status_code
        == 404
    )


def test_the_pdf_lists_only_the_seizure_reports_the_reader_sees(
    case_world: dict[str, Any], signed_in: Any
) -> None:
    case = case_world["case"]
    # a grant on the case reaches its reports; none is missing, none from elsewhere
    grant(case, case_world["jca"], Level.FULL, by=case_world["diran_liaison"])
    everything = "\n".join(
        pdf_pages(signed_in(case_world["jca_analyst"]).get(f"/insight/cases/{case.pk}/summary.pdf"))
    )
    assert case_world["d2"].reference in everything
    assert case_world["d1"].reference not in everything  # DIRAN's, outside the case
    assert f"{PERSON} d2" in everything  # full level: people included


def test_pdf_needs_a_verified_member(case_world: dict[str, Any]) -> None:
    case = case_world["case"]
    assert Client().get(f"/insight/cases/{case.pk}/summary.pdf").status_code == 302
    nobody = factories.user(None, username="nobody-pdf")
    client = Client()
    client.force_login(nobody)
    assert client.get(f"/insight/cases/{case.pk}/summary.pdf").status_code == 302
