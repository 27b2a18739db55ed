"""Model fields that keep personal data encrypted at rest."""

from __future__ import annotations

from typing import Any

from django.db import models

from portal import crypto


class EncryptedTextField(models.TextField):
    """Text stored as AES-256-GCM ciphertext; Python code sees plaintext.

    Not searchable or orderable in SQL by design: exact matches go through blind indexes.
    """

    description = "Encrypted text"

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> str | None:
        if value is None or value == "":
            return value
        return crypto.decrypt(value)

    def to_python(self, value: Any) -> str | None:
        if isinstance(value, str) and value.startswith(crypto.PREFIX + ":"):
            return crypto.decrypt(value)
        return value

    def get_prep_value(self, value: Any) -> str | None:
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return crypto.encrypt(str(value))

    def get_db_prep_save(self, value: Any, connection: Any) -> Any:
        return self.get_prep_value(value)

    def get_lookup(self, lookup_name: str) -> Any:
        if lookup_name not in {"isnull"}:
            return None  # ciphertext cannot be compared; use the blind index
        return super().get_lookup(lookup_name)
