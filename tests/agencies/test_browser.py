"""In real headless Chromium (strict CSP, vendored htmx): the first sign-in enrols an
authenticator from the QR code, and a platform admin edits a trust-matrix cell in place."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from agencies import actions
from agencies.models import TrustLevelChange
from tests import factories
from tests.agencies.conftest import code_for
from tests.browser.support import Chromium, axe_violations, needs_chromium, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.slow, needs_chromium]


def test_the_first_sign_in_enrols_from_the_qr_code(
    chromium: Chromium, region: dict[str, Any]
) -> None:
    from playwright.sync_api import expect

    analyst = region["jca_analyst"]
    page = chromium.page()
    page.goto("/agencies/")
    expect(page.get_by_role("heading", name="Sign in to Enlace")).to_be_visible()
    page.get_by_label("Username").fill(analyst.username)
    page.get_by_label("Password").fill(factories.PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    # the QR code is an image the browser actually renders under the strict CSP
    qr = page.get_by_role("img", name=re.compile("QR code"))
    expect(qr).to_be_visible()
    assert page.evaluate("document.querySelector('img.otp-qr').naturalWidth") > 0
    assert axe_violations(page) == []
    screenshot(page, "two-factor-enrolment")
    device = TOTPDevice.objects.get(user=analyst, confirmed=False)
    page.get_by_label("Code shown by your authenticator app").fill(code_for(device))
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_role("heading", name="Your recovery codes")).to_be_visible()
    expect(page.locator("ul.recovery-codes li")).to_have_count(10)
    assert axe_violations(page) == []
    page.get_by_role("link", name=re.compile("continue")).click()
    # back where they wanted to go
    expect(page.get_by_role("heading", name="Agencies")).to_be_visible()
    assert page.url.endswith("/agencies/")


def test_a_trust_cell_is_edited_in_place(chromium: Chromium, region: dict[str, Any]) -> None:
    from playwright.sync_api import expect

    admin = factories.platform_admin()
    jca, diran = region["jca"], region["diran"]
    actions.set_trust_level(admin, jca, diran, 1, "First contact")
    page = chromium.page(admin)
    page.goto("/agencies/trust/")
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
    assert axe_violations(page) == []
    cell.get_by_label("Reason").fill("Memorandum of understanding signed")
    screenshot(page, "trust-cell-editing")
    cell.get_by_role("button", name="Save").click()
    expect(cell).to_have_class(re.compile(r"\btrust-2\b"))
    expect(cell.get_by_role("link")).to_have_text("2")
    assert page.evaluate("window.enlaceSamePage") is True  # no reload
    screenshot(page, "trust-matrix")
    assert actions.trust_level(jca, diran) == 2
    assert TrustLevelChange.objects.first().reason == "Memorandum of understanding signed"  # type: ignore[union-attr]
