"""The import pages and ``/api/v1/imports/``: upload, mapping, dry run, commit; other agencies
get 404; the schema documents the endpoint."""

from __future__ import annotations

import json
from typing import Any

import pytest

from audit.models import AuditEntry
from cases.models import SeizureReport
from imports.models import SeizureImport
from tests.imports.helpers import GOOD, csv_file, xlsx_file

pytestmark = pytest.mark.django_db

BAD = ["02/03/2026", "XX", "contenedor", "cocaína", "12,5", "kg", "CSQU3054383", "Kingston"]


def _upload(client: Any, file: Any) -> SeizureImport:
    response = client.post("/imports/", {"file": file})
    assert response.status_code == 302, response.content[:500]
    return SeizureImport.objects.latest("id")


def _mapping(upload: SeizureImport) -> dict[str, str]:
    return {f"column_{i}": key for i, key in enumerate(upload.mapping)}


def test_it_walks_from_upload_through_dry_run_to_commit(
    region: dict[str, Any], signed_in: Any
) -> None:
    client = signed_in(region["jca_analyst"])
    page = client.get("/imports/")
    assert page.status_code == 200 and b'type="file"' in page.content
    upload = _upload(client, xlsx_file([GOOD, BAD]))
    mapping_page = client.get(f"/imports/{upload.pk}/")
    assert mapping_page.status_code == 200
    assert 'value="transport_mode" selected' in mapping_page.content.decode()
    dry = client.post(f"/imports/{upload.pk}/", {**_mapping(upload), "check": "1"})
    body = dry.content.decode()
    assert dry.status_code == 200 and "XX is not an ISO 3166 country code" in body
    assert 'name="commit"' not in body  # nothing to commit while a row has errors
    refused = client.post(f"/imports/{upload.pk}/", {**_mapping(upload), "commit": "1"})
    assert refused.status_code == 200 and "Nothing was imported" in refused.content.decode()
    assert not SeizureReport.objects.exists()

    good = _upload(client, csv_file([GOOD, GOOD]))
    dry = client.post(f"/imports/{good.pk}/", {**_mapping(good), "check": "1"})
    assert 'name="commit"' in dry.content.decode()
    done = client.post(f"/imports/{good.pk}/", {**_mapping(good), "commit": "1"})
    assert done.status_code == 302
    assert SeizureReport.objects.filter(owner_agency=region["jca"]).count() == 2
    after = client.get(f"/imports/{good.pk}/")
    assert "2 seizure reports were imported" in after.content.decode()


def test_the_upload_page_shows_a_refused_file_on_its_field(
    region: dict[str, Any], signed_in: Any
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = signed_in(region["jca_analyst"])
    response = client.post(
        "/imports/", {"file": SimpleUploadedFile("x.docx", b"PK\x03\x04", "application/zip")}
    )
    assert response.status_code == 200
    assert "Upload a .csv or .xlsx file" in response.content.decode()
    assert not SeizureImport.objects.exists()


def test_a_mapping_error_shows_on_its_column(region: dict[str, Any], signed_in: Any) -> None:
    client = signed_in(region["jca_analyst"])
    upload = _upload(client, csv_file([GOOD]))
    twice = {**_mapping(upload), "column_7": "country"}
    response = client.post(f"/imports/{upload.pk}/", {**twice, "check": "1"})
    assert "already taken by column País" in response.content.decode()


def test_another_agency_sees_no_import(region: dict[str, Any], signed_in: Any) -> None:
    upload = _upload(signed_in(region["jca_analyst"]), csv_file([GOOD]))
    other = signed_in(region["diran_agency_admin"])
    assert other.get(f"/imports/{upload.pk}/").status_code == 404
    assert other.post(f"/imports/{upload.pk}/", {"commit": "1"}).status_code == 404
    assert other.get(f"/api/v1/imports/{upload.pk}/").status_code == 404
    listed = other.get("/api/v1/imports/").json()
    assert listed["count"] == 0
    assert upload.filename.encode() not in other.get("/imports/").content


def test_the_api_dry_run_lists_errors_and_the_commit_is_all_or_nothing(
    region: dict[str, Any], signed_in: Any
) -> None:
    client = signed_in(region["jca_analyst"])
    response = client.post("/api/v1/imports/", {"file": csv_file([GOOD, BAD])})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == "checked" and body["row_count"] == 2
    assert body["row_errors"] == [
        {"row": 3, "column": "País", "field": "Country of seizure",
         "message": "XX is not an ISO 3166 country code (e.g. JM, CO, PA)."}
    ]  # fmt: skip
    refused = client.post("/api/v1/imports/", {"file": csv_file([GOOD, BAD]), "dry_run": "false"})
    assert refused.status_code == 400 and refused.json()["rows"][0]["row"] == 3
    assert not SeizureReport.objects.exists()
    # an explicit mapping: the place column left out
    mapping = {"Fecha": "seized_on", "País": "country", "Modo de transporte": "transport_mode",
               "Sustancia": "substance", "Cantidad": "quantity", "Unidad": "unit"}  # fmt: skip
    done = client.post(
        "/api/v1/imports/",
        {"file": xlsx_file([GOOD]), "dry_run": "false", "mapping": json.dumps(mapping)},
    )
    assert done.status_code == 201, done.content
    assert done.json()["imported_count"] == 1
    seizure = SeizureReport.objects.get()
    assert seizure.place == "" and not seizure.containers.exists()
    assert client.get(f"/api/v1/imports/{done.json()['id']}/").json()["status"] == "committed"
    assert AuditEntry.objects.filter(action="import.committed").count() == 1


def test_the_api_refuses_a_bad_mapping_per_field(region: dict[str, Any], signed_in: Any) -> None:
    client = signed_in(region["jca_analyst"])
    response = client.post(
        "/api/v1/imports/", {"file": csv_file([GOOD]), "mapping": json.dumps({"Nope": "country"})}
    )
    assert response.status_code == 400
    assert "No column is called Nope" in response.json()["mapping"][0]
