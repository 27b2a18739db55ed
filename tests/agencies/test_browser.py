"""In real headless Chromium (strict CSP, vendored htmx): the first sign-in enrols an
authenticator from the QR code, and a platform admin edits a trust-matrix cell in place."""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from agencies import actions
from agencies.models import TrustLevelChange
from tests import factories
from tests.agencies.conftest import code_for
from tests.conftest import ROOT, verify

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.skipif(
        not Path(os.environ.get("PLAYWRIGHT_CHROMIUM", "/usr/bin/chromium")).exists(),
        reason="no Chromium on this machine",
    ),
]

CHROMIUM = os.environ.get("PLAYWRIGHT_CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = ROOT / "test-artifacts"


def _console_errors(page: Any) -> list[str]:
    problems: list[str] = []
    page.on(
        "console",
        lambda message: problems.append(message.text) if message.type == "error" else None,
    )
    return problems


def test_the_first_sign_in_enrols_from_the_qr_code(
    transactional_db: Any, live_server: Any, region: dict[str, Any], monkeypatch: Any
) -> None:
    from playwright.sync_api import expect, sync_playwright

    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    analyst = region["jca_analyst"]
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM)
        try:
            page = browser.new_page()
            problems = _console_errors(page)
            page.goto(live_server.url + "/agencies/")
            expect(page.get_by_role("heading", name="Sign in to Enlace")).to_be_visible()
            page.get_by_label("Username").fill(analyst.username)
            page.get_by_label("Password").fill(factories.PASSWORD)
            page.get_by_role("button", name="Sign in").click()
            # the QR code is an image the browser actually renders under the strict CSP
            qr = page.get_by_role("img", name=re.compile("QR code"))
            expect(qr).to_be_visible()
            assert page.evaluate("document.querySelector('img.otp-qr').naturalWidth") > 0
            page.screenshot(path=str(ARTIFACTS / "two-factor-enrolment.png"), full_page=True)
            device = TOTPDevice.objects.get(user=analyst, confirmed=False)
            page.get_by_label("Code shown by your authenticator app").fill(code_for(device))
            page.get_by_role("button", name="Confirm").click()
            expect(page.get_by_role("heading", name="Your recovery codes")).to_be_visible()
            expect(page.locator("ul.recovery-codes li")).to_have_count(10)
            page.get_by_role("link", name=re.compile("continue")).click()
            # back where they wanted to go
            expect(page.get_by_role("heading", name="Agencies")).to_be_visible()
            assert page.url.endswith("/agencies/")
        finally:
            browser.close()
    assert not [p for p in problems if "Content Security Policy" in p], problems


def test_a_trust_cell_is_edited_in_place(
    transactional_db: Any, live_server: Any, region: dict[str, Any], monkeypatch: Any
) -> None:
    from playwright.sync_api import expect, sync_playwright

    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    admin = factories.platform_admin()
    jca, diran = region["jca"], region["diran"]
    actions.set_trust_level(admin, jca, diran, 1, "First contact")
    session = verify(Client(), admin).cookies[settings.SESSION_COOKIE_NAME].value
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM)
        try:
            context = browser.new_context()
            context.add_cookies(
                [{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url}]
            )
            page = context.new_page()
            problems = _console_errors(page)
            page.goto(live_server.url + "/agencies/trust/")
            page.evaluate("window.enlaceSamePage = true")
            cell = page.locator(f"#trust-{jca.pk}-{diran.pk}")
            expect(cell).to_have_class(re.compile(r"\btrust-1\b"))
            cell.get_by_role("link").click()
            # the cell turns into a form, in place
            level = cell.get_by_label("Trust level")
            expect(level).to_be_visible()
            level.select_option("2")
            cell.get_by_role("button", name="Save").click()
            # no reason: the error shows in the cell and nothing changes
            expect(cell.locator(".invalid-feedback")).to_be_visible()
            assert actions.trust_level(jca, diran) == 1
            cell.get_by_label("Reason").fill("Memorandum of understanding signed")
            page.screenshot(path=str(ARTIFACTS / "trust-cell-editing.png"), full_page=True)
            cell.get_by_role("button", name="Save").click()
            expect(cell).to_have_class(re.compile(r"\btrust-2\b"))
            expect(cell.get_by_role("link")).to_have_text("2")
            assert page.evaluate("window.enlaceSamePage") is True  # no reload
            page.screenshot(path=str(ARTIFACTS / "trust-matrix.png"), full_page=True)
        finally:
            browser.close()
    assert actions.trust_level(jca, diran) == 2
    assert TrustLevelChange.objects.first().reason == "Memorandum of understanding signed"  # type: ignore[union-attr]
    assert not [p for p in problems if "Content Security Policy" in p], problems


def _axe_violations(page: Any) -> list[str]:
    """Serious and critical WCAG 2 A/AA violations that axe-core finds on the page."""
    page.add_script_tag(url="/static/vendor/axe-core/axe.min.js")
    result = page.evaluate(
        "() => axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa']}})"
    )
    return [
        f"{v['id']}: {v['help']} ({len(v['nodes'])})"
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def test_the_pages_of_people_trust_and_teams_are_accessible(
    transactional_db: Any, live_server: Any, region: dict[str, Any], monkeypatch: Any
) -> None:
    from playwright.sync_api import sync_playwright

    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    admin = factories.platform_admin()
    jca, diran = region["jca"], region["diran"]
    actions.set_trust_level(admin, jca, diran, 2, "MoU")
    team = actions.create_team(admin, name="Port Control Unit", agencies=[jca, diran])
    session = verify(Client(), admin).cookies[settings.SESSION_COOKIE_NAME].value
    paths = [
        "/agencies/",
        f"/agencies/{jca.pk}/",
        "/agencies/new/",
        "/agencies/trust/",
        f"/agencies/trust/{jca.pk}/{diran.pk}/edit/",
        "/agencies/people/",
        "/agencies/people/new/",
        f"/agencies/people/{region['jca_analyst'].pk}/",
        "/agencies/teams/",
        f"/agencies/teams/{team.pk}/",
        "/agencies/teams/new/",
        "/accounts/security/",
        "/accounts/password/",
        "/accounts/api-token/",
        "/accounts/two-factor/setup/",
    ]
    found: dict[str, list[str]] = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM)
        try:
            context = browser.new_context()
            context.add_cookies(
                [{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url}]
            )
            page = context.new_page()
            problems = _console_errors(page)
            for path in paths:
                page.goto(live_server.url + path)
                violations = _axe_violations(page)
                if violations:
                    found[path] = violations
            anonymous = browser.new_page()
            anonymous.goto(live_server.url + "/accounts/login/")
            if violations := _axe_violations(anonymous):
                found["/accounts/login/"] = violations
        finally:
            browser.close()
    assert found == {}
    assert not [p for p in problems if "Content Security Policy" in p], problems
