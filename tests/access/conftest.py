"""The access-matrix world is built once per test module inside a transaction that is rolled
back when the module ends; each test runs in a savepoint inside it (pytest-django ``db``)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.db import transaction
from django.test import Client
from django.test.utils import override_settings

from tests.access.world import World, build
from tests.conftest import verify


@pytest.fixture(scope="module")
def world(
    django_db_setup: Any, django_db_blocker: Any, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[World]:
    # evidence files of the world are real (encrypted) files, kept out of var/media
    media = override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("media"))
    with media, django_db_blocker.unblock(), transaction.atomic():
        built = build()
        yield built
        transaction.set_rollback(True)


@pytest.fixture
def client_for(db: Any) -> Callable[[User], Client]:
    """A browser-like client with a second-factor-verified session for the user."""

    def make(user: User) -> Client:
        return verify(Client(), user)

    return make
