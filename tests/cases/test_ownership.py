"""Another agency gets 404 on every record endpoint and page — read, edit, messages,
attachments, downloads — exactly as for a record that does not exist."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from audit.models import AuditEntry
from cases.models import Case, CaseMessage, SeizureReport
from tests.cases.builders import seizure_payload

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture
def records(signed_in: Any, jca_analyst: Any) -> dict[str, int]:
    client = signed_in(jca_analyst)

    def post(path: str, body: dict[str, Any]) -> Any:
        return client.post(path, data=json.dumps(body), content_type="application/json").json()

    case = post("/api/v1/cases/", {"title": "Operation Coral", "tlp": "RED"})
    seizure = post("/api/v1/seizures/", seizure_payload(case=case["id"], tlp="RED"))
    attachment = client.post(
        f"/api/v1/cases/{case['id']}/attachments/",
        {"file": SimpleUploadedFile("x.png", PNG), "kind": "photo"},
    ).json()
    client.post(f"/api/v1/cases/{case['id']}/messages/", data=json.dumps({"body": "hi"}),
                content_type="application/json")  # fmt: skip
    return {"case": case["id"], "seizure": seizure["id"], "attachment": attachment["id"]}


ENDPOINTS = [
    ("get", "/api/v1/cases/{case}/"),
    ("patch", "/api/v1/cases/{case}/"),
    ("put", "/api/v1/cases/{case}/"),
    ("get", "/api/v1/cases/{case}/messages/"),
    ("post", "/api/v1/cases/{case}/messages/"),
    ("get", "/api/v1/cases/{case}/attachments/"),
    ("post", "/api/v1/cases/{case}/attachments/"),
    ("get", "/api/v1/seizures/{seizure}/"),
    ("patch", "/api/v1/seizures/{seizure}/"),
    ("put", "/api/v1/seizures/{seizure}/"),
    ("get", "/api/v1/seizures/{seizure}/attachments/"),
    ("post", "/api/v1/seizures/{seizure}/attachments/"),
    ("get", "/api/v1/attachments/{attachment}/"),
    ("get", "/api/v1/attachments/{attachment}/download/"),
    ("get", "/cases/{case}/"),
    ("get", "/cases/{case}/edit/"),
    ("post", "/cases/{case}/edit/"),
    ("post", "/cases/{case}/messages/"),
    ("post", "/cases/{case}/attachments/"),
    ("get", "/cases/attachments/{attachment}/download/"),
    ("get", "/cases/seizures/{seizure}/"),
    ("get", "/cases/seizures/{seizure}/edit/"),
    ("post", "/cases/seizures/{seizure}/edit/"),
    ("post", "/cases/seizures/{seizure}/attachments/"),
]


def call(client: Client, method: str, path: str) -> Any:
    if "/attachments/" in path and method == "post":
        return client.post(path, {"file": SimpleUploadedFile("y.png", PNG), "kind": "photo"})
    body = {"title": "hijacked", "body": "hijacked", "version": 1, "place": "hijacked"}
    if method == "get":
        return client.get(path)
    if path.startswith("/api/"):
        return getattr(client, method)(path, data=json.dumps(body), content_type="application/json")
    return client.post(path, body)


@pytest.mark.parametrize(("method", "template"), ENDPOINTS)
def test_another_agency_gets_404_as_for_a_missing_record(
    signed_in: Any, region: Any, records: dict[str, int], method: str, template: str
) -> None:
    stranger = signed_in(region["diran_analyst"])
    # given a record of another agency, and an id that exists nowhere
    path = template.format(**records)
    missing = template.format(case=999999, seizure=999999, attachment=999999)
    # when a member of another agency calls the endpoint
    response = call(stranger, method, path)
    # then the answer is the one for a record that does not exist
    assert response.status_code == 404
    assert call(stranger, method, missing).status_code == 404
    # and nothing changed
    assert Case.objects.get().title == "Operation Coral"
    assert SeizureReport.objects.get().place == "Kingston Container Terminal"
    assert CaseMessage.objects.count() == 1
    # and the attempts are in the audit log as refusals, nothing as a success
    mine = AuditEntry.objects.filter(actor=region["diran_analyst"]).exclude(
        action__startswith="auth."
    )
    assert not mine.exclude(outcome="denied").exists()
    kind = "attachment" if "attachments/{attachment}" in template else (
        "case" if "{case}" in template else "seizure"
    )  # fmt: skip
    refused = {(e.object_type, e.object_id, e.object_agency_id) for e in mine}
    real = str(records[kind])
    label = {"case": "cases.case", "seizure": "cases.seizurereport"}.get(kind, "cases.attachment")
    assert refused == {(label, real, region["jca"].pk), (label, "999999", None)}


def test_another_agency_lists_none_of_it(
    signed_in: Any, region: Any, records: dict[str, int]
) -> None:
    stranger = signed_in(region["diran_analyst"])
    assert stranger.get("/api/v1/cases/").json()["count"] == 0
    assert stranger.get("/api/v1/seizures/").json()["count"] == 0
    assert "Operation Coral" not in stranger.get("/cases/").content.decode()
    assert "JM-JCA" not in stranger.get("/cases/seizures/").content.decode()


def test_a_signed_out_visitor_is_sent_to_sign_in(client: Client, records: dict[str, int]) -> None:
    response = client.get(f"/cases/{records['case']}/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert client.get(f"/api/v1/cases/{records['case']}/").status_code in (401, 403)
