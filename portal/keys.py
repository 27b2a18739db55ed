"""Where Enlace's secrets come from.

Secrets live outside the database and outside the repository: in environment variables
(or ``*_FILE`` files). In the demo, test and dev environments a missing secret is
generated once and kept under ``var/keys/`` so a second run finds the same one; in
production a missing secret stops the process.
"""

from __future__ import annotations

import base64
import os
import secrets
from pathlib import Path

from portal.env import ConfigurationError, env

GENERATING_ENVIRONMENTS = {"demo", "test", "dev"}


def _generate(kind: str) -> str:
    if kind == "django":
        return secrets.token_urlsafe(50)
    # 32 random bytes, urlsafe base64: an AES-256 / HMAC-SHA256 key.
    key = base64.urlsafe_b64encode(secrets.token_bytes(32)).decode()
    if kind == "key-ring":
        # "id:key[,id:key...]", newest first; see docs/KEYS.md.
        return f"k{secrets.token_hex(4)}:{key}"
    return key


def secret(name: str, kind: str, environment: str, keys_dir: Path) -> str:
    value = env(name)
    if value:
        return value
    if environment not in GENERATING_ENVIRONMENTS:
        raise ConfigurationError(
            f"{name} is not set. Production needs every secret from the environment "
            f"(or {name}_FILE); see README 'Configuration'."
        )
    keys_dir.mkdir(parents=True, exist_ok=True)
    path = keys_dir / name.lower()
    if not path.exists():
        # O_EXCL: two processes starting together must not write two different keys.
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass
        else:
            with os.fdopen(fd, "w") as handle:
                handle.write(_generate(kind))
    return path.read_text().strip()
