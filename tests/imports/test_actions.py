"""Importing seizure reports: upload, mapping guesses, dry run, all-or-nothing commit."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404

from audit.models import AuditEntry
from cases.identifiers import digest
from cases.models import Identifier, Person, SeizureItem, SeizureReport
from imports import actions
from imports.columns import BY_KEY, guess_mapping, read_cell
from imports.models import SeizureImport
from portal.errors import InvalidInput
from tests import factories
from tests.imports.helpers import GOOD, csv_file, xlsx_file

pytestmark = pytest.mark.django_db


def _bad_rows() -> list[list[Any]]:
    return [
        GOOD,
        ["02/03/2026", "XX", "contenedor", "cocaína", "12,5", "kg", "CSQU3054384", "Kingston"],
        GOOD,
        ["2099-01-01", "JM", "teleport", "cocaína", "-3", "plants", "", "Ocho Rios"],
    ]


# --- mapping guesses -----------------------------------------------------------------------------


def test_it_guesses_columns_in_english_spanish_french_and_portuguese() -> None:
    headers = ["Date of seizure", "Fecha de incautación", "Pays", "Mode de transport",
               "Quantidade", "Unidad", "Container number", "Número IMO", "Pasaporte",
               "Drogue", "Pureza (%)", "Passeport", "Nonsense", "Nº de série"]  # fmt: skip
    assert guess_mapping(headers) == [
        "seized_on", "", "country", "transport_mode", "quantity", "unit",
        "container_number", "vessel_imo", "passport_number", "substance", "purity", "",
        "", "serial_number",
    ]  # fmt: skip


def test_it_reads_an_export_header_back() -> None:
    from insight.exports import SEIZURE_HEADER, UNODC_HEADER

    seizure = guess_mapping([str(h) for h in SEIZURE_HEADER])
    assert {"seized_on", "country", "place", "transport_mode", "tlp", "container_number",
            "case", "concealment"} <= set(seizure)  # fmt: skip
    unodc = guess_mapping(UNODC_HEADER)
    assert {"seized_on", "country", "substance", "quantity", "unit", "transport_mode",
            "origin_country", "destination_country"} <= set(unodc)  # fmt: skip


def test_it_reads_values_written_in_the_region() -> None:
    assert read_cell(BY_KEY["seized_on"], "02/03/2026") == date(2026, 3, 2)
    assert read_cell(BY_KEY["country"], "Panamá") == "PA"
    assert read_cell(BY_KEY["transport_mode"], "Contenedor") == "sea_container"
    assert read_cell(BY_KEY["transport_mode"], "Sea — container") == "sea_container"
    assert read_cell(BY_KEY["substance"], "cocaína") == "cocaine_hcl"
    assert read_cell(BY_KEY["quantity"], "1.234,5") == "1234.5"
    assert read_cell(BY_KEY["transit_countries"], "PA JM") == ["PA", "JM"]
    assert read_cell(BY_KEY["tlp"], "TLP:AMBER+STRICT") == "AMBER+STRICT"
    assert read_cell(BY_KEY["do_not_reveal"], "sí") is True
    # what cannot be read is passed on as written, for the report's validation to refuse
    assert read_cell(BY_KEY["transport_mode"], "teleport") == "teleport"


# --- upload --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (SimpleUploadedFile("a.pdf", b"%PDF-1.7", "application/pdf"), "Upload a .csv or .xlsx"),
        (SimpleUploadedFile("a.csv", b"a,b\n1,2\n", "image/png"), "is sent as image/png"),
        (
            SimpleUploadedFile("a.xlsx", b"a,b\n1,2\n", "application/octet-stream"),
            "not a Excel table",
        ),
        (SimpleUploadedFile("a.csv", b"\x89PNG\r\n\x1a\n\x00\x00", "text/csv"), "not a CSV"),
        (SimpleUploadedFile("a.csv", "Fecha,País\n".encode(), "text/csv"), "no rows under it"),
    ],
)
def test_it_refuses_a_file_that_is_not_a_table_with_a_per_field_error(
    region: dict[str, Any], upload: SimpleUploadedFile, message: str
) -> None:
    with pytest.raises(InvalidInput) as refused:
        actions.upload(region["jca_analyst"], upload)
    assert list(refused.value.errors) == ["file"]
    assert message in refused.value.errors["file"][0]
    assert not SeizureImport.objects.exists()


def test_it_refuses_a_file_over_the_size_limit(
    region: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(actions, "MAX_BYTES", 100)
    with pytest.raises(InvalidInput) as refused:
        actions.upload(region["jca_analyst"], csv_file([GOOD] * 5))
    assert "larger than" in refused.value.errors["file"][0]


def test_it_keeps_the_upload_encrypted_with_its_guessed_mapping(region: dict[str, Any]) -> None:
    created = actions.upload(region["jca_analyst"], csv_file([GOOD, GOOD]))
    assert created.row_count == 2
    assert created.mapping == ["seized_on", "country", "transport_mode", "substance",
                               "quantity", "unit", "container_number", "place"]  # fmt: skip
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT content, filename FROM imports_seizureimport WHERE id = %s", [created.pk]
        )
        content, filename = cursor.fetchone()
    assert content.startswith("enc1:") and filename.startswith("enc1:")
    assert "Kingston" not in content
    entry = AuditEntry.objects.get(action="import.uploaded")
    assert entry.details["rows"] == 2


# --- dry run -------------------------------------------------------------------------------------


@pytest.mark.parametrize("make", [csv_file, xlsx_file], ids=["csv", "xlsx"])
def test_the_dry_run_lists_every_rows_errors_and_saves_nothing(
    region: dict[str, Any], make: Any
) -> None:
    user = region["jca_analyst"]
    created = actions.upload(user, make(_bad_rows()))
    result = actions.check(user, created.pk, created.mapping)
    found = {(e.row, e.column) for e in result.errors}
    # row 3: bad country, bad container check digit; row 5: future date, unknown mode,
    # negative quantity, unit the substance is not counted in
    assert found == {
        (3, "País"), (3, "Contenedor"),
        (5, "Fecha"), (5, "Modo de transporte"), (5, "Cantidad"), (5, "Unidad"),
    }  # fmt: skip
    messages = " ".join(e.message for e in result.errors if e.row == 3)
    assert "check digit of CSQU3054384 should be 3" in messages
    assert result.rows_with_errors == 2 and result.rows == 4
    assert not SeizureReport.objects.exists()
    assert not Identifier.objects.exists()
    entry = AuditEntry.objects.get(action="import.dry_run")
    assert entry.details == {"rows": 4, "errors": 6, "rows_with_errors": 2}
    created.refresh_from_db()
    assert created.status == SeizureImport.Status.CHECKED and created.error_count == 6


def test_a_required_field_left_unmapped_is_a_mapping_error(region: dict[str, Any]) -> None:
    user = region["jca_analyst"]
    created = actions.upload(user, csv_file([GOOD]))
    mapping = ["", *created.mapping[1:]]
    with pytest.raises(InvalidInput) as refused:
        actions.check(user, created.pk, mapping)
    assert "Seized on" in refused.value.errors["mapping"][0]
    twice = [*created.mapping[:7], "country"]
    with pytest.raises(InvalidInput) as refused:
        actions.check(user, created.pk, twice)
    assert list(refused.value.errors) == ["column_7"]


# --- commit --------------------------------------------------------------------------------------


def test_one_bad_row_and_nothing_is_saved(region: dict[str, Any]) -> None:
    user = region["jca_analyst"]
    created = actions.upload(user, csv_file(_bad_rows()))
    with pytest.raises(actions.RowsRefused) as refused:
        actions.commit(user, created.pk, created.mapping)
    assert refused.value.result.rows_with_errors == 2
    assert not SeizureReport.objects.exists()
    assert not SeizureItem.objects.exists()
    assert AuditEntry.objects.filter(action="import.refused").count() == 1
    assert not AuditEntry.objects.filter(action="import.committed").exists()


@pytest.mark.parametrize("make", [csv_file, xlsx_file], ids=["csv", "xlsx"])
def test_the_commit_writes_every_row_with_items_identifiers_and_references(
    region: dict[str, Any], make: Any
) -> None:
    user = region["jca_analyst"]
    before = factories.seizure(region["jca"])  # the counter is shared with the form
    excel_date = [date(2026, 3, 2), *GOOD[1:]]
    rows = [excel_date if make is xlsx_file else GOOD,
            ["2026-03-03", "Jamaica", "Sea — vessel", "Cannabis herb", "40", "kg",
             "MSCU1234566; TGHU 0000008", "Montego Bay"]]  # fmt: skip
    created = actions.upload(user, make(rows))
    committed = actions.commit(user, created.pk, created.mapping)
    reports = list(SeizureReport.objects.filter(owner_agency=region["jca"]).exclude(pk=before.pk)
                   .order_by("reference"))  # fmt: skip
    assert len(reports) == 2
    number = int(before.reference[-5:])
    assert [r.reference[-5:] for r in reports] == [f"{number + 1:05d}", f"{number + 2:05d}"]
    first, second = reports
    assert first.seized_on == date(2026, 3, 2) and first.transport_mode == "sea_container"
    assert first.created_by == user and first.place == "Kingston"
    item = first.items.get()
    assert (item.kind, item.substance, item.quantity, item.unit) == (
        "drug",
        "cocaine_hcl",
        Decimal("12.5"),
        "kg",
    )
    assert item.quantity_normalised == Decimal("12.5")
    assert sorted(c.number for c in second.containers.all()) == ["MSCU1234566", "TGHU0000008"]
    assert Identifier.objects.filter(
        seizure=first, kind="container", digest=digest("container", "CSQU 305438-3")
    ).exists()
    assert Identifier.objects.filter(seizure=second).count() == 2
    assert committed.status == SeizureImport.Status.COMMITTED and committed.content == ""
    assert committed.imported_count == 2
    entry = AuditEntry.objects.get(action="import.committed")
    assert entry.details["rows"] == 2 and entry.details["rows_by_kind"]["containers"] == 3
    assert entry.details["first_reference"] == first.reference
    with pytest.raises(InvalidInput):
        actions.commit(user, created.pk)  # once only


def test_personal_data_from_a_file_is_encrypted_and_indexed(region: dict[str, Any]) -> None:
    user = region["jca_analyst"]
    header = ["Date", "Country", "Transport mode", "Full name", "Passport", "Phone", "Case",
              "Transit", "Latitude", "Longitude", "Do not reveal"]  # fmt: skip
    case = factories.case(region["jca"], by=user)
    rows = [["2026-03-02", "JM", "air_passenger", "Ana  Pérez", "pa 123-4567",
             "+1 876 555 0100", case.reference, "Panamá; PA, CO", "17,9712", "-76.79",
             "sí"]]  # fmt: skip
    created = actions.upload(user, csv_file(rows, header=header))
    actions.commit(user, created.pk)
    person = Person.objects.get()
    assert person.full_name == "Ana Pérez" and person.passport_number == "PA1234567"
    assert person.seizure.case == case
    seizure = SeizureReport.objects.get()
    assert seizure.transit_countries == ["PA", "CO"] and seizure.do_not_reveal
    assert (seizure.latitude, seizure.longitude) == (Decimal("17.9712"), Decimal("-76.79"))
    assert seizure.created_at is not None and seizure.updated_at is not None
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT full_name FROM cases_person WHERE id = %s", [person.pk])
        assert cursor.fetchone()[0].startswith("enc1:")
    kinds = set(Identifier.objects.values_list("kind", flat=True))
    assert kinds == {"passport", "phone"}


def test_a_case_of_another_agency_is_refused(region: dict[str, Any]) -> None:
    user = region["jca_analyst"]
    theirs = factories.case(region["diran"], tlp="CLEAR")
    header = ["Date", "Country", "Transport mode", "Case"]
    created = actions.upload(user, csv_file([["2026-03-02", "JM", "other", theirs.reference]],
                                            header=header))  # fmt: skip
    result = actions.check(user, created.pk, created.mapping)
    assert [(e.row, e.column, e.message) for e in result.errors] == [
        (2, "Case", "No such case of your agency.")
    ]


# --- who may touch an import ---------------------------------------------------------------------


def test_another_agency_or_a_stranger_cannot_reach_an_import(region: dict[str, Any]) -> None:
    created = actions.upload(region["jca_analyst"], csv_file([GOOD]))
    # a colleague of the same agency continues it
    actions.check(region["jca_liaison"], created.pk, created.mapping)
    for user in (region["diran_analyst"], region["diran_agency_admin"],
                 factories.user(None, username="nobody")):  # fmt: skip
        with pytest.raises(Http404):
            actions.check(user, created.pk, created.mapping)
        with pytest.raises(Http404):
            actions.commit(user, created.pk)
    assert not SeizureReport.objects.exists()


def test_imported_reports_are_matched_against_other_agencies(region: dict[str, Any]) -> None:
    from cases.actions import create_seizure
    from hits.models import Hit

    theirs = create_seizure(
        region["diran_analyst"],
        {"seized_on": "2026-03-01", "country": "CO", "transport_mode": "sea_container"},
        {"containers": [{"number": "CSQU3054383"}]},
    )
    created = actions.upload(region["jca_analyst"], csv_file([GOOD, GOOD]))
    actions.commit(region["jca_analyst"], created.pk)
    ours = list(SeizureReport.objects.filter(owner_agency=region["jca"]))
    # each imported report and the other agency's report are told of each other, once
    assert Hit.objects.filter(our_agency=region["jca"], their_seizure=theirs).count() == 2
    assert Hit.objects.filter(our_seizure=theirs).count() == 2
    assert {h.our_seizure_id for h in Hit.objects.filter(our_agency=region["jca"])} == {
        s.pk for s in ours
    }
    assert AuditEntry.objects.get(action="import.committed").details["hits"] == 4


def test_a_file_nobody_imported_is_erased_after_a_day(region: dict[str, Any]) -> None:
    from datetime import timedelta

    from django.utils import timezone

    from imports.tasks import erase_stale_imports

    old = actions.upload(region["jca_analyst"], csv_file([GOOD]))
    fresh = actions.upload(region["jca_analyst"], csv_file([GOOD]))
    SeizureImport.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(hours=25))
    assert erase_stale_imports() == 1
    old.refresh_from_db()
    fresh.refresh_from_db()
    assert old.content == "" and fresh.content != ""
    with pytest.raises(InvalidInput):
        actions.check(region["jca_analyst"], old.pk, old.mapping)
    assert AuditEntry.objects.get(action="import.erased").details["imports"] == 1


def test_the_bench_table_is_valid_as_an_agency_would_write_it(region: dict[str, Any]) -> None:
    from bench.plugs import import_table

    upload = actions.upload(
        region["jca_analyst"], SimpleUploadedFile("bench.csv", import_table(60), "text/csv")
    )
    assert "" not in upload.mapping  # every header is recognised
    result = actions.check(region["jca_analyst"], upload.pk, upload.mapping)
    assert result.rows == 60 and result.errors == []
