"""Bad input by hand, the kinds a generator rarely builds: bodies above the limit, wrong content
types, JSON that does not parse (or parses too deep), null bytes, right-to-left and other
unicode, SQL and HTML/JS payloads (stored as typed, shown escaped on every page), file names
that would display as something else, and page numbers past any list. Every answer is a 4xx
with a reason, or the text exactly as typed; never a 500, and nothing half saved.

Covered elsewhere and not repeated here: path traversal and shell characters in attachment
names, oversized and refused files (tests/cases/test_attachments.py); wrong ISO 6346, IMO and
MRZ check digits through the API, the form and the inline checks (tests/cases/test_api.py,
test_pages.py, test_validators.py); CSRF, headers, rate limits (tests/security/).
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import override_settings

from cases.models import Attachment, Case, CaseMessage, SeizureReport
from sharing.models import Level
from tests.cases.builders import grant, seizure_payload
from tests.reliability.servers import traces_in

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4

SCRIPT = "<script>alert('enlace')</script>"
IMG = '"><img src=x onerror=alert(1)>'
SQL = "x'); DROP TABLE cases_case; --"
# Arabic, Hebrew, a right-to-left override, combining marks, an emoji, a zero-width joiner.
UNICODE = "مخدرات ‏עברית‮ evil cafe\u0301 🚢 a\u200db Ωμέγα"


@pytest.fixture(autouse=True)
def _quiet(settings: Any, tmp_path: Path) -> Iterator[None]:
    settings.DEBUG = False
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    root = tmp_path / "media"
    with override_settings(MEDIA_ROOT=root):
        yield
    shutil.rmtree(root, ignore_errors=True)


@pytest.fixture
def analyst(region: dict[str, Any], signed_in: Any) -> Client:
    client: Client = signed_in(region["jca_analyst"])
    client.raise_request_exception = False  # a defect must show as the 500 a caller gets
    return client


def post_json(client: Client, path: str, body: Any, **extra: Any) -> Any:
    return client.post(path, data=json.dumps(body), content_type="application/json", **extra)


def assert_refused(response: Any, status: int = 400) -> None:
    assert response.status_code == status, (response.status_code, response.content[:500])
    assert not traces_in(response.content.decode(errors="replace"))


# --- the size, type and shape of a body ------------------------------------------------------


def test_a_body_above_the_limit_is_a_413_on_the_api_and_on_pages(analyst: Client) -> None:
    with override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=10_000):
        api = post_json(analyst, "/api/v1/cases/", {"title": "x" * 20_000, "tlp": "GREEN"})
        page = analyst.post("/cases/new/", {"title": "x" * 20_000, "tlp": "GREEN"})
    assert_refused(api, 413)
    assert api["Content-Type"] == "application/json"
    assert "larger than the portal accepts" in api.json()["detail"]
    assert_refused(page, 413)
    assert page["Content-Type"].startswith("text/html")
    assert "larger than the portal accepts" in page.content.decode()
    assert not Case.objects.exists()


@pytest.mark.parametrize(
    ("content_type", "body"),
    [
        ("text/plain", b'{"title": "x", "tlp": "GREEN"}'),
        ("application/xml", b"<case><title>x</title></case>"),
        ("application/x-yaml", b"title: x\ntlp: GREEN\n"),
        ("image/png", PNG),
    ],
)
def test_an_unsupported_content_type_is_a_415(
    analyst: Client, content_type: str, body: bytes
) -> None:
    response = analyst.post("/api/v1/cases/", data=body, content_type=content_type)
    assert_refused(response, 415)
    assert "Unsupported media type" in response.json()["detail"]
    assert not Case.objects.exists()


def test_a_file_sent_as_json_to_an_upload_is_a_415(analyst: Client) -> None:
    case = post_json(analyst, "/api/v1/cases/", {"title": "Coral", "tlp": "AMBER"}).json()
    response = post_json(analyst, f"/api/v1/cases/{case['id']}/attachments/", {"file": "x"})
    assert_refused(response, 415)
    assert not Attachment.objects.exists()


@pytest.mark.parametrize(
    "body",
    [
        b'{"title": "x", "tlp": ',  # cut short
        b"{'title': 'x'}",  # single quotes
        b'{"title": "caf\xe9", "tlp": "GREEN"}',  # Latin-1, not UTF-8
        b'{"title": NaN, "tlp": "GREEN"}',
        b"[" * 100_000 + b"]" * 100_000,  # nested deeper than Python's parser goes
        b'{"title": "x", "tlp": "GREEN"} trailing',
        b"",
    ],
    ids=["truncated", "single-quotes", "latin-1", "nan", "deep", "trailing", "empty"],
)
def test_json_that_does_not_parse_is_a_400_with_a_reason(analyst: Client, body: bytes) -> None:
    response = analyst.post("/api/v1/cases/", data=body, content_type="application/json")
    assert_refused(response)
    assert response.json()  # a reason, per field or in "detail"
    assert not Case.objects.exists()


@pytest.mark.parametrize(
    "body",
    [["title", "x"], "a case", 42, None, {"title": {"nested": [1, 2]}, "tlp": ["GREEN"]}],
    ids=["array", "string", "number", "null", "wrong-types"],
)
def test_json_of_the_wrong_shape_is_a_400(analyst: Client, body: Any) -> None:
    assert_refused(post_json(analyst, "/api/v1/cases/", body))
    assert_refused(post_json(analyst, "/api/v1/seizures/", body))
    assert not Case.objects.exists() and not SeizureReport.objects.exists()


@pytest.mark.parametrize("country", [{}, [], 7, True], ids=["object", "array", "number", "bool"])
def test_a_country_that_is_not_text_is_a_per_field_400(analyst: Client, country: Any) -> None:
    # found by schemathesis: an object as a vehicle's country was a 500 (unhashable choice)
    body = seizure_payload(
        country=country,
        vehicles=[{"plate": "ABC123", "country": country}],
        transit_countries=[country],
    )
    response = post_json(analyst, "/api/v1/seizures/", body)
    assert_refused(response)
    assert {"country", "vehicles", "transit_countries"} <= set(response.json())
    assert not SeizureReport.objects.exists()


# --- null bytes ------------------------------------------------------------------------------


def test_null_bytes_in_fields_are_per_field_400s_and_nothing_is_saved(analyst: Client) -> None:
    case = post_json(analyst, "/api/v1/cases/", {"title": "a\x00b", "tlp": "GREEN"})
    assert_refused(case)
    assert "title" in case.json()
    seizure = post_json(
        analyst,
        "/api/v1/seizures/",
        seizure_payload(place="Pier\x00 4", persons=[{"full_name": "Ana\x00 Ruiz"}]),
    )
    assert_refused(seizure)
    assert {"place", "persons"} <= set(seizure.json())
    page = analyst.post("/cases/new/", {"title": "a\x00b", "tlp": "GREEN", "status": "open"})
    assert page.status_code == 200  # the form again, with the field's error
    assert "Null characters are not allowed" in page.content.decode()
    assert not Case.objects.exists() and not SeizureReport.objects.exists()


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/search/?q=a%00b",
        "/api/v1/cases/?q=%00",
        "/api/v1/seizures/?country=J%00M",
        "/api/v1/seizures/?q=%00&transport_mode=%00",
        "/api/v1/share-requests/?status=%00",
        "/api/v1/audit/?action=%00",
        "/search/?q=a%00b",
        "/cases/?q=%00&status=%00",
        "/cases/seizures/?q=%00&country=%00",
        "/cases/check/container/?x=%00",
        "/cases/check/imo/?x=%E2%80%AE%00",
        "/notifications/?page=%00",
        "/cases/%00/",
    ],
)
def test_null_bytes_in_queries_and_paths_are_answered_not_crashed(
    analyst: Client, path: str
) -> None:
    response = analyst.get(path)
    assert response.status_code in {200, 400, 404}, (path, response.status_code)
    assert not traces_in(response.content.decode(errors="replace"))


# --- unicode, SQL and HTML/JS: stored as typed, shown escaped ---------------------------------


def test_unicode_and_right_to_left_text_round_trips_exactly(analyst: Client) -> None:
    created = post_json(
        analyst, "/api/v1/cases/", {"title": UNICODE, "summary": UNICODE * 3, "tlp": "GREEN"}
    )
    assert created.status_code == 201, created.json()
    read = analyst.get(f"/api/v1/cases/{created.json()['id']}/").json()
    assert read["title"] == UNICODE and read["summary"] == UNICODE * 3
    page = analyst.get(f"/cases/{created.json()['id']}/").content.decode()
    assert "مخدرات" in page and "עברית" in page and "🚢" in page
    assert analyst.get("/api/v1/search/", {"q": "مخدرات"}).status_code == 200
    assert analyst.get("/search/", {"q": "עברית 🚢"}).status_code == 200


def test_sql_in_fields_and_searches_is_text(analyst: Client) -> None:
    created = post_json(analyst, "/api/v1/cases/", {"title": SQL, "summary": SQL, "tlp": "GREEN"})
    assert created.status_code == 201
    for query in (SQL, "' OR '1'='1", "1; SELECT pg_sleep(5)--", "%' --", "\\"):
        assert analyst.get("/api/v1/search/", {"q": query}).status_code in {200, 400}
        assert analyst.get("/api/v1/cases/", {"q": query}).status_code == 200
        assert analyst.get("/cases/", {"q": query}).status_code == 200
    assert Case.objects.get().title == SQL
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM cases_case")
        assert cursor.fetchone() == (1,)


def test_html_and_script_are_stored_as_typed_and_shown_escaped_on_every_page(
    analyst: Client, region: dict[str, Any], signed_in: Any
) -> None:
    case = post_json(
        analyst,
        "/api/v1/cases/",
        {"title": f"Coral {SCRIPT}", "summary": IMG, "tlp": "GREEN"},
    ).json()
    seizure = post_json(
        analyst,
        "/api/v1/seizures/",
        seizure_payload(case=case["id"], place=SCRIPT, concealment=IMG, tlp="GREEN"),
    )
    assert seizure.status_code == 201, seizure.json()
    grant(Case.objects.get(), region["diran"], Level.CONTRIBUTE, by=region["jca_liaison"])
    message = post_json(analyst, f"/api/v1/cases/{case['id']}/messages/", {"body": SCRIPT})
    assert message.status_code == 201, message.json()
    # stored exactly as typed, and the API gives it back as data (JSON-encoded, not markup)
    assert Case.objects.get().title == f"Coral {SCRIPT}"
    assert CaseMessage.objects.get().body == SCRIPT
    assert analyst.get(f"/api/v1/cases/{case['id']}/").json()["summary"] == IMG

    partner = signed_in(region["diran_analyst"])
    pages = {
        "owner case list": analyst.get("/cases/"),
        "owner case": analyst.get(f"/cases/{case['id']}/"),
        "owner seizure list": analyst.get("/cases/seizures/"),
        "owner seizure": analyst.get(f"/cases/seizures/{seizure.json()['id']}/"),
        "owner search": analyst.get("/search/", {"q": "Coral"}),
        "partner case": partner.get(f"/cases/{case['id']}/"),
        "partner notifications": partner.get("/notifications/"),
    }
    for name, response in pages.items():
        assert response.status_code == 200, name
        html = response.content.decode()
        for raw in ("<script>alert", "<img src=x"):
            at = html.find(raw)
            assert at < 0, (name, html[max(0, at - 300) : at + 100])
    shown = pages["owner case"].content.decode()
    assert "&lt;script&gt;alert(&#x27;enlace&#x27;)&lt;/script&gt;" in shown
    assert "&quot;&gt;&lt;img src=x onerror=alert(1)&gt;" in shown


# --- file names and page numbers -------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "stored"),
    [
        # invisible controls go (the upload parser keeps printable characters only), so the
        # name cannot display as "invoiceexe.png"; the type comes from the content
        ("invoice\u202egnp.exe", "invoicegnp.exe.png"),
        ("photo\u2066.png", "photo.png"),
        ("scan.png\x00.exe", "scan.png.exe.png"),
        ("مخدرات.png", "مخدرات.png"),
    ],
)
def test_file_names_that_would_display_otherwise_are_neutralised(
    analyst: Client, name: str, stored: str
) -> None:
    case = post_json(analyst, "/api/v1/cases/", {"title": "Coral", "tlp": "AMBER"}).json()
    response = analyst.post(
        f"/api/v1/cases/{case['id']}/attachments/",
        {"file": SimpleUploadedFile(name, PNG), "kind": "photo"},
    )
    assert response.status_code == 201, response.json()
    assert response.json()["filename"] == stored


@pytest.mark.parametrize("page", ["99999999999999999999", "100001", "-1", "0", "x", "1e9"])
def test_page_numbers_past_any_list_are_a_404_on_the_api_and_a_page_on_pages(
    analyst: Client, page: str
) -> None:
    for path in ("/api/v1/cases/", "/api/v1/seizures/"):
        assert_refused(analyst.get(path, {"page": page}), 404)
    for path in ("/cases/", "/cases/seizures/"):
        response = analyst.get(path, {"page": page})
        assert response.status_code == 200, (path, page)
