"""Several rows, one seizure report: rows sharing a mapped "Report key" become one report with
an item per row; its report fields must agree across the rows (an error on the row that
disagrees, in the dry run and at commit); without the column, one row is one report."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from audit.models import AuditEntry
from cases.models import SeizureItem, SeizureReport
from imports import actions
from imports.columns import guess_mapping
from imports.models import SeizureImport
from tests import factories
from tests.imports.helpers import HEADER, csv_file, xlsx_file

pytestmark = pytest.mark.django_db

KEYED = [*HEADER, "Clave del informe"]
# Fecha, País, Modo, Sustancia, Cantidad, Unidad, Contenedor, Lugar, key
A1 = ["02/03/2026", "JM", "contenedor", "cocaína", "12,5", "kg", "CSQU3054383", "Kingston", "A"]
B1 = ["03/03/2026", "JM", "lancha", "marihuana", "40", "kg", "", "Negril", "B"]
# the same report again: report cells repeated (in other words), another item, the same box
A2 = ["2026-03-02", "Jamaica", "Sea — container", "cannabis", "3", "kg", "CSQU3054383",
      "Kingston", "A"]  # fmt: skip
# and once more with the report cells left empty (as under merged cells)
A3 = ["", "", "", "heroína", "0,8", "kg", "", "", "A"]
LONE = ["04/03/2026", "JM", "contenedor", "cocaína", "1", "kg", "", "Ocho Rios", ""]


def test_it_guesses_a_report_key_column_in_the_four_languages() -> None:
    headers = ["Report key", "Clave del informe", "Clé du rapport", "Chave do relatório"]
    assert guess_mapping(headers) == ["report_key", "", "", ""]
    assert guess_mapping(["Clé du rapport"]) == ["report_key"]
    assert guess_mapping(["Chave do relatório"]) == ["report_key"]
    assert guess_mapping(["Reference"]) == [""]  # an export's own reference is not guessed


@pytest.mark.parametrize("make", [csv_file, xlsx_file], ids=["csv", "xlsx"])
def test_rows_with_one_key_make_one_report_with_an_item_each(
    region: dict[str, Any], make: Any
) -> None:
    user = region["jca_analyst"]
    before = factories.seizure(region["jca"])
    created = actions.upload(user, make([A1, B1, A2, LONE, A3], header=KEYED))
    assert created.mapping[-1] == "report_key"

    dry = actions.check(user, created.pk, created.mapping)
    assert dry.errors == [] and dry.rows == 5 and dry.reports == 3

    committed = actions.commit(user, created.pk, created.mapping)
    reports = list(
        SeizureReport.objects.filter(owner_agency=region["jca"])
        .exclude(pk=before.pk)
        .order_by("reference")
    )
    # references in the order of each report's first row: A, B, then the row without a key
    assert [r.place for r in reports] == ["Kingston", "Negril", "Ocho Rios"]
    number = int(before.reference[-5:])
    assert [int(r.reference[-5:]) for r in reports] == [number + 1, number + 2, number + 3]
    a, b, lone = reports
    items = [
        (i.substance, i.quantity, i.unit)
        for i in SeizureItem.objects.filter(seizure=a).order_by("id")
    ]
    assert items == [
        ("cocaine_hcl", Decimal("12.5"), "kg"),
        ("cannabis_herb", Decimal("3"), "kg"),
        ("heroin", Decimal("0.8"), "kg"),
    ]
    assert [c.number for c in a.containers.all()] == ["CSQU3054383"]  # named twice, kept once
    assert a.transport_mode == "sea_container" and a.seized_on.isoformat() == "2026-03-02"
    assert b.items.count() == 1 and lone.items.count() == 1
    assert committed.imported_count == 3 and committed.row_count == 5
    entry = AuditEntry.objects.get(action="import.committed")
    assert entry.details["rows"] == 5 and entry.details["reports"] == 3
    assert entry.details["rows_by_kind"]["items"] == 5


def test_rows_of_one_report_that_disagree_are_errors_on_the_later_row(
    region: dict[str, Any],
) -> None:
    user = region["jca_analyst"]
    other_place = [*A2[:7], "Ocho Rios", "A"]
    bad_item = [*A3[:5], "plants", *A3[6:]]  # cocaine is not counted in plants
    created = actions.upload(user, csv_file([A1, B1, other_place, bad_item], header=KEYED))

    result = actions.check(user, created.pk, created.mapping)
    found = [(e.row, e.column) for e in result.errors]
    # row 4 disagrees with row 2 on the place; row 5's own item is refused on row 5
    assert found == [(4, "Lugar"), (5, "Unidad")]
    place = result.errors[0]
    assert place.field == "Place"
    assert "Row 2 of report A says Kingston" in place.message
    assert result.rows_with_errors == 2 and not SeizureReport.objects.exists()

    with pytest.raises(actions.RowsRefused) as refused:
        actions.commit(user, created.pk, created.mapping)
    assert [(e.row, e.column) for e in refused.value.result.errors] == found
    assert not SeizureReport.objects.exists() and not SeizureItem.objects.exists()


def test_rows_of_one_report_must_name_the_same_case(region: dict[str, Any]) -> None:
    user = region["jca_analyst"]
    first = factories.case(region["jca"])
    second = factories.case(region["jca"])
    header = [*KEYED, "Case"]
    rows = [[*A1, first.reference], [*A2, second.reference], [*A3, ""]]
    created = actions.upload(user, csv_file(rows, header=header))
    result = actions.check(user, created.pk, created.mapping)
    assert [(e.row, e.column) for e in result.errors] == [(3, "Case")]
    assert first.reference in result.errors[0].message


def test_without_the_column_each_row_is_a_report_as_before(region: dict[str, Any]) -> None:
    user = region["jca_analyst"]
    created = actions.upload(user, csv_file([A1, A2, A1], header=KEYED))
    unmapped = [*created.mapping[:-1], ""]
    assert actions.check(user, created.pk, unmapped).reports == 3
    actions.commit(user, created.pk, unmapped)
    assert SeizureReport.objects.filter(owner_agency=region["jca"]).count() == 3
    assert SeizureItem.objects.count() == 3


def test_the_page_says_how_many_reports_the_rows_make(
    region: dict[str, Any], signed_in: Any
) -> None:
    client = signed_in(region["jca_analyst"])
    response = client.post("/imports/", {"file": csv_file([A1, B1, A2], header=KEYED)})
    assert response.status_code == 302
    upload = SeizureImport.objects.latest("id")
    mapping = {f"column_{i}": key for i, key in enumerate(upload.mapping)}
    page = client.post(f"/imports/{upload.pk}/", {**mapping, "check": "1"}).content.decode()
    assert "All 3 rows are valid" in page
    assert "Grouped by their report key, they make 2 seizure reports." in page
    assert "Import 2 seizure reports" in page
    client.post("/i18n/setlang/", {"language": "es", "next": "/"})
    page = client.post(f"/imports/{upload.pk}/", {**mapping, "check": "1"}).content.decode()
    assert "Importar 2 informes de incautación" in page, page[page.find("alert-success") :][:600]
