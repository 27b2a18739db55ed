"""Accessibility in real headless Chromium: axe-core (vendored) finds no serious or critical
violation on any page, for any role, on demo-like records — and the main flows work from the
keyboard alone."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from django.urls import reverse

from cases.models import SeizureReport
from tests import factories
from tests.agencies.conftest import code_for
from tests.browser.pages import NOT_PAGES, PAGES, SIGN_IN_PAGES, url_names
from tests.browser.support import ARTIFACTS, Chromium, axe_violations, needs_chromium, screenshot
from tests.browser.world import demo_world


def test_every_url_is_swept_or_said_why_not() -> None:
    names = set(url_names())
    assert names - set(PAGES) - set(NOT_PAGES) - SIGN_IN_PAGES == set(), "pages nobody sweeps"
    assert (set(PAGES) | set(NOT_PAGES) | SIGN_IN_PAGES) - names == set(), "gone from the URLconf"


# The main content with its per-request tokens left out: a page another role already saw in
# exactly this state is not scanned again (axe takes seconds a page on a busy machine).
CONTENT = """() => {
  const main = document.querySelector('main');
  if (!main) return null;
  const copy = main.cloneNode(true);
  copy.querySelectorAll('[name=csrfmiddlewaretoken]').forEach(e => e.remove());
  return copy.innerHTML;
}"""


def _scan(page: Any, found: dict[str, list[str]], key: str, seen: set[str] | None = None) -> None:
    page.wait_for_load_state("networkidle")
    if seen is not None:
        content = page.evaluate(CONTENT)
        if content is not None and content in seen:
            return
        seen.add(content)
    if violations := axe_violations(page):
        found[key] = violations


@pytest.mark.browser
@pytest.mark.slow
@needs_chromium
def test_every_page_passes_axe_for_every_role(chromium: Chromium) -> None:
    # given the demo's agencies and people, and records of two agencies, one shared
    world = demo_world()
    found: dict[str, list[str]] = {}
    swept: set[str] = set()
    refusals: set[int] = set()
    seen: set[str] = set()

    # when each role visits every page it may open
    for role, user in world.users.items():
        page = chromium.page(user)
        for name, paths in PAGES.items():
            for path in paths(world, user):
                response = page.goto(path)
                assert response is not None
                if response.status in (403, 404):
                    # not for this role (the access matrix says which); the refusal is a page too
                    if response.status not in refusals:
                        refusals.add(response.status)
                        _scan(page, found, f"{role} {path} ({response.status})")
                    continue
                assert response.status == 200, (role, path, response.status)
                swept.add(name)
                _scan(page, found, f"{role} {path}", seen)
        page.context.close()

    # and the sign-in pages, in the order a person meets them
    page = chromium.page()
    page.goto(reverse("login"))
    _scan(page, found, "anonymous /accounts/login/")
    page.get_by_label("Username").fill("ana.analyst")
    page.get_by_label("Password").fill("not the password")
    page.get_by_role("button", name="Sign in").click()
    _scan(page, found, "anonymous /accounts/login/ refused")
    page.get_by_label("Password").fill(factories.PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/two-factor/verify/")
    page.get_by_role("button", name="Verify").click()
    _scan(page, found, "password only /accounts/two-factor/verify/ (no code)")
    newcomer = factories.user(world.jca, "analyst", username="new.analyst")
    page = chromium.page()
    page.goto(reverse("login"))
    page.get_by_label("Username").fill(newcomer.username)
    page.get_by_label("Password").fill(factories.PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/two-factor/setup/")
    _scan(page, found, "first sign-in /accounts/two-factor/setup/")
    swept |= SIGN_IN_PAGES

    # and forms sent empty show their errors accessibly
    page = chromium.page(world.users["analyst"])
    for name, button in (
        ("cases:case_create", "Save"),
        ("cases:seizure_create", "Save the seizure report"),
    ):
        page.goto(reverse(name))
        page.get_by_role("button", name=button, exact=True).click()
        page.wait_for_load_state()
        _scan(page, found, f"analyst {reverse(name)} refused")

    # then nothing serious is found, and no page went unvisited
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "axe-sweep.json").write_text(json.dumps(found, indent=1, sort_keys=True))
    assert found == {}, "\n".join(f"{page}: {problems}" for page, problems in found.items())
    assert set(PAGES) - swept == set()


def _focused(locator: Any) -> bool:
    return bool(locator.evaluate("e => e === document.activeElement"))


def _tab_to(page: Any, locator: Any, limit: int = 150) -> int:
    """Press Tab until ``locator`` has the focus; how many presses it took."""
    for presses in range(limit):
        if _focused(locator):
            return presses
        page.keyboard.press("Tab")
    raise AssertionError(f"Tab never reaches {locator}")


@pytest.mark.browser
@pytest.mark.slow
@needs_chromium
def test_the_main_flows_work_from_the_keyboard_alone(
    chromium: Chromium, region: dict[str, Any]
) -> None:
    from django_otp.plugins.otp_totp.models import TOTPDevice
    from playwright.sync_api import expect

    analyst = region["jca_analyst"]
    device = TOTPDevice.objects.create(user=analyst, name="authenticator", confirmed=True)
    page = chromium.page()

    # sign in: the username has the focus, Tab moves to the password, Enter submits
    page.goto(reverse("login"))
    assert _focused(page.get_by_label("Username"))
    page.keyboard.type(analyst.username)
    page.keyboard.press("Tab")
    assert _focused(page.get_by_label("Password"))
    page.keyboard.type(factories.PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url("**/two-factor/verify/")
    assert _focused(page.get_by_label(re.compile(r"^Code\b")))  # the page's one field
    page.keyboard.type(code_for(device))
    page.keyboard.press("Enter")
    page.wait_for_url(lambda url: "/accounts/" not in url)

    # the first Tab offers the skip link; Enter lands in the main content
    page.goto(reverse("cases:seizure_create"))
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to main content")
    assert _focused(skip)
    expect(skip).to_be_visible()
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"

    # the seizure form from the keyboard: fields by Tab, an item row added with Enter,
    # the focus moved into the new row
    _tab_to(page, page.locator("#id_seized_on"))
    page.keyboard.type("03022026")  # the date field takes its parts in the locale's order
    expect(page.locator("#id_seized_on")).to_have_value("2026-03-02")
    _tab_to(page, page.locator("#id_transport_mode"))
    page.keyboard.type("Sea container")
    expect(page.locator("#id_transport_mode")).to_have_value("sea_container")
    _tab_to(page, page.locator("#id_country"))
    page.keyboard.type("Jamaica")
    expect(page.locator("#id_country")).to_have_value("JM")
    _tab_to(page, page.locator("#id_items-0-kind"))
    page.keyboard.type("Drug")
    expect(page.locator("#id_items-0-kind")).to_have_value("drug")
    _tab_to(page, page.locator("#id_items-0-substance"))
    page.keyboard.type("Cocaine hydrochloride")
    expect(page.locator("#id_items-0-substance")).to_have_value("cocaine_hcl")
    _tab_to(page, page.locator("#id_items-0-quantity"))
    page.keyboard.type("412.5")
    _tab_to(page, page.locator("#id_items-0-unit"))
    page.keyboard.type("k")
    expect(page.locator("#id_items-0-unit")).to_have_value("kg")
    _tab_to(page, page.get_by_role("button", name="Add to items"))
    page.keyboard.press("Enter")
    second_kind = page.locator("#id_items-1-kind")
    expect(second_kind).to_be_focused()
    page.keyboard.type("Cash")
    expect(second_kind).to_have_value("cash")
    _tab_to(page, page.locator("#id_items-1-amount"))
    page.keyboard.type("25000")
    _tab_to(page, page.locator("#id_items-1-currency"))
    page.keyboard.type("USD")
    screenshot(page, "keyboard-seizure-form")
    _tab_to(page, page.get_by_role("button", name="Save the seizure report"))
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Seizure report")
    seizure = SeizureReport.objects.get()
    assert sorted(seizure.items.values_list("kind", flat=True)) == ["cash", "drug"]


@pytest.mark.browser
@pytest.mark.slow
@needs_chromium
def test_the_language_picker_waits_for_its_button(
    chromium: Chromium, region: dict[str, Any]
) -> None:
    from playwright.sync_api import expect

    from agencies.models import Membership

    analyst = region["jca_analyst"]
    page = chromium.page(analyst)
    page.goto(reverse("cases:list"))
    page.evaluate("window.enlaceBeforeChoice = true")

    # a keyboard user moves through the options: each arrow press changes the choice (and
    # fires "change"), and nothing else happens (WCAG 3.2.2, On Input)
    picker = page.get_by_label("Language", exact=True)
    _tab_to(page, picker)
    for _ in range(3):
        page.keyboard.press("ArrowDown")
    expect(picker).not_to_have_value("en")
    page.wait_for_timeout(700)
    page.wait_for_load_state("networkidle")
    assert page.evaluate("window.enlaceBeforeChoice === true"), "choosing an option navigated"
    expect(page.locator("html")).to_have_attribute("lang", "en")
    assert Membership.objects.get(user=analyst).language == "en"

    # the next Tab reaches the labelled button, and Enter applies the choice
    chosen = picker.input_value()
    page.keyboard.press("Tab")
    assert _focused(page.get_by_role("button", name="Change language", exact=True))
    page.keyboard.press("Enter")
    expect(page.locator("html")).to_have_attribute("lang", chosen)
    assert Membership.objects.get(user=analyst).language == chosen


@pytest.mark.browser
@pytest.mark.slow
@needs_chromium
def test_the_api_docs_pass_axe_as_loaded_and_opened(
    chromium: Chromium, region: dict[str, Any]
) -> None:
    # /api/docs/ is the vendored Swagger UI in Enlace's frame (templates/drf_spectacular/,
    # static/css/api-docs.css and js/api-docs.js, SWAGGER_UI_SETTINGS): the page as it
    # loads, a GET operation opened and its "Try it out" form (query parameters as selects and
    # fields), a POST operation's form (the request body), and a schema opened
    from playwright.sync_api import expect

    found: dict[str, list[str]] = {}
    page = chromium.page(region["jca_analyst"])
    page.goto(reverse("api-docs"))
    expect(page.locator(".swagger-ui .info .title")).to_be_visible()
    expect(page.locator(".opblock").first).to_be_visible()
    _scan(page, found, "/api/docs/")

    listing = page.locator(".opblock.opblock-get").first
    listing.locator(".opblock-summary-control").click()
    expect(listing.locator(".opblock-body")).to_be_visible()
    _scan(page, found, "/api/docs/ a GET operation opened")
    listing.locator(".try-out__btn").click()
    expect(listing.locator(".btn.execute")).to_be_visible()
    expect(listing.locator("tr[data-param-name] select").first).to_have_attribute(
        "aria-label", re.compile(r"\(query\)$")
    )
    _scan(page, found, "/api/docs/ GET: try it out")

    creating = page.locator(".opblock.opblock-post").first
    creating.locator(".opblock-summary-control").click()
    creating.locator(".try-out__btn").click()
    expect(creating.locator("textarea.body-param__text")).to_have_attribute(
        "aria-label", "Request body"
    )
    _scan(page, found, "/api/docs/ POST: try it out")

    page.locator("section.models .model-container .model-box-control").first.click()
    expect(page.locator("section.models .model-container .model").first).to_be_visible()
    _scan(page, found, "/api/docs/ a schema opened")
    screenshot(page, "api-docs")
    assert found == {}, "\n".join(f"{where}: {problems}" for where, problems in found.items())
