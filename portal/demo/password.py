from __future__ import annotations

import secrets
from pathlib import Path

from django.conf import settings


def demo_password() -> str:
    """One random password for every demo user, generated on first run and kept in var/."""
    path = Path(settings.VAR_DIR) / "demo-password"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("enlace-" + secrets.token_urlsafe(9))
        path.chmod(0o600)
    return path.read_text().strip()
