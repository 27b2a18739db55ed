"""Field-level encryption (AES-256-GCM with a key ring) and keyed blind indexes (HMAC-SHA256).

Ciphertext format: ``enc1:<key id>:<urlsafe base64 of nonce || ciphertext+tag>``. The first key
of ``ENLACE_FIELD_KEYS`` encrypts; every key of the ring decrypts, so a new key can be put in
front while old rows are re-encrypted in the background (``manage.py rotate_field_keys``).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
from dataclasses import dataclass
from functools import cache

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings

PREFIX = "enc1"


class KeyRingError(RuntimeError):
    pass


@dataclass(frozen=True)
class KeyRing:
    current_id: str
    keys: dict[str, bytes]

    def encrypt(self, plaintext: str, *, associated: bytes = b"") -> str:
        nonce = os.urandom(12)
        sealed = AESGCM(self.keys[self.current_id]).encrypt(nonce, plaintext.encode(), associated)
        token = base64.urlsafe_b64encode(nonce + sealed).decode()
        return f"{PREFIX}:{self.current_id}:{token}"

    def decrypt(self, token: str, *, associated: bytes = b"") -> str:
        try:
            prefix, key_id, body = token.split(":", 2)
        except ValueError as exc:
            raise KeyRingError("not an Enlace ciphertext") from exc
        if prefix != PREFIX:
            raise KeyRingError("not an Enlace ciphertext")
        key = self.keys.get(key_id)
        if key is None:
            raise KeyRingError(f"key {key_id!r} is not in the key ring")
        raw = base64.urlsafe_b64decode(body)
        return AESGCM(key).decrypt(raw[:12], raw[12:], associated).decode()

    def key_id_of(self, token: str) -> str | None:
        parts = token.split(":", 2)
        return parts[1] if len(parts) == 3 and parts[0] == PREFIX else None


def parse_key_ring(spec: str) -> KeyRing:
    keys: dict[str, bytes] = {}
    order: list[str] = []
    for entry in (part.strip() for part in spec.split(",")):
        if not entry:
            continue
        key_id, _, encoded = entry.partition(":")
        if not key_id or not encoded:
            raise KeyRingError("ENLACE_FIELD_KEYS entries are 'id:base64key'")
        key = base64.urlsafe_b64decode(encoded + "=" * (-len(encoded) % 4))
        if len(key) != 32:
            raise KeyRingError(f"key {key_id!r} must be 32 bytes (AES-256), not {len(key)}")
        if key_id in keys:
            raise KeyRingError(f"key id {key_id!r} appears twice")
        keys[key_id] = key
        order.append(key_id)
    if not order:
        raise KeyRingError("ENLACE_FIELD_KEYS holds no key")
    return KeyRing(current_id=order[0], keys=keys)


@cache
def key_ring() -> KeyRing:
    return parse_key_ring(settings.FIELD_ENCRYPTION_KEYS)


@cache
def _blind_index_key() -> bytes:
    encoded = settings.BLIND_INDEX_KEY
    return base64.urlsafe_b64decode(encoded + "=" * (-len(encoded) % 4))


def blind_index(kind: str, normalised_value: str) -> str:
    """A keyed HMAC of an already-normalised identifier: equal inputs match, nothing leaks."""
    message = f"{kind}\x1f{normalised_value}".encode()
    return hmac.new(_blind_index_key(), message, hashlib.sha256).hexdigest()


def encrypt(plaintext: str) -> str:
    return key_ring().encrypt(plaintext)


def decrypt(token: str) -> str:
    return key_ring().decrypt(token)
