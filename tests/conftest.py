"""Shared fixtures. The suite talks to real PostgreSQL and Redis (see scripts/run_tests.py)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests import factories

ROOT = Path(__file__).resolve().parent.parent


def _flush_past_the_audit_trigger() -> None:
    """Transactional tests end with a TRUNCATE of every table; the audit table refuses
    TRUNCATE (audit/migrations/0002). The test harness, as the database owner, lifts that
    one trigger around the flush, as an owner could; nothing else is exempted."""
    from django.db import connections
    from django.test import TransactionTestCase

    original = TransactionTestCase._fixture_teardown  # type: ignore[attr-defined]

    def _fixture_teardown(self: Any) -> None:
        names = self._databases_names(include_mirrors=False)
        for name in names:
            with connections[name].cursor() as cursor:
                cursor.execute("ALTER TABLE audit_auditentry DISABLE TRIGGER audit_no_truncate")
        try:
            original(self)
        finally:
            for name in names:
                with connections[name].cursor() as cursor:
                    cursor.execute("ALTER TABLE audit_auditentry ENABLE TRIGGER audit_no_truncate")

    TransactionTestCase._fixture_teardown = _fixture_teardown  # type: ignore[attr-defined]


_flush_past_the_audit_trigger()


@pytest.fixture(scope="session", autouse=True)
def _isolated_queue() -> Iterator[str]:
    """Each test session uses its own Celery queue, so parallel runs never steal tasks."""
    from portal.celery import app

    queue = f"enlace-test-{uuid.uuid4().hex[:8]}"
    app.conf.task_default_queue = queue
    yield queue


@pytest.fixture(autouse=True)
def _forget_pending_audit_entries() -> Iterator[None]:
    """Durable audit entries of a test's rolled-back transaction belong to that test only."""
    from django.db import connections

    yield
    for conn in connections.all(initialized_only=True):
        conn.__dict__.pop("_enlace_audit_pending", None)


@pytest.fixture(autouse=True)
def _default_language() -> Iterator[None]:
    """Each test starts in the default language: a request in another language leaves it
    active in the test's thread (Django's LocaleMiddleware never deactivates), and code a
    later test calls directly would speak it."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _clean_cache() -> Iterator[None]:
    from django.core.cache import cache

    from portal.deadlines import redis_backoff

    redis_backoff.reset()  # a test that made Redis fail leaves no back-off to the next one
    yield
    redis_backoff.reset()
    cache.clear()


def verify(client: Client, user: User) -> Client:
    """Sign ``user`` in on ``client`` as if they had passed the second factor."""
    device, _ = TOTPDevice.objects.get_or_create(
        user=user, name="default", defaults={"confirmed": True}
    )
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


@pytest.fixture
def signed_in() -> Callable[[User], Client]:
    """``signed_in(user)``: a browser-like client with a verified session for ``user``."""

    def make(user: User) -> Client:
        return verify(Client(), user)

    return make


@pytest.fixture
def region(db: Any) -> dict[str, Any]:
    """Two agencies in two countries, each with an analyst, a liaison officer and an admin."""
    jca = factories.agency("JCA", country="JM", kind="customs")
    diran = factories.agency("DIRAN", country="CO", kind="police")
    people: dict[str, Any] = {"jca": jca, "diran": diran}
    for agency_obj in (jca, diran):
        key = agency_obj.acronym.lower()
        for role in ("analyst", "liaison", "agency_admin"):
            people[f"{key}_{role}"] = factories.user(agency_obj, role, username=f"{key}-{role}")
    return people


def worker_env(queue: str) -> dict[str, str]:
    """Environment for a worker process that sees the test database and the test queue."""
    env = dict(os.environ)
    db = connection.settings_dict
    host = db["HOST"] or ""
    if host.startswith("/"):
        env["DATABASE_URL"] = f"postgresql://{db['USER']}@/{db['NAME']}?host={host}"
    else:
        port = db["PORT"] or "5432"
        env["DATABASE_URL"] = f"postgresql://{db['USER']}@{host}:{port}/{db['NAME']}"
    env["CELERY_QUEUE"] = queue
    env["ENLACE_ENV"] = "test"
    return env


class Worker:
    """A real Celery worker process on the test queue; ``stop``/``kill``/``start`` for faults."""

    def __init__(self, queue: str, env: dict[str, str] | None = None) -> None:
        self.queue = queue
        self.env = env or {}  # e.g. another REDIS_URL for a broker-outage test
        self.process: subprocess.Popen[bytes] | None = None
        self.log_path = Path(settings.VAR_DIR) / f"worker-{queue}.log"

    def start(self) -> Worker:
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        log = self.log_path.open("ab")
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "portal",
                "worker",
                "-Q",
                self.queue,
                "--concurrency",
                "1",
                "--pool",
                "prefork",
                "--loglevel",
                "INFO",
                "--without-mingle",
                "--without-gossip",
                "-n",
                f"{self.queue}@%h",
            ],
            cwd=ROOT,
            env={**worker_env(self.queue), **self.env},
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        return self

    def stop(self, timeout: float = 20) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.kill()

    def kill(self) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""


class Beat(Worker):
    """A real Celery beat process sending the periodic tasks to the test queue."""

    def start(self) -> Beat:
        self.log_path = Path(settings.VAR_DIR) / f"beat-{self.queue}.log"
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        log = self.log_path.open("ab")
        schedule = Path(settings.VAR_DIR) / f"beat-{self.queue}-schedule"
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "portal",
                "beat",
                "-s",
                str(schedule),
                "--loglevel",
                "INFO",
            ],
            cwd=ROOT,
            env={**worker_env(self.queue), **self.env},
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        return self


@pytest.fixture
def celery_worker(_isolated_queue: str, transactional_db: Any) -> Iterator[Worker]:
    worker = Worker(_isolated_queue).start()
    yield worker
    worker.stop()


def wait_for(predicate: Callable[[], Any], timeout: float = 20, interval: float = 0.1) -> Any:
    """Poll ``predicate`` until it returns something truthy; fail after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        result = predicate()
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"condition not met within {timeout}s")
        time.sleep(interval)


@pytest.fixture
def chromium(transactional_db: Any, live_server: Any, monkeypatch: Any) -> Iterator[Any]:
    """Headless Chromium against the live server (tests/browser/support.py): ``chromium.page(
    user)`` is a page signed in as ``user``. Fails the test on any CSP error in the console."""
    from playwright.sync_api import sync_playwright

    from tests.browser.support import CHROMIUM, CHROMIUM_ARGS, Chromium

    # Playwright's sync API runs an event loop in this thread; the test's own database calls
    # are ordinary synchronous ones.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        chromium = Chromium(browser, live_server.url)
        try:
            yield chromium
        finally:
            browser.close()
    assert chromium.csp_errors == []
