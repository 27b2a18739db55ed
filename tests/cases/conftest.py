from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.test.utils import override_settings


@pytest.fixture(autouse=True)
def _media_root(tmp_path: Path) -> Iterator[Path]:
    """Each test stores attachments in its own directory."""
    root = tmp_path / "media"
    with override_settings(MEDIA_ROOT=root):
        yield root
    shutil.rmtree(root, ignore_errors=True)


@pytest.fixture
def jca_analyst(region: dict[str, Any]) -> Any:
    return region["jca_analyst"]


@pytest.fixture
def diran_analyst(region: dict[str, Any]) -> Any:
    return region["diran_analyst"]


@pytest.fixture
def api(signed_in: Any) -> Any:
    """``api(user)``: a client with a verified session, JSON by default."""

    def make(user: Any) -> Client:
        return signed_in(user)

    return make


@pytest.fixture(autouse=True)
def _fast_passwords() -> Iterator[None]:
    """Argon2 at production cost makes each test user take a third of a second; these tests
    are not about passwords."""
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        yield
