"""Fixtures for the fault, concurrency and load proofs: the people of ``world.build()`` in the
test database, and real processes (gunicorn, Celery) stopped before the database is flushed."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.conftest import worker_env
from tests.reliability.servers import Portal
from tests.reliability.world import build


@pytest.fixture
def world(transactional_db: Any) -> dict[str, Any]:
    return build()


class Started(list[Any]):
    """Processes a test starts (anything with ``stop()``); ended in reverse order."""

    def portal(self, queue: str, **env: str) -> Portal:
        portal = Portal({**worker_env(queue), **env}).start()
        self.append(portal)
        return portal


@pytest.fixture
def started(transactional_db: Any) -> Iterator[Started]:
    processes = Started()
    yield processes
    for process in reversed(processes):
        getattr(process, "kill", process.stop)()  # Celery processes: no warm shutdown wait
