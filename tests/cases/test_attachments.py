"""Evidence files: type by content, size limit, encrypted on disk with the key id recorded,
SHA-256 of the plaintext, safe names, streamed only to readers at level full, audited."""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.test.utils import override_settings

from audit.models import AuditEntry
from cases import attachments as storage
from cases.models import Attachment, Case, SeizureReport
from notifications.models import Event
from portal.crypto import key_ring
from sharing.models import Level
from tests.cases.builders import grant, seizure_payload

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4
JPEG = b"\xff\xd8\xff\xe0" + b"JFIF" + b"\x11" * 300
PDF = b"%PDF-1.7\n" + b"1 0 obj << >> endobj\n" * 20
DICOM = b"\x00" * 128 + b"DICM" + b"\x02" * 200


def office(parts: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in parts.items():
            archive.writestr(name, content)
    return buffer.getvalue()


DOCX = office({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"})
WORD = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
DOCM = office(
    {"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w/>", "word/vbaProject.bin": b"x"}
)


@pytest.fixture
def case(signed_in: Any, jca_analyst: Any) -> dict[str, Any]:
    client = signed_in(jca_analyst)
    body = {"title": "Operation Coral", "tlp": "AMBER"}
    return client.post(
        "/api/v1/cases/", data=json.dumps(body), content_type="application/json"
    ).json()


def upload(client: Client, path: str, name: str, content: bytes, **extra: str) -> Any:
    return client.post(path, {"file": SimpleUploadedFile(name, content), "kind": "photo", **extra})


@pytest.mark.parametrize(
    ("name", "content", "content_type", "stored_name"),
    [
        ("container.png", PNG, "image/png", "container.png"),
        ("scan", JPEG, "image/jpeg", "scan.jpg"),
        ("report.PDF", PDF, "application/pdf", "report.pdf"),
        ("xray.dcm", DICOM, "application/dicom", "xray.dcm"),
        ("manifest.docx", DOCX, WORD, "manifest.docx"),
        ("notes.txt", "Contenedor inspeccionado, ñ".encode(), "text/plain", "notes.txt"),
        ("photo.exe", PNG, "image/png", "photo.exe.png"),
        ("../../etc/passwd.png", PNG, "image/png", "passwd.png"),
        ("C:\\evil\\..\\x.png", PNG, "image/png", "x.png"),
        ('a<b>"c".png', PNG, "image/png", "a_b__c_.png"),
    ],
)  # fmt: skip
def test_accepted_files_are_typed_by_content_and_named_safely(
    signed_in: Any, jca_analyst: Any, case: dict[str, Any], name: str, content: bytes,
    content_type: str, stored_name: str, _media_root: Path,
) -> None:  # fmt: skip
    client = signed_in(jca_analyst)
    response = upload(client, f"/api/v1/cases/{case['id']}/attachments/", name, content)
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["content_type"] == content_type
    assert body["filename"] == stored_name
    assert body["sha256"] == hashlib.sha256(content).hexdigest()
    assert body["size"] == len(content)
    attachment = Attachment.objects.get()
    assert attachment.key_id == key_ring().current_id
    on_disk = storage.path_of(attachment.storage_name)
    assert on_disk.is_relative_to(_media_root)
    assert content[:64] not in on_disk.read_bytes()


@pytest.mark.parametrize(
    ("name", "content", "says"),
    [
        ("virus.png", b"MZ\x90\x00" + b"\x00" * 100, "not accepted"),
        ("page.html", b"<html>\x00<script>", "not accepted"),
        ("macro.docm", DOCM, "not accepted"),
        ("bad.txt", b"caf\xe9 latin-1", "not accepted"),
        ("empty.png", b"", "empty"),
    ],
)
def test_refused_files_leave_nothing_behind(
    signed_in: Any, jca_analyst: Any, case: dict[str, Any], name: str, content: bytes, says: str,
    _media_root: Path,
) -> None:  # fmt: skip
    response = upload(
        signed_in(jca_analyst), f"/api/v1/cases/{case['id']}/attachments/", name, content
    )
    assert response.status_code == 400
    assert says in " ".join(response.json()["file"])
    assert not Attachment.objects.exists()
    assert not list(_media_root.rglob("*.enc")) and not list(_media_root.rglob("*.part"))


def test_files_above_the_limit_are_refused(
    signed_in: Any, jca_analyst: Any, case: dict[str, Any], _media_root: Path
) -> None:
    with override_settings(ATTACHMENT_MAX_BYTES=1000):
        response = upload(
            signed_in(jca_analyst), f"/api/v1/cases/{case['id']}/attachments/", "big.png", PNG
        )
    assert response.status_code == 400
    assert "larger than" in response.json()["file"][0]
    assert not list(_media_root.rglob("*.enc"))


def test_a_large_file_round_trips_in_blocks(
    jca_analyst: Any, case: dict[str, Any], signed_in: Any
) -> None:
    content = PNG + bytes(range(256)) * 1000  # several 64 KiB blocks
    client = signed_in(jca_analyst)
    created = upload(client, f"/api/v1/cases/{case['id']}/attachments/", "big.png", content).json()
    response = client.get(created["download"])
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == content
    assert response["Content-Disposition"] == 'attachment; filename="big.png"'
    assert response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"
    entry = AuditEntry.objects.get(action="attachment.downloaded")
    assert entry.object_id == str(created["id"])


def test_a_tampered_or_truncated_file_does_not_verify(
    jca_analyst: Any, case: dict[str, Any], signed_in: Any
) -> None:
    content = PNG * 300
    client = signed_in(jca_analyst)
    upload(client, f"/api/v1/cases/{case['id']}/attachments/", "x.png", content)
    attachment = Attachment.objects.get()
    path = storage.path_of(attachment.storage_name)
    original = path.read_bytes()
    path.write_bytes(original[:-10])
    with pytest.raises(storage.AttachmentIntegrityError):
        b"".join(storage.open_decrypted(attachment))
    flipped = bytearray(original)
    flipped[200] ^= 1
    path.write_bytes(bytes(flipped))
    with pytest.raises(storage.AttachmentIntegrityError):
        b"".join(storage.open_decrypted(attachment))


def test_reencrypt_moves_a_file_to_the_newest_key(
    jca_analyst: Any, case: dict[str, Any], signed_in: Any, settings: Any
) -> None:
    upload(signed_in(jca_analyst), f"/api/v1/cases/{case['id']}/attachments/", "x.png", PNG)
    attachment = Attachment.objects.get()
    old = key_ring()
    settings.FIELD_ENCRYPTION_KEYS = "knew:" + "A" * 43 + "=," + settings.FIELD_ENCRYPTION_KEYS
    key_ring.cache_clear()
    try:
        assert storage.reencrypt(attachment) is True
        assert attachment.key_id == "knew" != old.current_id
        assert storage.stored_key_id(attachment.storage_name) == "knew"
        assert b"".join(storage.open_decrypted(attachment)) == PNG
        assert storage.reencrypt(attachment) is False
    finally:
        key_ring.cache_clear()


def test_summary_level_never_sees_attachments(
    signed_in: Any, jca_analyst: Any, case: dict[str, Any], region: Any
) -> None:
    created = upload(
        signed_in(jca_analyst), f"/api/v1/cases/{case['id']}/attachments/", "x.png", PNG
    ).json()
    grant(Case.objects.get(), region["diran"], Level.SUMMARY, by=jca_analyst)
    reader = signed_in(region["diran_analyst"])
    assert reader.get(f"/api/v1/cases/{case['id']}/").status_code == 200
    assert reader.get(f"/api/v1/cases/{case['id']}/attachments/").status_code == 404
    assert reader.get(created["download"]).status_code == 404
    assert reader.get(f"/api/v1/attachments/{created['id']}/").status_code == 404
    assert reader.get(f"/cases/attachments/{created['id']}/download/").status_code == 404
    downloads = AuditEntry.objects.filter(action="attachment.downloaded")
    assert not downloads.filter(outcome="success").exists()
    assert downloads.filter(outcome="denied", actor=region["diran_analyst"]).count() == 2


def test_full_level_downloads_but_only_contribute_uploads(
    signed_in: Any, jca_analyst: Any, case: dict[str, Any], region: Any
) -> None:
    created = upload(
        signed_in(jca_analyst), f"/api/v1/cases/{case['id']}/attachments/", "x.png", PNG
    ).json()
    access = grant(Case.objects.get(), region["diran"], Level.FULL, by=jca_analyst)
    reader = signed_in(region["diran_analyst"])
    page = reader.get(f"/cases/attachments/{created['id']}/download/")
    assert page.status_code == 200 and b"".join(page.streaming_content) == PNG
    listed = reader.get(f"/api/v1/cases/{case['id']}/attachments/").json()
    assert [a["id"] for a in listed["results"]] == [created["id"]]
    refused = upload(reader, f"/api/v1/cases/{case['id']}/attachments/", "y.png", PNG)
    assert refused.status_code == 403
    access.delete()
    grant(Case.objects.get(), region["diran"], Level.CONTRIBUTE, by=jca_analyst)
    added = upload(reader, f"/api/v1/cases/{case['id']}/attachments/", "y.png", PNG)
    assert added.status_code == 201
    assert Attachment.objects.get(pk=added.json()["id"]).agency == region["diran"]
    event = Event.objects.filter(kind="case.evidence").order_by("-created_at").first()
    assert event is not None and set(event.agencies.values_list("acronym", flat=True)) == {
        "JCA",
        "DIRAN",
    }


def test_seizure_attachments_on_pages(signed_in: Any, jca_analyst: Any) -> None:
    client = signed_in(jca_analyst)
    seizure = client.post(
        "/api/v1/seizures/", data=json.dumps(seizure_payload()), content_type="application/json"
    ).json()
    response = client.post(
        f"/cases/seizures/{seizure['id']}/attachments/",
        {"file": SimpleUploadedFile("xray.tif", b"II*\x00" + b"\x01" * 100), "kind": "xray"},
    )
    assert response.status_code == 302
    attachment = Attachment.objects.get()
    assert attachment.seizure_id == seizure["id"] and attachment.kind == "xray"
    page = client.get(f"/cases/seizures/{seizure['id']}/").content.decode()
    assert "xray.tif" in page and attachment.sha256 in page
    assert SeizureReport.objects.get().pk == seizure["id"]
    assert AuditEntry.objects.filter(action="attachment.uploaded").count() == 1
