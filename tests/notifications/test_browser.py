"""In real headless Chromium (strict CSP, vendored htmx): the nav-bar unread count changes
within seconds of a share, without reloading the page."""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.test import Client

from tests.conftest import ROOT, verify
from tests.notifications.helpers import deliver_all, share_case

pytestmark = [pytest.mark.browser, pytest.mark.slow]

CHROMIUM = os.environ.get("PLAYWRIGHT_CHROMIUM", "/usr/bin/chromium")


@pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="no Chromium on this machine")
def test_the_unread_badge_updates_live_without_a_reload(
    transactional_db: Any,
    live_server: Any,
    region: dict[str, Any],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from playwright.sync_api import expect, sync_playwright

    # Playwright's sync API runs an event loop in this thread; the database calls made here
    # (the share) are ordinary synchronous ones.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

    from tests import factories

    reader = region["diran_analyst"]
    session = verify(Client(), reader).cookies[settings.SESSION_COOKIE_NAME].value
    problems: list[str] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM)
        try:
            context = browser.new_context()
            context.add_cookies(
                [{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url}]
            )
            page = context.new_page()
            page.on(
                "console",
                lambda message: problems.append(message.text) if message.type == "error" else None,
            )
            page.goto(live_server.url + "/")
            badge = page.locator("#unread-badge")
            expect(badge).to_have_attribute("data-unread", "0")
            page.evaluate("window.enlaceSamePage = true")

            share_case(factories.case(region["jca"]), region["diran"], by=region["jca_liaison"])
            deliver_all()  # what the worker does (test_worker.py proves the worker does it)

            expect(badge).to_have_attribute(
                "data-unread", "1", timeout=(settings.NOTIFY_POLL_SECONDS + 10) * 1000
            )
            assert page.evaluate("window.enlaceSamePage") is True  # no reload
            expect(badge).to_contain_text("1")
            artifacts = ROOT / "test-artifacts"
            artifacts.mkdir(exist_ok=True)
            page.screenshot(path=str(artifacts / "notification-badge-live.png"))
            page.get_by_role("link", name="Notifications").click()
            expect(page.get_by_role("heading", name="Record shared with you")).to_be_visible()
            page.get_by_role("button", name=re.compile("^Mark read")).click()
            expect(page.get_by_role("button", name=re.compile("^Mark read"))).to_have_count(0)
            expect(badge).to_have_attribute(
                "data-unread", "0", timeout=(settings.NOTIFY_POLL_SECONDS + 10) * 1000
            )
            page.screenshot(path=str(artifacts / "notification-centre.png"), full_page=True)
        finally:
            browser.close()
    assert not [p for p in problems if "Content Security Policy" in p], problems
