"""The ground: environment settings, health, a real Celery round trip, production checks."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid

import pytest
from django.core.cache import cache
from django.test import Client

from portal.env import ConfigurationError, envbool, envint, parse_database_url
from portal.models import Probe
from portal.tasks import HEARTBEAT_KEY, record_probe
from tests.conftest import ROOT, Worker, wait_for


def test_it_parses_tcp_and_socket_database_urls() -> None:
    tcp = parse_database_url("postgresql://enlace:s%40cret@db.internal:5433/enlace")
    assert (tcp.user, tcp.password, tcp.host, tcp.port, tcp.name) == (
        "enlace",
        "s@cret",
        "db.internal",
        "5433",
        "enlace",
    )
    socket = parse_database_url("postgresql://postgres@/enlace?host=/srv/pg&sslmode=disable")
    assert (socket.host, socket.name, socket.options) == (
        "/srv/pg",
        "enlace",
        {"sslmode": "disable"},
    )
    with pytest.raises(ConfigurationError):
        parse_database_url("mysql://root@localhost/enlace")


def test_it_reads_typed_environment_values(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ENLACE_FLAG", "yes")
    monkeypatch.setenv("ENLACE_NUMBER", "12")
    assert envbool("ENLACE_FLAG", False) is True
    assert envint("ENLACE_NUMBER", 0) == 12
    monkeypatch.setenv("ENLACE_FLAG", "maybe")
    with pytest.raises(ConfigurationError):
        envbool("ENLACE_FLAG", False)


@pytest.mark.django_db
def test_healthz_is_503_without_a_worker_heartbeat(client: Client) -> None:
    cache.delete(HEARTBEAT_KEY)
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["checks"]["database"]["ok"] is True
    assert body["checks"]["redis"]["ok"] is True
    assert body["checks"]["worker"]["ok"] is False


@pytest.mark.django_db
def test_healthz_is_503_with_a_stale_heartbeat(client: Client) -> None:
    cache.set(HEARTBEAT_KEY, time.time() - 3600)
    assert client.get("/healthz").status_code == 503


@pytest.mark.django_db
def test_healthz_is_503_when_an_audit_entry_waits_too_long_to_be_chained(client: Client) -> None:
    from datetime import timedelta

    from audit.log import _append, build_entry, chain_pending

    cache.set(HEARTBEAT_KEY, time.time())
    assert client.get("/healthz").status_code == 200
    # an entry the chainer has not reached for ten minutes (beat stopped, say)
    entry = build_entry("case.viewed", object_type="cases.case", object_id=1)
    entry.at -= timedelta(minutes=10)
    _append(entry)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["checks"]["audit_chain"]["oldest_unchained_seconds"] >= 600
    # once it is chained, healthy again
    chain_pending(wait=True)
    assert client.get("/healthz").status_code == 200


@pytest.mark.worker
def test_a_task_goes_through_redis_to_a_real_worker_and_lands_in_postgresql(
    celery_worker: Worker, client: Client
) -> None:
    token = uuid.uuid4().hex
    record_probe.delay(token)
    wait_for(lambda: Probe.objects.filter(token=token).exists(), timeout=60)
    # the worker announced itself, so the portal reports healthy
    wait_for(lambda: client.get("/healthz").status_code == 200, timeout=30)


def _production_env() -> dict[str, str]:
    env = {
        k: v for k, v in os.environ.items() if not k.startswith(("ENLACE_", "SECRET_KEY", "DEBUG"))
    }
    env.update(
        ENLACE_ENV="production",
        SECRET_KEY="x" * 20 + uuid.uuid4().hex + uuid.uuid4().hex,
        ENLACE_FIELD_KEYS="k1:" + "A" * 43 + "=",
        ENLACE_BLIND_INDEX_KEY="B" * 43 + "=",
        ENLACE_AUDIT_KEY="C" * 43 + "=",
        ALLOWED_HOSTS="enlace.example.org",
    )
    return env


def test_production_settings_pass_check_deploy() -> None:
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=_production_env(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_its_secrets() -> None:
    env = _production_env()
    del env["ENLACE_AUDIT_KEY"]
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "ENLACE_AUDIT_KEY is not set" in result.stderr


def test_every_page_asset_is_local(client: Client) -> None:
    page = client.get("/accounts/login/").content.decode()
    assert '<script src="/static/' in page
    for marker in ("http://", "https://"):
        for tag in ('<script src="' + marker, '<link rel="stylesheet" href="' + marker):
            assert tag not in page


def test_a_web_process_loads_its_views_and_translations_before_serving_anyone() -> None:
    """portal/wsgi.py (what gunicorn imports before a worker accepts a connection) imports the
    URL conf with every view and each language's catalogue, and opens no database or Redis
    connection, which must not be shared by forked workers."""
    probe = (
        "import sys\n"
        "from django.utils.translation import trans_real\n"
        "import portal.wsgi\n"
        "from django.conf import settings\n"
        "from django.db import connection\n"
        "assert 'insight.views' in sys.modules and 'cases.api.views' in sys.modules\n"
        "assert 'redis' in sys.modules\n"
        "loaded = set(trans_real._translations)\n"
        "assert {code for code, _ in settings.LANGUAGES} <= loaded, loaded\n"
        "assert connection.connection is None\n"
        "print('ready')\n"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "portal.settings"}
    result = subprocess.run(
        [sys.executable, "-c", probe],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip().endswith("ready")
