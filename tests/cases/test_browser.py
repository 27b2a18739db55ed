"""In real headless Chromium (strict CSP, vendored htmx and axe-core): the seizure form is
quick to fill — item rows show the fields of their kind, the unit list follows the substance,
identifiers are checked as they are typed, rows are added without a reload — and the record
pages pass an accessibility scan."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.test import Client

from cases.models import SeizureReport
from tests.conftest import ROOT, verify

pytestmark = [pytest.mark.browser, pytest.mark.slow]

CHROMIUM = os.environ.get("PLAYWRIGHT_CHROMIUM", "/usr/bin/chromium")


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


@pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="no Chromium on this machine")
def test_the_seizure_form_is_quick_to_fill_in_a_real_browser(
    transactional_db: Any,
    live_server: Any,
    region: dict[str, Any],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    from playwright.sync_api import expect, sync_playwright

    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    analyst = region["jca_analyst"]
    session = verify(Client(), analyst).cookies[settings.SESSION_COOKIE_NAME].value
    problems: list[str] = []
    artifacts = ROOT / "test-artifacts"
    artifacts.mkdir(exist_ok=True)
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
            page.goto(live_server.url + "/cases/seizures/new/")
            assert _axe_violations(page) == []

            # an item row shows only the fields of its kind
            page.get_by_label("Kind").first.select_option("drug")
            expect(page.locator("#id_items-0-substance")).to_be_visible()
            expect(page.locator("#id_items-0-serial_number")).to_be_hidden()
            page.get_by_label("Kind").first.select_option("firearm")
            expect(page.locator("#id_items-0-serial_number")).to_be_visible()
            expect(page.locator("#id_items-0-substance")).to_be_hidden()
            page.get_by_label("Kind").first.select_option("drug")

            # the unit list follows the substance (htmx)
            page.locator("#id_items-0-substance").select_option("cannabis_plants")
            expect(page.locator("#id_items-0-unit option[value='plants']")).to_have_count(1)
            expect(page.locator("#id_items-0-unit option[value='kg']")).to_have_count(0)
            page.locator("#id_items-0-substance").select_option("cocaine_hcl")
            expect(page.locator("#id_items-0-unit option[value='kg']")).to_have_count(1)
            page.locator("#id_items-0-unit").select_option("kg")
            page.locator("#id_items-0-quantity").fill("412.5")

            # rows are added without a reload, and identifiers are checked as typed
            page.evaluate("window.enlaceSamePage = true")
            page.get_by_role("button", name="Add to containers").click()
            container = page.locator("#id_containers-0-number")
            expect(container).to_be_visible()
            expect(page.locator("#id_containers-TOTAL_FORMS")).to_have_value("1")
            container.fill("CSQU3054384")
            container.blur()
            expect(page.locator("#id_containers-0-number-check")).to_contain_text("should be 3")
            container.fill("csqu 305438 3")
            container.blur()
            expect(page.locator("#id_containers-0-number-check")).to_contain_text(
                "Valid: CSQU3054383"
            )
            page.get_by_role("button", name="Add to containers").click()
            expect(page.locator("#id_containers-1-number")).to_be_visible()
            expect(page.locator("#id_containers-TOTAL_FORMS")).to_have_value("2")
            assert page.evaluate("window.enlaceSamePage") is True

            # the place and the port, checked together
            page.locator("#id_country").select_option("JM")
            page.locator("#id_locode").fill("PAONX")
            page.locator("#id_locode").blur()
            expect(page.locator("#id_locode-check")).to_contain_text("not in the seizure country")
            page.locator("#id_locode").fill("JMKIN")
            page.locator("#id_locode").blur()
            expect(page.locator("#id_locode-check")).to_contain_text("Valid: JMKIN")
            page.locator("#id_seized_on").fill("2026-03-02")
            page.locator("#id_transport_mode").select_option("sea_container")
            page.screenshot(path=str(artifacts / "seizure-form.png"), full_page=True)

            page.get_by_role("button", name="Save the seizure report").click()
            expect(page.get_by_role("heading", level=1)).to_contain_text("Seizure report")
            seizure = SeizureReport.objects.get()
            assert seizure.containers.get().number == "CSQU3054383"
            assert seizure.items.get().quantity_normalised == 412.5
            assert _axe_violations(page) == []
            page.screenshot(path=str(artifacts / "seizure-page.png"), full_page=True)

            page.goto(live_server.url + "/cases/seizures/")
            expect(page.get_by_role("link", name=seizure.reference)).to_be_visible()
            assert _axe_violations(page) == []
            page.goto(live_server.url + "/cases/new/")
            assert _axe_violations(page) == []
        finally:
            browser.close()
    assert not [p for p in problems if "Content Security Policy" in p], problems
