"""In real headless Chromium: a person picks Español in the header's switcher (nothing happens
until they press its "Change language" button), the portal answers in Spanish, and after
signing out the next sign-in (a fresh browser) is in Spanish before they pick anything."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from agencies.models import Membership
from tests import factories
from tests.agencies.conftest import code_for, enrolled

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.skipif(
        not Path(os.environ.get("PLAYWRIGHT_CHROMIUM", "/usr/bin/chromium")).exists(),
        reason="no Chromium on this machine",
    ),
]

CHROMIUM = os.environ.get("PLAYWRIGHT_CHROMIUM", "/usr/bin/chromium")


def _sign_in(page: Any, base: str, username: str, device: Any, step: int = 0) -> None:
    page.goto(base + "/accounts/login/")
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill(factories.PASSWORD)
    page.locator("main form button[type=submit]").first.click()
    # a code is accepted once: the second sign-in uses the next step's (within tolerance)
    page.locator("input[name=code]").fill(code_for(device, step))
    page.locator("main form button[type=submit]").first.click()


def test_the_chosen_language_is_kept_across_sign_out_and_a_new_browser(
    transactional_db: Any, live_server: Any, region: dict[str, Any], monkeypatch: Any
) -> None:
    from playwright.sync_api import expect, sync_playwright

    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    analyst = region["jca_analyst"]
    device = enrolled(analyst)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM)
        try:
            page = browser.new_context(locale="en-US").new_page()
            _sign_in(page, live_server.url, analyst.username, device)
            expect(page.get_by_role("heading", name="Dashboard")).to_be_visible()
            # choosing an option alone changes nothing (WCAG 3.2.2): same document, same language
            page.evaluate("window.enlaceBeforeChoice = true")
            page.get_by_label("Language", exact=True).select_option("es")
            page.wait_for_timeout(700)
            page.wait_for_load_state("networkidle")
            assert page.evaluate("window.enlaceBeforeChoice === true"), "choosing navigated"
            expect(page.locator("html")).to_have_attribute("lang", "en")
            assert Membership.objects.get(user=analyst).language != "es"
            # the labelled button applies it
            page.get_by_role("button", name="Change language", exact=True).click()
            expect(page.get_by_role("heading", name="Tablero")).to_be_visible()
            expect(page.locator("html")).to_have_attribute("lang", "es")
            assert Membership.objects.get(user=analyst).language == "es"
            page.get_by_role("button", name="Cerrar sesión").click()
            expect(page.get_by_role("heading", name="Iniciar sesión en Enlace")).to_be_visible()

            other = browser.new_context(locale="fr-FR").new_page()  # another machine
            other.goto(live_server.url + "/accounts/login/")
            expect(other.locator("html")).to_have_attribute("lang", "fr")
            _sign_in(other, live_server.url, analyst.username, device, step=1)
            expect(other.get_by_role("heading", name="Tablero")).to_be_visible()
            expect(other.locator("html")).to_have_attribute("lang", "es")
        finally:
            browser.close()
