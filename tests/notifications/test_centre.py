"""The in-app notification centre: list, open, mark read, and the live unread badge."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client

from notifications.events import emit
from notifications.models import Notification
from tests import factories
from tests.notifications.helpers import deliver_all, revoke, share_case

pytestmark = pytest.mark.django_db

SignedIn = Callable[[User], Client]


def _shared(region: dict[str, Any], title: str = "Reefer container MSCU1234565") -> Any:
    case = factories.case(region["jca"], title=title)
    grant = share_case(case, region["diran"], by=region["jca_liaison"])
    deliver_all()
    return case, grant


def test_the_list_shows_the_record_title_the_reader_may_see(
    region: dict[str, Any], signed_in: SignedIn
) -> None:
    case, _ = _shared(region)
    page = signed_in(region["diran_analyst"]).get("/notifications/")
    assert page.status_code == 200
    body = page.content.decode()
    assert "Record shared with you" in body
    assert f"JCA shared {case.reference} — Reefer container MSCU1234565 with you." in body


def test_a_notification_whose_record_is_no_longer_visible_shows_only_its_kind(
    region: dict[str, Any], signed_in: SignedIn
) -> None:
    case, grant = _shared(region, title="Go-fast boat off Negril")
    revoke(grant, by=region["jca_liaison"])
    deliver_all()
    body = signed_in(region["diran_analyst"]).get("/notifications/").content.decode()
    assert "Record shared with you" in body and "Sharing revoked" in body
    assert body.count("No longer available.") == 2
    assert "Go-fast" not in body and case.reference not in body
    api = signed_in(region["diran_analyst"]).get("/api/v1/notifications/").json()
    assert [(n["kind"], n["available"], n["record"], n["url"]) for n in api["results"]] == [
        ("grant.revoked", False, None, None),
        ("grant.created", False, None, None),
    ]
    assert "Go-fast" not in str(api)


def test_an_event_about_another_agencys_record_never_shows_its_title(
    region: dict[str, Any], signed_in: SignedIn
) -> None:
    # a mistaken audience (the emitter's bug) still cannot leak a title past the access door
    secret = factories.case(region["jca"], title="Informant Zeta", tlp="RED")
    emit("case.message", obj=secret, agencies=[region["diran"]])
    deliver_all()
    body = signed_in(region["diran_analyst"]).get("/notifications/").content.decode()
    assert "Informant Zeta" not in body and secret.reference not in body
    assert "No longer available." in body


def test_opening_marks_read_and_leads_to_the_record_or_says_it_is_gone(
    region: dict[str, Any], signed_in: SignedIn
) -> None:
    _, grant = _shared(region)
    client = signed_in(region["diran_analyst"])
    notification = Notification.objects.get(user=region["diran_analyst"])
    response = client.get(f"/notifications/{notification.pk}/open/")
    assert response.status_code in (200, 302)
    notification.refresh_from_db()
    assert notification.read_at is not None
    revoke(grant, by=region["jca_liaison"])
    deliver_all()
    gone = Notification.objects.get(user=region["diran_analyst"], event__kind="grant.revoked")
    page = client.get(f"/notifications/event/{gone.event_id}/")
    assert page.status_code == 200
    assert "No longer available." in page.content.decode()


def test_someone_elses_notification_is_a_404(region: dict[str, Any], signed_in: SignedIn) -> None:
    _shared(region)
    theirs = Notification.objects.get(user=region["diran_analyst"])
    client = signed_in(region["diran_liaison"])
    assert client.get(f"/notifications/{theirs.pk}/open/").status_code == 404
    assert client.post(f"/notifications/{theirs.pk}/read/").status_code == 404
    # the event link opens the reader's own copy; someone who was not told gets a 404
    outsider = signed_in(region["jca_analyst"])
    assert outsider.get(f"/notifications/event/{theirs.event_id}/").status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_mark_read_and_mark_all_read(region: dict[str, Any], signed_in: SignedIn) -> None:
    for title in ("One", "Two", "Three"):
        _shared(region, title=title)
    user = region["diran_analyst"]
    client = signed_in(user)
    first = Notification.objects.filter(user=user).first()
    assert first is not None
    fragment = client.post(f"/notifications/{first.pk}/read/", HTTP_HX_REQUEST="true")
    assert fragment.status_code == 200 and "Mark read" not in fragment.content.decode()
    assert Notification.objects.filter(user=user, read_at__isnull=True).count() == 2
    assert client.post("/notifications/read-all/").status_code == 302
    assert Notification.objects.filter(user=user, read_at__isnull=True).count() == 0
    # other people's notifications are untouched
    assert Notification.objects.filter(user=region["diran_liaison"], read_at__isnull=True).count()


def test_the_unread_badge_is_in_the_nav_bar_and_polls(
    region: dict[str, Any], signed_in: SignedIn
) -> None:
    client = signed_in(region["diran_analyst"])
    home = client.get("/").content.decode()
    assert 'id="unread-badge"' in home and 'data-unread="0"' in home
    assert 'hx-get="/notifications/unread-count/?shown=0"' in home
    assert 'hx-trigger="every 5s"' in home
    # nothing new: nothing to swap
    assert client.get("/notifications/unread-count/?shown=0").status_code == 204
    _shared(region)
    badge = client.get("/notifications/unread-count/?shown=0")
    assert badge.status_code == 200
    assert 'data-unread="1"' in badge.content.decode()
    assert 'hx-get="/notifications/unread-count/?shown=1"' in badge.content.decode()


def test_the_badge_poll_sends_a_signed_out_page_to_sign_in(client: Client) -> None:
    # htmx sends HX-Request on every poll; the second-factor middleware answers it first
    response = client.get("/notifications/unread-count/?shown=3", HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert response["HX-Redirect"] == "/accounts/login/"
    assert response.content == b""


def test_the_badge_poll_does_not_keep_a_session_alive(settings: Any) -> None:
    assert "/notifications/unread-count/" in settings.SESSION_IDLE_EXEMPT_PATHS


def test_pages_need_a_verified_member(region: dict[str, Any], client: Client) -> None:
    assert client.get("/notifications/").status_code == 302
    client.force_login(region["diran_analyst"])  # password only, no second factor
    assert client.get("/notifications/").status_code == 302
    assert client.get("/api/v1/notifications/").status_code in (401, 403)


def test_the_list_page_costs_the_same_queries_for_three_notifications_or_twenty(
    region: dict[str, Any], signed_in: SignedIn, django_assert_max_num_queries: Any
) -> None:
    user = region["diran_analyst"]
    client = signed_in(user)
    _shared(region, title="first")
    client.get("/notifications/")  # warm the session
    with django_assert_max_num_queries(40) as few:
        client.get("/notifications/")
    for n in range(19):
        _shared(region, title=f"case {n}")
    emit("hit.created", obj=factories.seizure(region["diran"]), agencies=[region["diran"]])
    deliver_all()
    with django_assert_max_num_queries(40) as many:
        page = client.get("/notifications/")
    assert page.content.decode().count('class="list-group-item') == 21
    assert len(many.captured_queries) <= len(few.captured_queries) + 1  # + the seizure lookup


def test_the_sentence_follows_the_request_kind_and_the_decision(
    region: dict[str, Any], signed_in: SignedIn
) -> None:
    from sharing import actions

    case = factories.case(region["jca"], title="Semi-submersible")
    share_case(case, region["diran"], by=region["jca_liaison"])
    deliver_all()
    offerer = Notification.objects.get(event__kind="share_request.decided").user
    liaison_page = signed_in(region["jca_liaison"]).get("/notifications/").content.decode()
    assert "Offer to approve" in liaison_page
    assert f"A colleague offers to share {case.reference} — Semi-submersible" in liaison_page
    offerer_page = signed_in(offerer).get("/notifications/").content.decode()
    assert "Share request approved" in offerer_page
    assert f"Your share request about {case.reference} — Semi-submersible was approved." in (
        offerer_page
    )
    # a denied request for a record the requester cannot see: the kind, and nothing of it
    hidden = factories.case(region["jca"], title="Undercover", tlp="CLEAR")
    request = actions.request_access(
        region["diran_analyst"], hidden, level=3, justification="Our port, our container"
    )
    hidden.tlp = "RED"
    hidden.save()
    actions.deny(region["jca_liaison"], request, note="Not now")
    deliver_all()
    page = signed_in(region["diran_analyst"]).get("/notifications/").content.decode()
    assert "Share request denied" in page and "Undercover" not in page


def test_trust_changes_name_both_agencies_and_the_new_level(
    region: dict[str, Any], signed_in: SignedIn
) -> None:
    trust = factories.trust(region["jca"], region["diran"], 2)
    emit(
        "trust.changed",
        obj=trust,
        agencies=[region["jca"], region["diran"]],
        roles=["agency_admin", "liaison"],
        from_agency=region["jca"].pk,
        to_agency=region["diran"].pk,
        old_level=1,
        new_level=2,
    )
    deliver_all()
    body = signed_in(region["diran_liaison"]).get("/api/v1/notifications/").json()
    (item,) = body["results"]
    assert (item["label"], item["text"]) == (
        "Trust level changed",
        "The trust of JCA in DIRAN is now level 2.",
    )
    assert item["available"] is True and item["record"] is None
    assert signed_in(region["diran_analyst"]).get("/api/v1/notifications/").json()["count"] == 0


@pytest.mark.parametrize("revealed", [True, False])
def test_a_hit_names_the_other_agency_only_when_it_may_be_revealed(
    region: dict[str, Any], signed_in: SignedIn, revealed: bool
) -> None:
    from hits.models import Hit

    ours = factories.seizure(region["diran"])
    theirs = factories.seizure(region["jca"])
    hit = Hit.objects.create(
        kind="container",
        our_seizure=ours,
        our_agency=region["diran"],
        their_seizure=theirs,
        their_agency=region["jca"],
        revealed=revealed,
    )
    emit("hit.created", obj=hit, agencies=[region["diran"]], roles=["liaison"])
    deliver_all()
    text = (
        signed_in(region["diran_liaison"])
        .get("/api/v1/notifications/")
        .json()["results"][0]["text"]
    )
    assert ours.reference in text and theirs.reference not in text
    assert ("JCA" in text) is revealed


def test_polling_the_badge_does_not_keep_an_idle_session_alive(
    region: dict[str, Any], signed_in: SignedIn, settings: Any
) -> None:
    import time

    from django.core.cache import cache

    from agencies.middleware import clock_key

    client = signed_in(region["diran_analyst"])
    assert client.get("/notifications/").status_code == 200
    key = clock_key(client.session.session_key)
    almost_idle = time.time() - settings.SESSION_IDLE_TIMEOUT_SECONDS + 30
    cache.set(key, almost_idle)
    for _ in range(3):
        poll = client.get("/notifications/unread-count/?shown=0", HTTP_HX_REQUEST="true")
        assert poll.status_code == 204
    assert cache.get(key) == almost_idle  # the polls did not count as activity
    cache.set(key, time.time() - settings.SESSION_IDLE_TIMEOUT_SECONDS - 1)
    poll = client.get("/notifications/unread-count/?shown=0", HTTP_HX_REQUEST="true")
    assert "/accounts/login/" in poll["HX-Redirect"]  # the page goes to the sign-in page
    assert client.get("/api/v1/notifications/unread_count/").status_code in (401, 403)
