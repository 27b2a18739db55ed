"""The two rotation commands end to end (docs/KEYS.md): ``rotate_field_keys`` moves field values
and evidence files to the newest key so the old one can leave the ring; ``rebuild_blind_index``
recomputes every identifier digest under a new blind-index key so search and matching go on."""

from __future__ import annotations

import base64
import os
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.test import override_settings

from audit.models import AuditEntry
from cases import actions
from cases import attachments as storage
from cases.identifiers import digest, identifiers_of
from cases.models import Attachment, Identifier, Person, SeizureReport
from portal import crypto
from tests.insight.conftest import drug, report

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 600  # three 64 KiB blocks
PDF = b"%PDF-1.7\n" + b"1 0 obj << >> endobj\n" * 40


def _key(key_id: str) -> str:
    return f"{key_id}:" + base64.urlsafe_b64encode(os.urandom(32)).decode()


def _ring(spec: str) -> Any:
    crypto.key_ring.cache_clear()
    return override_settings(FIELD_ENCRYPTION_KEYS=spec)


def _column(table: str, column: str, pk: int) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table} WHERE id = %s", [pk])  # noqa: S608
        return str(cursor.fetchone()[0])


@pytest.fixture(autouse=True)
def _media_and_keys(tmp_path: Path) -> Iterator[None]:
    with override_settings(
        MEDIA_ROOT=tmp_path / "media",
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
    ):
        yield
    crypto.key_ring.cache_clear()
    crypto._blind_index_key.cache_clear()


# --- field keys and evidence files ----------------------------------------------------------


def test_rotation_moves_files_and_fields_to_the_new_key_and_the_old_key_can_go(
    region: dict[str, Any], signed_in: Any, capsys: Any
) -> None:
    old, new = _key("k2025a"), _key("k2026b")
    owner = region["jca_analyst"]
    # given a case and a seizure report with evidence and personal data, all under the old key
    with _ring(old):
        case = actions.create_case(owner, {"title": "Operation Coral", "tlp": "AMBER"})
        seizure = report(
            owner,
            date(2026, 1, 10),
            items=[drug("cocaine_hcl", "12")],
            persons=[{"full_name": "Anna Maria Eriksson", "passport_number": "L898902C3"}],
        )
        photo = actions.add_attachment(
            owner,
            SimpleUploadedFile("container.png", PNG),
            case_id=case.pk,
            description="Holdalls behind the reefer unit",
        )
        scan = actions.add_attachment(
            owner, SimpleUploadedFile("manifest.pdf", PDF), seizure_id=seizure.pk, kind="document"
        )
    person = Person.objects.get(seizure=seizure)
    files = {a.pk: storage.path_of(a.storage_name) for a in (photo, scan)}
    before_files = {pk: path.read_bytes() for pk, path in files.items()}
    before_fields = {
        "filename": _column("cases_attachment", "filename", photo.pk),
        "description": _column("cases_attachment", "description", photo.pk),
        "full_name": _column("cases_person", "full_name", person.pk),
    }
    assert all(v.startswith("enc1:k2025a:") for v in before_fields.values())
    assert {storage.stored_key_id(a.storage_name) for a in (photo, scan)} == {"k2025a"}

    # when the new key goes in front of the ring and the command runs
    with _ring(f"{new},{old}"):
        call_command("rotate_field_keys", "--batch-size", "2")
        out = capsys.readouterr().out
        assert "cases.attachment: re-encrypted 2 files" in out
        call_command("rotate_field_keys", "--dry-run")
        again = capsys.readouterr().out
        counts = [line for line in again.splitlines() if "would re-encrypt" in line]
        assert counts and all("would re-encrypt 0 " in line for line in counts)
        assert "cases.attachment: would re-encrypt 0 files" in again

    # then every file and value is new ciphertext under the new key
    for pk, path in files.items():
        assert path.read_bytes() != before_files[pk]
        assert storage.stored_key_id(path.name) == "k2026b"
    assert set(Attachment.objects.values_list("key_id", flat=True)) == {"k2026b"}
    for name, value in before_fields.items():
        table = "cases_person" if name == "full_name" else "cases_attachment"
        now = _column(table, name, person.pk if name == "full_name" else photo.pk)
        assert now != value and now.startswith("enc1:k2026b:")

    # and with the old key gone from the ring, the app still reads everything
    with _ring(new):
        client = signed_in(owner)
        for attachment, content in ((photo, PNG), (scan, PDF)):
            response = client.get(f"/cases/attachments/{attachment.pk}/download/")
            assert response.status_code == 200
            assert b"".join(response.streaming_content) == content
        api = client.get(f"/api/v1/attachments/{photo.pk}/download/")
        assert b"".join(api.streaming_content) == PNG
        case_page = client.get(f"/cases/{case.pk}/").content.decode()
        assert "container.png" in case_page and "Holdalls behind the reefer unit" in case_page
        seizure_page = client.get(f"/cases/seizures/{seizure.pk}/").content.decode()
        assert "Anna Maria Eriksson" in seizure_page and "manifest.pdf" in seizure_page
        assert Person.objects.get(pk=person.pk).passport_number == "L898902C3"

    entry = AuditEntry.objects.get(action="keys.field_keys_rotated", object_id="k2026b")
    assert entry.details["files"] == 2 and entry.details["failures"] == 0
    assert entry.details["values"] >= 3


def test_a_file_under_a_key_that_left_the_ring_too_early_is_reported_and_kept(
    region: dict[str, Any], capsys: Any
) -> None:
    from django.core.management.base import CommandError

    old, new = _key("k2025a"), _key("k2026b")
    owner = region["jca_analyst"]
    with _ring(old):
        case = actions.create_case(owner, {"title": "Operation Coral"})
        photo = actions.add_attachment(owner, SimpleUploadedFile("x.png", PNG), case_id=case.pk)
    path = storage.path_of(photo.storage_name)
    before = path.read_bytes()
    with _ring(new), pytest.raises(CommandError, match="could not be re-encrypted"):
        call_command("rotate_field_keys")
    assert "cases.attachment" in capsys.readouterr().err
    assert path.read_bytes() == before
    assert Attachment.objects.filter(pk=photo.pk).values_list("key_id", flat=True)[0] == "k2025a"


# --- blind-index key ------------------------------------------------------------------------


def _new_blind_index_key() -> Any:
    crypto._blind_index_key.cache_clear()
    return override_settings(BLIND_INDEX_KEY=base64.urlsafe_b64encode(os.urandom(32)).decode())


def test_rebuilding_the_blind_index_keeps_search_and_matching_working(
    region: dict[str, Any], signed_in: Any, capsys: Any
) -> None:
    jca, diran = region["jca_analyst"], region["diran_analyst"]
    ours = report(
        jca,
        date(2026, 1, 10),
        items=[drug("cocaine_hcl", "100")],
        containers=[{"number": "CSQU 305438 3"}],
        persons=[{"full_name": "Rosa Quintero", "passport_number": "X9876543"}],
    )
    theirs = report(
        diran,
        date(2026, 1, 20),
        country="CO",
        items=[drug("cocaine_hcl", "5")],
        containers=[{"number": "CSQU3054383"}],
    )
    old_digests = set(Identifier.objects.values_list("digest", flat=True))
    assert Identifier.objects.filter(kind="container").values("digest").distinct().count() == 1

    def search(user: Any, q: str) -> dict[str, Any]:
        response = signed_in(user).get("/api/v1/search/", {"q": q})
        assert response.status_code == 200
        body: dict[str, Any] = response.json()
        return body

    with _new_blind_index_key():
        # the new key alone: the stored digests no longer answer
        assert search(jca, "CSQU 305438 3")["results"] == []
        call_command("rebuild_blind_index", "--batch-size", "1")
        assert "rebuilt 3 blind-index rows of 2 seizure reports" in capsys.readouterr().out

        rows = list(Identifier.objects.all())
        assert len(rows) == 3 and not old_digests & {r.digest for r in rows}
        for seizure in (ours, theirs):
            expected = {
                (kind, digest(kind, value))
                for kind, value in identifiers_of(SeizureReport.objects.get(pk=seizure.pk))
            }
            assert {(r.kind, r.digest) for r in rows if r.seizure_id == seizure.pk} == expected

        # exact identifier search finds our record, and points to theirs without content
        found = search(jca, "CSQU3054383")
        assert [r["reference"] for r in found["results"]] == [ours.reference]
        assert [p["agency"]["acronym"] for p in found["pointers"]] == ["DIRAN"]
        assert [r["reference"] for r in search(jca, "X 987 6543")["results"]] == [ours.reference]

        # a report saved after the rebuild matches the rebuilt ones on the same digest
        third = report(
            region["diran_liaison"],
            date(2026, 2, 1),
            country="CO",
            items=[drug("cocaine_hcl", "1")],
            containers=[{"number": "csqu-305438-3"}],
        )
        containers = Identifier.objects.filter(kind="container")
        assert containers.values("digest").distinct().count() == 1
        assert {c.seizure_id for c in containers} == {ours.pk, theirs.pk, third.pk}

    entry = AuditEntry.objects.get(action="keys.blind_index_rebuilt")
    assert entry.details == {"reports": 2, "rows": 3}
