"""In real headless Chromium (strict CSP, vendored htmx and axe-core): the seizure form is
quick to fill — item rows show the fields of their kind, the unit list follows the substance,
identifiers are checked as they are typed, rows are added without a reload — and the record
pages pass an accessibility scan."""

from __future__ import annotations

from typing import Any

import pytest

from cases.models import SeizureReport
from tests.browser.support import Chromium, axe_violations, needs_chromium, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.slow, needs_chromium]


def test_the_seizure_form_is_quick_to_fill_in_a_real_browser(
    chromium: Chromium, region: dict[str, Any]
) -> None:
    from playwright.sync_api import expect

    page = chromium.page(region["jca_analyst"])
    page.goto("/cases/seizures/new/")
    assert axe_violations(page) == []

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
    expect(page.locator("#id_containers-0-number-check")).to_contain_text("Valid: CSQU3054383")
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
    screenshot(page, "seizure-form")

    page.get_by_role("button", name="Save the seizure report").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Seizure report")
    seizure = SeizureReport.objects.get()
    assert seizure.containers.get().number == "CSQU3054383"
    assert seizure.items.get().quantity_normalised == 412.5
    assert axe_violations(page) == []
    screenshot(page, "seizure-page")

    page.goto("/cases/seizures/")
    expect(page.get_by_role("link", name=seizure.reference)).to_be_visible()
    assert axe_violations(page) == []
    page.goto("/cases/new/")
    assert axe_violations(page) == []
