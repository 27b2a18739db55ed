"""Every record page leaves its entry: case and seizure pages, edit forms, evidence downloads
(page and API), the case summary PDF and exports write ``*.viewed`` / ``attachment.downloaded``
/ ``export.*`` with who and at which level; a refusal (404 or 403) writes a ``denied`` entry
that names the owner agency, so its admins see who tried to open their records."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from audit.models import AuditEntry
from cases import actions
from sharing.models import Level
from tests.cases.builders import grant
from tests.insight.conftest import drug, report

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256))


@pytest.fixture
def records(region: dict[str, Any], tmp_path: Path) -> Iterator[dict[str, Any]]:
    """A JCA case with a seizure report and evidence on both, DIRAN seeing them at summary; a
    JCA report not shared."""
    with override_settings(
        MEDIA_ROOT=tmp_path,
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
    ):
        owner = region["jca_analyst"]
        case = actions.create_case(owner, {"title": "Operation Coral", "tlp": "AMBER"})
        seizure = report(owner, date(2026, 1, 10), case=case.pk, items=[drug("heroin", "3")])
        on_case = actions.add_attachment(owner, SimpleUploadedFile("a.png", PNG), case_id=case.pk)
        on_seizure = actions.add_attachment(
            owner, SimpleUploadedFile("b.png", PNG), seizure_id=seizure.pk
        )
        lone = report(owner, date(2026, 1, 11), items=[drug("cannabis_herb", "30")])
        grant(case, region["diran"], Level.SUMMARY, by=region["jca_liaison"])
        yield {
            **region,
            "case": case,
            "seizure": seizure,
            "lone": lone,
            "on_case": on_case,
            "on_seizure": on_seizure,
        }


def _entries(user: Any, action: str) -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(actor=user, action=action).order_by("id"))


def test_case_and_seizure_pages_and_edit_forms_are_recorded_with_the_level(
    records: dict[str, Any], signed_in: Any
) -> None:
    owner, partner = records["jca_analyst"], records["diran_analyst"]
    case, seizure = records["case"], records["seizure"]
    client = signed_in(owner)
    for path in (f"/cases/{case.pk}/", f"/cases/{case.pk}/edit/"):
        assert client.get(path).status_code == 200
    for path in (f"/cases/seizures/{seizure.pk}/", f"/cases/seizures/{seizure.pk}/edit/"):
        assert client.get(path).status_code == 200
    viewed = _entries(owner, "case.viewed")
    assert [(e.object_id, e.outcome, e.details.get("part")) for e in viewed] == [
        (str(case.pk), "success", None),
        (str(case.pk), "success", "edit"),
    ]
    assert viewed[0].details["access_level"] == Level.OWNER
    assert viewed[0].agency_id == records["jca"].pk and viewed[0].request_id
    assert viewed[0].object_agency_id == records["jca"].pk
    assert [e.object_id for e in _entries(owner, "seizure.viewed")] == [str(seizure.pk)] * 2

    # the partner reads the case at summary: recorded at that level
    assert signed_in(partner).get(f"/cases/{case.pk}/").status_code == 200
    (seen,) = _entries(partner, "case.viewed")
    assert seen.details["access_level"] == Level.SUMMARY
    assert seen.object_agency_id == records["jca"].pk


def test_refusals_on_record_pages_are_recorded_as_denied_for_the_owner(
    records: dict[str, Any], signed_in: Any
) -> None:
    partner = records["diran_analyst"]
    case, seizure = records["case"], records["lone"]
    client = signed_in(partner)
    # a report not shared, the edit form of a case seen at summary, evidence at summary level
    assert client.get(f"/cases/seizures/{seizure.pk}/").status_code == 404
    assert client.get(f"/cases/{case.pk}/edit/").status_code == 403
    assert client.post(f"/cases/{case.pk}/messages/", {"body": "hi"}).status_code == 404
    download = f"/cases/attachments/{records['on_case'].pk}/download/"
    assert client.get(download).status_code == 404
    refused = AuditEntry.objects.filter(actor=partner, outcome="denied").order_by("id")
    assert [(e.action, e.object_type, e.object_id) for e in refused] == [
        ("seizure.viewed", "cases.seizurereport", str(seizure.pk)),
        ("case.changed", "cases.case", str(case.pk)),
        ("message.created", "cases.case", str(case.pk)),
        ("attachment.downloaded", "cases.attachment", str(records["on_case"].pk)),
    ]
    assert {e.object_agency_id for e in refused} == {records["jca"].pk}
    assert not AuditEntry.objects.filter(actor=partner, action="attachment.downloaded",
                                         outcome="success").exists()  # fmt: skip
    # the owner agency's admin sees those refusals in "who looked at our records"
    admin = signed_in(records["jca_agency_admin"])
    listed = admin.get("/api/v1/audit/", {"outcome": "denied"}).json()["results"]
    assert {r["id"] for r in listed} >= {e.pk for e in refused}


def test_evidence_downloads_by_page_and_api_and_metadata_reads_are_recorded(
    records: dict[str, Any], signed_in: Any
) -> None:
    owner = records["jca_analyst"]
    client = signed_in(owner)
    on_case, on_seizure = records["on_case"], records["on_seizure"]
    for path in (
        f"/cases/attachments/{on_case.pk}/download/",
        f"/api/v1/attachments/{on_seizure.pk}/download/",
    ):
        response = client.get(path)
        assert response.status_code == 200 and b"".join(response.streaming_content) == PNG
    assert client.get(f"/api/v1/attachments/{on_case.pk}/").status_code == 200
    downloads = _entries(owner, "attachment.downloaded")
    assert [e.object_id for e in downloads] == [str(on_case.pk), str(on_seizure.pk)]
    assert {e.object_agency_id for e in downloads} == {records["jca"].pk}
    assert downloads[0].details["size"] == len(PNG)
    (metadata,) = _entries(owner, "attachment.viewed")
    assert metadata.object_id == str(on_case.pk)
    assert metadata.object_agency_id == records["jca"].pk
    # another agency, through the API: refused and recorded, for the owner
    stranger = signed_in(records["diran_analyst"])
    assert stranger.get(f"/api/v1/attachments/{on_seizure.pk}/").status_code == 404
    assert stranger.get(f"/api/v1/attachments/{on_seizure.pk}/download/").status_code == 404
    refused = AuditEntry.objects.filter(actor=records["diran_analyst"], outcome="denied")
    assert sorted(e.action for e in refused) == ["attachment.downloaded", "attachment.viewed"]
    assert {e.object_agency_id for e in refused} == {records["jca"].pk}


def test_the_case_summary_pdf_and_exports_are_recorded(
    records: dict[str, Any], signed_in: Any
) -> None:
    owner, partner = records["jca_analyst"], records["diran_analyst"]
    case = records["case"]
    client = signed_in(owner)
    assert client.get(f"/insight/cases/{case.pk}/summary.pdf").status_code == 200
    (pdf,) = _entries(owner, "export.pdf")
    assert pdf.object_id == str(case.pk) and pdf.outcome == "success"
    assert pdf.details["access_level"] == Level.OWNER

    response = client.get("/exports/seizures.csv", {"country": "JM"})
    assert response.status_code == 200
    b"".join(response.streaming_content)
    (exported,) = _entries(owner, "export.csv")
    assert exported.details["rows"] == 2 and exported.details["filters"]["country"] == "JM"

    # the partner sees the case at summary: its PDF at that level; another id is refused
    stranger = signed_in(partner)
    assert stranger.get(f"/insight/cases/{case.pk}/summary.pdf").status_code == 200
    assert stranger.get("/insight/cases/999999/summary.pdf").status_code == 404
    outcomes = [(e.object_id, e.outcome) for e in _entries(partner, "export.pdf")]
    assert outcomes == [(str(case.pk), "success"), ("999999", "denied")]
