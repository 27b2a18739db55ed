"""Typed readers for configuration held in environment variables.

Every setting of Enlace comes from the environment; a ``NAME_FILE`` variable, when set,
names a file whose content is the value (for Docker and systemd secrets).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from urllib.parse import parse_qs, unquote, urlparse


class ConfigurationError(RuntimeError):
    pass


def env(name: str, default: str | None = None) -> str | None:
    file_name = os.environ.get(f"{name}_FILE")
    if file_name:
        with open(file_name, encoding="utf-8") as handle:
            return handle.read().strip()
    return os.environ.get(name, default)


def envstr(name: str, default: str) -> str:
    value = env(name)
    return default if value is None or value == "" else value


def envbool(name: str, default: bool) -> bool:
    value = env(name)
    if value is None or value == "":
        return default
    lowered = value.strip().lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off"}:
        return False
    raise ConfigurationError(f"{name} must be a boolean (true/false), not {value!r}")


def envint(name: str, default: int) -> int:
    value = env(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError as exc:
        raise ConfigurationError(f"{name} must be an integer, not {value!r}") from exc


def envlist(name: str, default: list[str]) -> list[str]:
    value = env(name)
    if value is None or value == "":
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


@dataclass(frozen=True)
class DatabaseURL:
    name: str
    user: str
    password: str
    host: str
    port: str
    options: dict[str, str]


def parse_database_url(url: str) -> DatabaseURL:
    """Parse ``postgres://user:pass@host:port/name?host=/socket/dir`` into its parts."""
    parsed = urlparse(url)
    if parsed.scheme not in {"postgres", "postgresql"}:
        raise ConfigurationError(f"DATABASE_URL must be a postgres:// URL, not {parsed.scheme!r}")
    query = {key: values[-1] for key, values in parse_qs(parsed.query).items()}
    host = query.pop("host", None) or (parsed.hostname or "")
    return DatabaseURL(
        name=unquote(parsed.path.lstrip("/")) or "enlace",
        user=unquote(parsed.username or ""),
        password=unquote(parsed.password or ""),
        host=unquote(host),
        port=str(parsed.port or ""),
        options=query,
    )
