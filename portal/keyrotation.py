"""Re-encrypting field values and evidence files under the newest key (docs/KEYS.md).

Values are rewritten in small batches, each in its own short transaction that locks only its
rows, so the portal keeps running: every key of ``ENLACE_FIELD_KEYS`` still decrypts while
the rotation runs, and anything written meanwhile already uses the newest key.
"""

from __future__ import annotations

import importlib
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.db import connection, transaction
from django.db.models import Model

from portal.crypto import KeyRing, KeyRingError
from portal.fields import EncryptedTextField


@dataclass
class RotationReport:
    rewritten: Counter[str] = field(default_factory=Counter)
    by_key: Counter[str] = field(default_factory=Counter)
    failures: list[str] = field(default_factory=list)
    attachments: int = 0
    attachments_supported: bool = False


def encrypted_fields() -> Iterator[tuple[type[Model], list[EncryptedTextField]]]:
    """Every concrete model with at least one ``EncryptedTextField``, found from the models."""
    for model in apps.get_models():
        if model._meta.proxy or not model._meta.managed:
            continue
        found = [f for f in model._meta.concrete_fields if isinstance(f, EncryptedTextField)]
        if found:
            yield model, found


def _batches(
    model: type[Model], columns: list[str], size: int
) -> Iterator[list[tuple[object, ...]]]:
    q = connection.ops.quote_name
    table = q(model._meta.db_table)
    pk = q(str(model._meta.pk.column))
    selected = ", ".join(q(c) for c in columns)
    last: Any = None
    while True:
        where = f"WHERE {pk} > %s " if last is not None else ""
        sql = (
            f"SELECT {pk}, {selected} FROM {table} {where}"  # noqa: S608 # nosec B608 - names from model meta
            f"ORDER BY {pk} LIMIT %s FOR UPDATE"
        )
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, [last, size] if last is not None else [size])
            rows = cursor.fetchall()
            if not rows:
                return
            yield rows  # the caller writes inside this transaction, rows locked
        last = rows[-1][0]


def rotate_fields(ring: KeyRing, batch_size: int, dry_run: bool, report: RotationReport) -> None:
    q = connection.ops.quote_name
    for model, fields in encrypted_fields():
        columns = [str(f.column) for f in fields]
        label = model._meta.label_lower
        table = q(model._meta.db_table)
        pk = q(str(model._meta.pk.column))
        for rows in _batches(model, columns, batch_size):
            for row in rows:
                changes: dict[str, str] = {}
                for column, value in zip(columns, row[1:], strict=True):
                    if not value:
                        continue
                    key_id = ring.key_id_of(str(value)) or "plaintext"
                    report.by_key[key_id] += 1
                    if key_id == ring.current_id:
                        continue
                    try:
                        plaintext = (
                            ring.decrypt(str(value)) if key_id != "plaintext" else str(value)
                        )
                    except (KeyRingError, ValueError) as exc:
                        report.failures.append(f"{label} {row[0]} {column}: {exc}")
                        continue
                    changes[column] = ring.encrypt(plaintext)
                if changes and not dry_run:
                    assignments = ", ".join(f"{q(c)} = %s" for c in changes)
                    with connection.cursor() as cursor:
                        cursor.execute(
                            f"UPDATE {table} SET {assignments} WHERE {pk} = %s",  # noqa: S608 # nosec B608
                            [*changes.values(), str(row[0])],
                        )
                report.rewritten[label] += len(changes)


def rotate_attachments(ring: KeyRing, dry_run: bool, report: RotationReport) -> None:
    """Evidence files, through the cases app's own ``reencrypt`` (each file is replaced
    atomically on disk, so a download in progress reads the old or the new file, whole)."""
    try:
        storage = importlib.import_module("cases.attachments")
    except ImportError:
        return
    reencrypt = getattr(storage, "reencrypt", None)
    model: Any = apps.get_model("cases", "Attachment")
    if reencrypt is None or not any(f.name == "key_id" for f in model._meta.get_fields()):
        return
    report.attachments_supported = True
    pending = model._default_manager.exclude(key_id=ring.current_id).values_list("pk", flat=True)
    for pk in list(pending.iterator()):
        with transaction.atomic():
            # Only the columns the file needs: the encrypted name and description may be
            # under a key that left the ring, and must not stop the other files.
            attachment = (
                model._default_manager.select_for_update()
                .only("pk", "storage_name", "key_id")
                .filter(pk=pk)
                .first()
            )
            if attachment is None:
                continue
            if dry_run:
                report.attachments += 1
                continue
            try:
                changed = reencrypt(attachment)
            except Exception as exc:  # a missing or damaged file: report, go on
                report.failures.append(f"cases.attachment {pk}: {exc.__class__.__name__}: {exc}")
                continue
            attachment.save(update_fields=["key_id"])
            report.attachments += int(bool(changed))
