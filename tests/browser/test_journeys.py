"""The main journeys, each in real headless Chromium with one screenshot kept in
test-artifacts/: sign in with a second factor, record a seizure with items, ask another
agency for access, approve as its liaison officer, see the notification arrive live (the
approval made in another browser, delivered by a real Celery worker), and revoke."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from audit.models import AuditEntry
from cases.models import Case, SeizureReport
from sharing import actions as sharing
from sharing.access import access_level
from sharing.models import Grant, Level, ShareRequest
from tests import factories
from tests.agencies.conftest import code_for
from tests.browser.support import Chromium, axe_violations, needs_chromium, screenshot
from tests.conftest import Worker
from tests.notifications.helpers import second_liaison

pytestmark = [pytest.mark.browser, pytest.mark.slow, needs_chromium]


def _case_shared_at_summary(region: dict[str, Any]) -> Case:
    """A JCA case DIRAN sees at summary level (JCA trusts DIRAN at 2)."""
    factories.trust(region["jca"], region["diran"], 2)
    case = factories.case(region["jca"], by=region["jca_analyst"], title="Operation Coral Reef")
    offer = sharing.offer(
        second_liaison(region["jca"], region["jca_liaison"]),
        case,
        level=Level.SUMMARY,
        justification="DIRAN targets the shipper.",
        recipient_agency=region["diran"],
    )
    sharing.approve(region["jca_liaison"], offer, note="Summary for now.")
    return case


def _asked_for_full(region: dict[str, Any]) -> tuple[Case, ShareRequest]:
    case = _case_shared_at_summary(region)
    asked = sharing.request_access(
        region["diran_analyst"],
        case,
        level=Level.FULL,
        justification="The shipper is under investigation in Buenaventura.",
    )
    return case, asked


def _approve_in_queue(page: Any, asked: ShareRequest, note: str) -> None:
    page.goto(reverse("sharing:queue"))
    form = page.get_by_role("form", name=f"Approve #{asked.pk}")
    page.get_by_text("Approve", exact=True).click()  # the <summary> opens the form
    form.get_by_label("Level to grant").select_option("full")
    form.get_by_label("Note for the decision").fill(note)
    form.get_by_role("button", name="Approve and share").click()


def test_journey_1_sign_in_with_a_second_factor(chromium: Chromium, region: dict[str, Any]) -> None:
    from playwright.sync_api import expect

    analyst: User = region["jca_analyst"]
    device = TOTPDevice.objects.create(user=analyst, name="authenticator", confirmed=True)
    page = chromium.page()
    page.goto(reverse("cases:list"))
    expect(page.get_by_role("heading", name="Sign in to Enlace")).to_be_visible()
    page.get_by_label("Username").fill(analyst.username)
    page.get_by_label("Password").fill(factories.PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    expect(page.get_by_role("heading", name="Confirm it is you")).to_be_visible()
    code = page.get_by_label(re.compile(r"^Code\b"))
    code.fill(code_for(device))  # the code the phone shows now (django-otp's TOTP)
    page.get_by_role("button", name="Verify").click()

    # back where they wanted to go, signed in
    expect(page.get_by_role("heading", level=1)).to_have_text("Cases")
    assert page.url.endswith(reverse("cases:list"))
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    assert AuditEntry.objects.filter(actor=analyst, action="auth.otp_verified").exists()
    screenshot(page, "journey-1-sign-in-with-second-factor")


def test_journey_2_record_a_seizure_with_items(chromium: Chromium, region: dict[str, Any]) -> None:
    from playwright.sync_api import expect

    page = chromium.page(region["jca_analyst"])
    page.goto(reverse("cases:seizures"))
    page.get_by_role("link", name=re.compile("New seizure report")).first.click()
    page.locator("#id_seized_on").fill("2026-03-02")
    page.locator("#id_transport_mode").select_option("sea_container")
    page.locator("#id_country").select_option("JM")
    page.locator("#id_place").fill("Kingston Container Terminal")
    page.locator("#id_locode").fill("JMKIN")
    # a drug row
    page.locator("#id_items-0-kind").select_option("drug")
    page.locator("#id_items-0-substance").select_option("cocaine_hcl")
    page.locator("#id_items-0-unit").select_option("kg")
    page.locator("#id_items-0-quantity").fill("412.5")
    page.locator("#id_items-0-purity").fill("84")
    # a firearm row, added without a reload
    page.get_by_role("button", name="Add to items").click()
    page.locator("#id_items-1-kind").select_option("firearm")
    page.locator("#id_items-1-firearm_type").select_option("pistol")
    page.locator("#id_items-1-make").fill("Glock")
    page.locator("#id_items-1-model").fill("19")
    page.locator("#id_items-1-calibre").fill("9 mm")
    page.locator("#id_items-1-serial_number").fill("BXK 421")
    # and cash
    page.get_by_role("button", name="Add to items").click()
    page.locator("#id_items-2-kind").select_option("cash")
    page.locator("#id_items-2-amount").fill("25000")
    page.locator("#id_items-2-currency").fill("USD")
    page.get_by_role("button", name="Add to containers").click()
    page.locator("#id_containers-0-number").fill("CSQU 305438 3")
    page.get_by_role("button", name="Save the seizure report").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("Seizure report")
    seizure = SeizureReport.objects.get()
    assert seizure.owner_agency == region["jca"]
    items = {item.kind: item for item in seizure.items.all()}
    assert set(items) == {"drug", "firearm", "cash"}
    assert items["drug"].quantity_normalised == 412.5
    assert items["firearm"].make == "Glock"
    assert seizure.containers.get().number == "CSQU3054383"
    expect(page.get_by_text("BXK 421").or_(page.get_by_text("BXK421")).first).to_be_visible()
    assert axe_violations(page) == []
    screenshot(page, "journey-2-record-a-seizure-with-items")


def test_journey_3_request_access_to_another_agencys_record(
    chromium: Chromium, region: dict[str, Any]
) -> None:
    from playwright.sync_api import expect

    case = _case_shared_at_summary(region)
    page = chromium.page(region["diran_analyst"])
    page.goto(reverse("cases:case", args=[case.pk]))
    page.get_by_role("link", name="Request access").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Request for access")
    page.get_by_label("Level").select_option("full")
    page.get_by_label("Justification").fill("The shipper is under investigation in Buenaventura.")
    page.get_by_role("button", name="Send").click()

    expect(page.get_by_text("Request sent to the owner's liaison officers.")).to_be_visible()
    asked = ShareRequest.objects.get(kind="access")
    assert (asked.requested_by, asked.status, asked.level) == (
        region["diran_analyst"],
        "pending",
        Level.FULL,
    )
    assert access_level(region["diran_analyst"], case) == Level.SUMMARY  # nothing more yet
    screenshot(page, "journey-3-request-access")


def test_journey_4_approve_as_liaison_officer(chromium: Chromium, region: dict[str, Any]) -> None:
    from playwright.sync_api import expect

    case, asked = _asked_for_full(region)
    page = chromium.page(region["jca_liaison"])
    _approve_in_queue(page, asked, "Approved under the container targeting MoU.")

    expect(page.get_by_text("No request is waiting.")).to_be_visible()
    asked.refresh_from_db()
    assert (asked.status, asked.decided_by) == ("approved", region["jca_liaison"])
    grant = Grant.objects.get(share_request=asked)
    assert grant.level == Level.FULL and grant.status == Grant.Status.ACTIVE
    assert access_level(region["diran_analyst"], case) == Level.FULL
    page.goto(reverse("sharing:request_detail", args=[asked.pk]))
    expect(page.get_by_text("Approved under the container targeting MoU.")).to_be_visible()
    screenshot(page, "journey-4-approve-as-liaison-officer")


def test_journey_5_the_notification_arrives_live(
    chromium: Chromium, region: dict[str, Any], celery_worker: Worker
) -> None:
    from playwright.sync_api import expect

    _case, asked = _asked_for_full(region)
    # the analyst who asked is looking at the dashboard, in one browser
    reader = chromium.page(region["diran_analyst"])
    reader.goto(reverse("home"))
    badge = reader.locator("#unread-badge")
    before = int(badge.get_attribute("data-unread") or 0)
    reader.evaluate("window.enlaceSamePage = true")

    # the liaison officer approves in another
    _approve_in_queue(chromium.page(region["jca_liaison"]), asked, "Approved.")

    # a real worker delivers it and the badge changes without a reload
    expect(badge).not_to_have_attribute(
        "data-unread", str(before), timeout=(settings.NOTIFY_POLL_SECONDS + 30) * 1000
    )
    assert int(badge.get_attribute("data-unread") or 0) > before
    assert reader.evaluate("window.enlaceSamePage") is True
    screenshot(reader, "journey-5-notification-arrives-live", full_page=False)
    reader.get_by_role("link", name="Notifications").click()
    expect(reader.get_by_text(re.compile("approved", re.I)).first).to_be_visible()


def test_journey_6_revoke(chromium: Chromium, region: dict[str, Any]) -> None:
    from playwright.sync_api import expect

    case, asked = _asked_for_full(region)
    (grant,) = sharing.approve(region["jca_liaison"], asked, note="Approved.")
    partner = chromium.page(region["diran_analyst"])
    assert partner.goto(reverse("cases:case", args=[case.pk])).status == 200

    page = chromium.page(region["jca_liaison"])
    page.goto(reverse("sharing:what_we_share"))
    row = page.get_by_role("row").filter(has_text="DIRAN").filter(has_text="full")
    row.get_by_text("Revoke", exact=True).click()
    row.get_by_label("Reason for revoking").fill("Operation closed; evidence handed to court.")
    row.get_by_role("button", name="Revoke now").click()

    expect(page.get_by_text("Your agency shares nothing at the moment.")).to_be_visible()
    grant.refresh_from_db()
    assert grant.status == Grant.Status.REVOKED
    # the full grant had replaced the summary one: DIRAN sees nothing of the case now
    assert access_level(region["diran_analyst"], case) == Level.NONE
    assert partner.goto(reverse("cases:case", args=[case.pk])).status == 404
    screenshot(page, "journey-6-revoke")
