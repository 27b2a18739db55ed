"""Personal data is encrypted at rest: a database dump shows none of it."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from cases.actions import add_attachment, create_case, create_seizure, post_message
from cases.models import Person
from tests.cases.builders import seizure_payload

pytestmark = pytest.mark.django_db(transaction=True)

SECRETS = [
    "Anna Maria Eriksson",
    "ERIKSSON",
    "L898902C3",
    "1974-08-12",
    "8765550100",
    "876 555 0100",
    "Meet the courier at gate 7",
    "passport-scan-eriksson",
]


def _load(user: Any) -> None:
    payload = seizure_payload()
    nested = {k: payload.pop(k) for k in ("items", "persons", "organisations", "vessels",
                                          "containers", "flights", "vehicles")}  # fmt: skip
    create_seizure(user, payload, nested)
    case = create_case(user, {"title": "Operation Coral"})
    post_message(user, case.pk, "Meet the courier at gate 7")
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
    add_attachment(user, SimpleUploadedFile("passport-scan-eriksson.png", png), case_id=case.pk)


def _dump() -> str:
    settings = connection.settings_dict
    pg_dump = shutil.which("pg_dump")
    if pg_dump is None:
        pytest.skip("pg_dump is not installed")
    env = {**os.environ, "PGPASSWORD": settings.get("PASSWORD") or ""}
    command = [pg_dump, "--data-only", "--no-owner", "-d", settings["NAME"],
               "-U", settings["USER"] or "postgres"]  # fmt: skip
    if settings.get("HOST"):
        command += ["-h", settings["HOST"]]
    if settings.get("PORT"):
        command += ["-p", str(settings["PORT"])]
    result = subprocess.run(command, capture_output=True, env=env, check=False, timeout=120)
    if result.returncode != 0 and b"server version" in result.stderr:
        pytest.skip("pg_dump does not match the server version")
    assert result.returncode == 0, result.stderr.decode()
    return result.stdout.decode(errors="replace")


def test_a_database_dump_shows_no_plaintext_personal_data(jca_analyst: Any) -> None:
    # given a seizure report with a person, a message and an attachment
    _load(jca_analyst)
    # when the database is dumped
    dump = _dump()
    # then the records are there, the personal data is not
    assert "Operation Coral" in dump
    assert "JM-JCA-" in dump
    for secret in SECRETS:
        assert secret not in dump, secret
    assert "enc1:" in dump


def test_the_raw_columns_hold_ciphertext_and_the_model_reads_plaintext(jca_analyst: Any) -> None:
    _load(jca_analyst)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT full_name, date_of_birth, passport_number, mrz, phone FROM cases_person"
        )
        raw = cursor.fetchone()
        cursor.execute("SELECT body FROM cases_casemessage")
        body = cursor.fetchone()[0]
        cursor.execute("SELECT filename FROM cases_attachment")
        filename = cursor.fetchone()[0]
    for value in (*raw, body, filename):
        assert value.startswith("enc1:"), value
    person = Person.objects.get()
    assert person.full_name == "Anna Maria Eriksson"
    assert person.phone == "+18765550100"


def test_an_attachment_on_disk_is_ciphertext(jca_analyst: Any, _media_root: Any) -> None:
    _load(jca_analyst)
    stored = list(_media_root.rglob("*.enc"))
    assert len(stored) == 1
    content = stored[0].read_bytes()
    assert content.startswith(b"ENLACE-ATT1\n")
    assert b"\x89PNG" not in content
    assert io.BytesIO(content).getbuffer().nbytes > 64
