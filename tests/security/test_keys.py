"""Key rotation without downtime: field values (and evidence files) move to the newest key."""

from __future__ import annotations

import base64
import os
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import override_settings

from audit.models import AuditEntry
from cases.models import Person
from portal import crypto
from portal.keyrotation import encrypted_fields
from tests import factories


def _key(key_id: str) -> str:
    return f"{key_id}:" + base64.urlsafe_b64encode(os.urandom(32)).decode()


def _raw(person: Person, column: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM cases_person WHERE id = %s", [person.pk])  # noqa: S608
        return str(cursor.fetchone()[0])


@pytest.fixture
def rings() -> Iterator[dict[str, str]]:
    old, new = _key("old1"), _key("new2")
    yield {"old": old, "new": new}
    crypto.key_ring.cache_clear()


def _use(spec: str) -> Any:
    crypto.key_ring.cache_clear()
    return override_settings(FIELD_ENCRYPTION_KEYS=spec)


def test_every_encrypted_field_is_found_from_the_models() -> None:
    found = {m._meta.label_lower: {f.name for f in fs} for m, fs in encrypted_fields()}
    assert {"full_name", "passport_number", "phone", "mrz", "date_of_birth"} <= found[
        "cases.person"
    ]


def test_rotation_re_encrypts_every_value_under_the_newest_key_without_downtime(
    region: dict[str, Any], rings: dict[str, str], capsys: Any
) -> None:
    seizure = factories.seizure(region["jca"])
    with _use(rings["old"]):
        people = [
            Person.objects.create(
                seizure=seizure, full_name=f"Person {n}", passport_number=f"PA{n:07d}"
            )
            for n in range(7)
        ]
        assert _raw(people[0], "full_name").startswith("enc1:old1:")
    # the new key goes in front; the old one stays: everything still reads
    with _use(f"{rings['new']},{rings['old']}"):
        assert Person.objects.get(pk=people[3].pk).full_name == "Person 3"
        written_meanwhile = Person.objects.create(seizure=seizure, full_name="New arrival")
        assert _raw(written_meanwhile, "full_name").startswith("enc1:new2:")
        call_command("rotate_field_keys", "--batch-size", "3")
        out = capsys.readouterr().out
        assert "cases.person: re-encrypted 14 values" in out
    # then the old key can leave the ring
    with _use(rings["new"]):
        for n, person in enumerate(people):
            assert _raw(person, "full_name").startswith("enc1:new2:")
            assert _raw(person, "passport_number").startswith("enc1:new2:")
            fresh = Person.objects.get(pk=person.pk)
            assert (fresh.full_name, fresh.passport_number) == (f"Person {n}", f"PA{n:07d}")
    assert AuditEntry.objects.filter(action="keys.field_keys_rotated", object_id="new2").exists()


def test_a_second_run_has_nothing_left_to_do(
    region: dict[str, Any], rings: dict[str, str], capsys: Any
) -> None:
    seizure = factories.seizure(region["jca"])
    with _use(rings["old"]):
        Person.objects.create(seizure=seizure, full_name="Someone")
    with _use(f"{rings['new']},{rings['old']}"):
        call_command("rotate_field_keys")
        capsys.readouterr()
        call_command("rotate_field_keys", "--dry-run")
        assert "would re-encrypt 0 values" in capsys.readouterr().out


def test_a_value_under_a_key_no_longer_in_the_ring_is_reported_not_lost(
    region: dict[str, Any], rings: dict[str, str]
) -> None:
    from django.core.management.base import CommandError

    seizure = factories.seizure(region["jca"])
    with _use(rings["old"]):
        person = Person.objects.create(seizure=seizure, full_name="Kept")
    before = _raw(person, "full_name")
    with _use(rings["new"]), pytest.raises(CommandError, match="could not be re-encrypted"):
        call_command("rotate_field_keys")
    assert _raw(person, "full_name") == before
