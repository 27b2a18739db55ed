"""Signed webhooks: registration by agency admins (secret shown once, audited), HMAC-SHA256
over timestamp and body, retries with exponential backoff, attempts visible, SSRF guard."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone

from audit.models import AuditEntry
from notifications import webhooks
from notifications.actions import register_webhook
from notifications.models import WebhookAttempt, WebhookDelivery, WebhookEndpoint
from tests import factories
from tests.notifications.helpers import deliver_all, share_case

pytestmark = pytest.mark.django_db

SignedIn = Callable[[User], Client]


class Receiver:
    """A partner system on loopback: records each request, answers the next queued status."""

    def __init__(self) -> None:
        self.requests: list[dict[str, Any]] = []
        self.statuses: list[int] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.requests.append({"headers": dict(self.headers), "body": body})
                self.send_response(receiver.statuses.pop(0) if receiver.statuses else 204)
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/enlace/hook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    server = Receiver()
    yield server
    server.close()


def _endpoint(region: dict[str, Any], url: str) -> tuple[WebhookEndpoint, str]:
    return register_webhook(region["diran_agency_admin"], url=url, description="CMS")


def _send_all() -> list[str]:
    ids = WebhookDelivery.objects.filter(status="pending").values_list("pk", flat=True)
    return [webhooks.send(pk) for pk in ids]


def test_a_delivery_is_signed_over_timestamp_and_body_and_carries_no_content(
    region: dict[str, Any], receiver: Receiver
) -> None:
    endpoint, secret = _endpoint(region, receiver.url)
    case = factories.case(region["jca"], title="Container MSCU1234565")
    grant = share_case(case, region["diran"], by=region["jca_liaison"])
    deliver_all()
    assert _send_all() == ["delivered"]
    (request,) = receiver.requests
    headers, body = request["headers"], request["body"]
    assert webhooks.verify(
        secret, headers["X-Enlace-Timestamp"], body, headers["X-Enlace-Signature"]
    )
    assert not webhooks.verify(
        "whsec_wrong", headers["X-Enlace-Timestamp"], body, headers["X-Enlace-Signature"]
    )
    assert not webhooks.verify(
        secret, headers["X-Enlace-Timestamp"], body + b" ", headers["X-Enlace-Signature"]
    )
    payload = json.loads(body)
    assert payload["kind"] == "grant.created" and headers["X-Enlace-Event"] == "grant.created"
    assert payload["object"] == {"type": "sharing.grant", "id": str(grant.pk)}
    assert payload["agency"] == "DIRAN"
    assert payload["link"].endswith(f"/notifications/event/{payload['id']}/")
    assert "MSCU" not in body.decode() and case.reference not in body.decode()
    delivery = WebhookDelivery.objects.get(endpoint=endpoint)
    assert delivery.status == "delivered" and delivery.attempts == 1


def test_an_old_timestamp_is_refused_by_the_receivers_check() -> None:
    import time

    stamp = int(time.time()) - 3600
    signature = webhooks.sign("whsec_x", stamp, b"{}")
    assert not webhooks.verify("whsec_x", str(stamp), b"{}", signature)


def test_failures_are_retried_with_exponential_backoff_and_every_attempt_is_kept(
    region: dict[str, Any], receiver: Receiver, settings: Any
) -> None:
    settings.WEBHOOK_BACKOFF_BASE_SECONDS = 10
    settings.WEBHOOK_MAX_ATTEMPTS = 4
    _endpoint(region, receiver.url)
    receiver.statuses = [500, 503]
    share_case(factories.case(region["jca"]), region["diran"], by=region["jca_liaison"])
    deliver_all()
    delivery = WebhookDelivery.objects.get()
    delays = []
    for _ in range(3):
        before = timezone.now()
        webhooks.send(delivery.pk)
        delivery.refresh_from_db()
        delays.append((delivery.next_attempt_at - before).total_seconds())
        # not due yet: a second worker does nothing
        assert webhooks.send(delivery.pk) == "not-due"
        WebhookDelivery.objects.filter(pk=delivery.pk).update(next_attempt_at=timezone.now())
    assert delivery.status == "delivered"
    assert 9 <= delays[0] <= 11 and 19 <= delays[1] <= 21
    attempts = list(WebhookAttempt.objects.filter(delivery=delivery).order_by("number"))
    assert [(a.number, a.status_code, a.error) for a in attempts] == [
        (1, 500, "HTTP 500"),
        (2, 503, "HTTP 503"),
        (3, 204, ""),
    ]
    assert [json.loads(r["body"])["attempt"] for r in receiver.requests] == [1, 2, 3]


def test_it_gives_up_after_the_last_attempt(
    region: dict[str, Any], receiver: Receiver, settings: Any
) -> None:
    settings.WEBHOOK_MAX_ATTEMPTS = 2
    _endpoint(region, receiver.url)
    receiver.statuses = [500, 500, 500]
    share_case(factories.case(region["jca"]), region["diran"], by=region["jca_liaison"])
    deliver_all()
    delivery = WebhookDelivery.objects.get()
    webhooks.send(delivery.pk)
    WebhookDelivery.objects.update(next_attempt_at=timezone.now())
    assert webhooks.send(delivery.pk) == "failed"
    assert len(receiver.requests) == 2


def test_an_unreachable_endpoint_records_the_error(region: dict[str, Any]) -> None:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    _endpoint(region, f"http://127.0.0.1:{port}/nothing-listens")
    share_case(factories.case(region["jca"]), region["diran"], by=region["jca_liaison"])
    deliver_all()
    assert _send_all() == ["pending"]
    attempt = WebhookAttempt.objects.get()
    assert attempt.status_code is None and "ConnectionRefusedError" in attempt.error


def test_only_events_reaching_the_agency_are_sent_and_security_events_never(
    region: dict[str, Any], receiver: Receiver
) -> None:
    from notifications.events import emit

    _endpoint(region, receiver.url)
    # DIRAN shares with JCA: DIRAN's liaisons hear of the offer and its decision; the grant
    # itself notifies only JCA
    share_case(factories.case(region["diran"]), region["jca"], by=region["diran_liaison"])
    emit("security.locked", users=[region["diran_analyst"]])
    deliver_all()
    assert sorted(WebhookDelivery.objects.values_list("event__kind", flat=True)) == [
        "share_request.created",
        "share_request.decided",
    ]


def test_kinds_narrow_what_an_endpoint_receives(region: dict[str, Any], receiver: Receiver) -> None:
    from notifications.events import emit

    register_webhook(region["diran_agency_admin"], url=receiver.url, kinds_wanted=["hit.created"])
    share_case(factories.case(region["jca"]), region["diran"], by=region["jca_liaison"])
    emit("hit.created", obj=factories.seizure(region["diran"]), agencies=[region["diran"]])
    deliver_all()
    assert list(WebhookDelivery.objects.values_list("event__kind", flat=True)) == ["hit.created"]


@pytest.mark.parametrize(
    "url",
    [
        "http://169.254.169.254/latest/meta-data/",
        "http://[fe80::1]/hook",
        "http://0.0.0.0/hook",
        "http://224.0.0.1/hook",
        "http://[::ffff:169.254.169.254]/hook",
    ],
)
def test_link_local_multicast_and_unspecified_addresses_are_always_refused(url: str) -> None:
    with pytest.raises(webhooks.UnsafeURL):
        webhooks.check_url(url)


@pytest.mark.parametrize(
    "url",
    ["http://127.0.0.1:9/hook", "http://localhost/hook", "http://10.1.2.3/", "http://192.168.0.7/"],
)
def test_loopback_and_private_addresses_are_refused_in_production(url: str, settings: Any) -> None:
    settings.WEBHOOK_ALLOW_PRIVATE_NETWORKS = False
    with pytest.raises(webhooks.UnsafeURL):
        webhooks.check_url(url)


def test_an_operator_may_allow_one_private_network_and_require_https(settings: Any) -> None:
    settings.WEBHOOK_ALLOW_PRIVATE_NETWORKS = False
    settings.WEBHOOK_ALLOWED_NETWORKS = ["10.20.0.0/16"]
    assert webhooks.check_url("http://10.20.3.4:8443/hook").address == "10.20.3.4"
    with pytest.raises(webhooks.UnsafeURL):
        webhooks.check_url("http://10.21.3.4/hook")
    settings.WEBHOOK_REQUIRE_HTTPS = True
    with pytest.raises(webhooks.UnsafeURL, match="https"):
        webhooks.check_url("http://10.20.3.4/hook")
    with pytest.raises(webhooks.UnsafeURL):
        webhooks.check_url("https://user:pw@10.20.3.4/hook")


def test_a_host_allow_list_is_enforced(settings: Any) -> None:
    settings.WEBHOOK_ALLOWED_HOSTS = [".partner.example", "cms.police.example"]
    with pytest.raises(webhooks.UnsafeURL, match="allowed webhook hosts"):
        webhooks.check_url("https://evil.example/hook")


def test_a_delivery_rechecks_the_address_at_send_time(
    region: dict[str, Any], receiver: Receiver, settings: Any
) -> None:
    _endpoint(region, receiver.url)
    share_case(factories.case(region["jca"]), region["diran"], by=region["jca_liaison"])
    deliver_all()
    settings.WEBHOOK_ALLOW_PRIVATE_NETWORKS = False  # e.g. DNS now points inside
    assert _send_all() == ["failed"]
    assert receiver.requests == []
    assert WebhookAttempt.objects.get().error.startswith("refused:")


# --- pages -----------------------------------------------------------------------------------


def test_an_agency_admin_registers_a_webhook_sees_the_secret_once_and_it_is_audited(
    region: dict[str, Any], signed_in: SignedIn, receiver: Receiver
) -> None:
    admin = signed_in(region["diran_agency_admin"])
    response = admin.post(
        "/notifications/webhooks/",
        {"url": receiver.url, "description": "Case system", "kinds": ["grant.created"]},
    )
    assert response.status_code == 200
    endpoint = WebhookEndpoint.objects.get()
    assert endpoint.agency == region["diran"] and endpoint.kinds == ["grant.created"]
    assert endpoint.secret.startswith("whsec_") and endpoint.secret in response.content.decode()
    detail = admin.get(f"/notifications/webhooks/{endpoint.pk}/").content.decode()
    listing = admin.get("/notifications/webhooks/").content.decode()
    assert endpoint.secret not in detail and endpoint.secret not in listing
    entry = AuditEntry.objects.get(action="webhook.created")
    assert entry.actor == region["diran_agency_admin"] and endpoint.secret not in str(entry.details)
    rotated = admin.post(f"/notifications/webhooks/{endpoint.pk}/rotate/")
    endpoint.refresh_from_db()
    assert endpoint.secret in rotated.content.decode()
    assert AuditEntry.objects.filter(action="webhook.secret_rotated").count() == 1


def test_a_bad_url_is_a_form_error_and_nothing_is_saved(
    region: dict[str, Any], signed_in: SignedIn, settings: Any
) -> None:
    settings.WEBHOOK_ALLOW_PRIVATE_NETWORKS = False
    admin = signed_in(region["diran_agency_admin"])
    response = admin.post("/notifications/webhooks/", {"url": "http://127.0.0.1:8000/"})
    assert response.status_code == 200
    assert "This address is not allowed for webhooks" in response.content.decode()
    assert not WebhookEndpoint.objects.exists()


def test_the_deliveries_page_shows_each_attempt(
    region: dict[str, Any], signed_in: SignedIn, receiver: Receiver
) -> None:
    endpoint, _ = _endpoint(region, receiver.url)
    receiver.statuses = [502]
    share_case(factories.case(region["jca"]), region["diran"], by=region["jca_liaison"])
    deliver_all()
    _send_all()
    page = signed_in(region["diran_agency_admin"]).get(f"/notifications/webhooks/{endpoint.pk}/")
    body = page.content.decode()
    assert "grant.created" in body and "HTTP 502" in body and "#1" in body


def test_pausing_stops_pending_deliveries(
    region: dict[str, Any], signed_in: SignedIn, receiver: Receiver
) -> None:
    endpoint, _ = _endpoint(region, receiver.url)
    share_case(factories.case(region["jca"]), region["diran"], by=region["jca_liaison"])
    deliver_all()
    admin = signed_in(region["diran_agency_admin"])
    admin.post(f"/notifications/webhooks/{endpoint.pk}/active/", {"active": "0"})
    assert _send_all() == []
    assert WebhookDelivery.objects.get().status == "failed"
    assert receiver.requests == []
    share_case(factories.case(region["jca"]), region["diran"], by=region["jca_liaison"])
    deliver_all()
    assert WebhookDelivery.objects.count() == 1  # a paused endpoint gets no new deliveries


@pytest.mark.parametrize("who", ["diran_analyst", "diran_liaison", "jca_agency_admin"])
def test_only_the_agencys_admins_see_its_webhooks(
    region: dict[str, Any], signed_in: SignedIn, receiver: Receiver, who: str
) -> None:
    endpoint, _ = _endpoint(region, receiver.url)
    client = signed_in(region[who])
    assert client.get(f"/notifications/webhooks/{endpoint.pk}/").status_code == 404
    assert client.post(f"/notifications/webhooks/{endpoint.pk}/rotate/").status_code == 404
    assert (
        client.post(f"/notifications/webhooks/{endpoint.pk}/active/", {"active": "0"}).status_code
        == 404
    )
    if who != "jca_agency_admin":
        assert client.get("/notifications/webhooks/").status_code == 404
    endpoint.refresh_from_db()
    assert endpoint.active


def test_backoff_doubles_up_to_the_cap(settings: Any) -> None:
    settings.WEBHOOK_BACKOFF_BASE_SECONDS = 10
    settings.WEBHOOK_BACKOFF_MAX_SECONDS = 60
    assert [webhooks.backoff_seconds(n) for n in range(1, 6)] == [10, 20, 40, 60, 60]


def test_relay_picks_up_due_retries(region: dict[str, Any], receiver: Receiver) -> None:
    from notifications.relay import relay

    _endpoint(region, receiver.url)
    share_case(factories.case(region["jca"]), region["diran"], by=region["jca_liaison"])
    deliver_all()
    WebhookDelivery.objects.update(next_attempt_at=timezone.now() - timedelta(minutes=1))
    assert relay().webhooks == 1
