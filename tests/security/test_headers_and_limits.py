"""Transport and browser hardening: CSP, HSTS, frame/referrer policy, __Host- cookies in
production, CSRF on forms, rate limits with 429 + Retry-After."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from rest_framework.throttling import UserRateThrottle

from audit.models import AuditEntry
from tests import factories
from tests.conftest import ROOT
from tests.test_foundation import _production_env

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I)
INLINE_HANDLER = re.compile(r"\son[a-z]+\s*=", re.I)
INLINE_STYLE = re.compile(r"<style\b|\sstyle\s*=", re.I)


def _parameterless_paths() -> list[str]:
    found: list[str] = []

    def walk(patterns: list[Any], prefix: str) -> None:
        for pattern in patterns:
            route = str(pattern.pattern)
            if "<" in route or "(?P" in route or route.startswith("^"):
                continue
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, prefix + route)
            elif isinstance(pattern, URLPattern):
                found.append("/" + prefix + route)

    walk(get_resolver().url_patterns, "")
    return sorted(set(found))


def test_every_page_has_a_strict_csp_and_no_inline_script_or_style(
    region: dict[str, Any], signed_in: Any
) -> None:
    operator = factories.agency("OPS", kind="operator", country="PA")
    admin = factories.user(operator, "agency_admin", username="ops-admin", staff=True)
    checked = 0
    for client in (Client(), signed_in(admin), signed_in(region["jca_analyst"])):
        for path in _parameterless_paths():
            if path.startswith(("/api/", "/jsi18n", "/healthz", "/i18n/")) or "logout" in path:
                continue
            response = client.get(path)
            csp = response.get("Content-Security-Policy", "")
            assert "script-src 'self'" in csp, path
            assert "unsafe-inline" not in csp.split("script-src", 1)[1].split(";")[0], path
            assert "frame-ancestors 'none'" in csp, path
            if response.status_code == 200 and "text/html" in response.get("Content-Type", ""):
                html = response.content.decode()
                assert not INLINE_SCRIPT.search(html), path
                assert not INLINE_HANDLER.search(html), path
                assert not INLINE_STYLE.search(html), path
                checked += 1
    assert checked >= 3


def test_the_api_docs_run_scripts_from_files_only(region: dict[str, Any], signed_in: Any) -> None:
    response = signed_in(region["jca_analyst"]).get("/api/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assert not INLINE_SCRIPT.search(html)
    csp = response["Content-Security-Policy"]
    assert "script-src 'self';" in csp and "'unsafe-eval'" not in csp


def test_frame_referrer_and_content_type_headers(db: Any) -> None:
    response = Client().get("/accounts/login/")
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


PROBE = """
import json, django
django.setup()
from django.test import Client
from django.conf import settings
from django.test.utils import override_settings
static = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
override_settings(STORAGES={**settings.STORAGES, "staticfiles": static}).enable()
r = Client().get("/accounts/login/", secure=True, HTTP_HOST="enlace.example.org")
plain = Client().get("/accounts/login/", HTTP_HOST="enlace.example.org")
print(json.dumps({
    "status": r.status_code,
    "hsts": r.get("Strict-Transport-Security"),
    "redirect": [plain.status_code, plain.get("Location")],
    "cookies": {k: {"secure": v["secure"], "httponly": v["httponly"], "samesite": v["samesite"],
                    "path": v["path"], "domain": v["domain"]} for k, v in r.cookies.items()},
    "session": [settings.SESSION_COOKIE_NAME, settings.SESSION_COOKIE_SECURE,
                settings.SESSION_COOKIE_HTTPONLY, settings.SESSION_COOKIE_SAMESITE],
}))
"""


def test_production_sends_hsts_redirects_to_https_and_sets_host_prefixed_secure_cookies(
    transactional_db: Any,
) -> None:
    from tests.conftest import worker_env

    env = {**_production_env(), "DATABASE_URL": worker_env("unused")["DATABASE_URL"]}
    env["DJANGO_SETTINGS_MODULE"] = "portal.settings"
    result = subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    probe = json.loads(result.stdout.strip().splitlines()[-1])
    assert probe["status"] == 200
    assert probe["hsts"] == "max-age=63072000; includeSubDomains; preload"
    assert probe["redirect"][0] == 301 and probe["redirect"][1].startswith("https://")
    assert probe["session"] == ["__Host-enlace-session", True, True, "Lax"]
    csrf = probe["cookies"]["__Host-enlace-csrf"]
    assert csrf == {"secure": True, "httponly": True, "samesite": "Lax", "path": "/", "domain": ""}


def test_a_form_posted_without_its_csrf_token_is_refused(
    region: dict[str, Any], signed_in: Any
) -> None:
    browser = Client(enforce_csrf_checks=True)
    refused = browser.post("/accounts/login/", {"username": "jca-analyst", "password": "x"})
    assert refused.status_code == 403
    lang = browser.post("/i18n/setlang/", {"language": "es"})
    assert lang.status_code == 403
    # a signed-in session cannot write through the API without the token either
    session = signed_in(region["jca_agency_admin"])
    session.handler.enforce_csrf_checks = True
    assert session.post("/api/v1/audit/", {}, content_type="application/json").status_code == 403


def test_sign_in_is_rate_limited_per_address_with_retry_after(db: Any, settings: Any) -> None:
    settings.SIGNIN_RATE_LIMIT_PER_IP = "3/min"
    settings.SIGNIN_RATE_LIMIT_PER_USERNAME = "100/min"
    client = Client(REMOTE_ADDR="192.0.2.10")
    codes = [
        client.post("/accounts/login/", {"username": f"u{n}", "password": "x"}).status_code
        for n in range(5)
    ]
    assert codes[:3] != [429] * 3 and codes[3:] == [429, 429]
    refused = client.post("/accounts/login/", {"username": "other", "password": "x"})
    assert 1 <= int(refused["Retry-After"]) <= 60
    # another address is not affected
    assert Client(REMOTE_ADDR="192.0.2.11").post("/accounts/login/", {}).status_code != 429
    assert AuditEntry.objects.filter(action="auth.rate_limited", outcome="denied").count() == 1


def test_sign_in_is_rate_limited_per_user_name_across_addresses(db: Any, settings: Any) -> None:
    settings.SIGNIN_RATE_LIMIT_PER_IP = "100/min"
    settings.SIGNIN_RATE_LIMIT_PER_USERNAME = "2/min"
    codes = [
        Client(REMOTE_ADDR=f"192.0.2.{20 + n}")
        .post("/accounts/login/", {"username": "JCA-analyst", "password": "x"})
        .status_code
        for n in range(3)
    ]
    assert codes[-1] == 429 and 429 not in codes[:2]


def test_the_api_answers_429_with_retry_after_past_its_rate(
    region: dict[str, Any], signed_in: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(UserRateThrottle, "THROTTLE_RATES", {"user": "3/min", "anon": "3/min"})
    client = signed_in(region["jca_agency_admin"])
    codes = [client.get("/api/v1/audit/").status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    limited = client.get("/api/v1/audit/")
    assert limited.status_code == 429 and 1 <= int(limited["Retry-After"]) <= 60
