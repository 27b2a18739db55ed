"""In real headless Chromium (strict CSP, vendored htmx): the nav-bar unread count changes
within seconds of a share, without reloading the page."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.conf import settings

from tests import factories
from tests.browser.support import Chromium, needs_chromium, screenshot
from tests.notifications.helpers import deliver_all, share_case

pytestmark = [pytest.mark.browser, pytest.mark.slow, needs_chromium]


def test_the_unread_badge_updates_live_without_a_reload(
    chromium: Chromium, region: dict[str, Any]
) -> None:
    from playwright.sync_api import expect

    page = chromium.page(region["diran_analyst"])
    page.goto("/")
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
    screenshot(page, "notification-badge-live", full_page=False)
    page.get_by_role("link", name="Notifications").click()
    expect(page.get_by_role("heading", name="Record shared with you")).to_be_visible()
    page.get_by_role("button", name=re.compile("^Mark read")).click()
    expect(page.get_by_role("button", name=re.compile("^Mark read"))).to_have_count(0)
    expect(badge).to_have_attribute(
        "data-unread", "0", timeout=(settings.NOTIFY_POLL_SECONDS + 10) * 1000
    )
    screenshot(page, "notification-centre")
