"""Signed webhooks: a partner system's URL receives a POST for each notification of its agency.

- The body carries no record content: the event id, kind, time, the object's type and id, and
  a link into the portal (where the access door decides what the reader sees).
- ``X-Enlace-Timestamp`` is the Unix time of the attempt and ``X-Enlace-Signature`` is
  ``sha256=`` + hex HMAC-SHA256 over ``<timestamp>.<body>`` with the endpoint's secret.
- Failed attempts are retried with exponential backoff (base, doubling, capped) until
  ``WEBHOOK_MAX_ATTEMPTS``; every attempt's status code, error and time is kept and shown.
- SSRF: the URL is checked when registered and again at each attempt, the connection goes
  to the address that was checked (no DNS rebinding), and redirects are not followed.
  Loopback, private, link-local, multicast and reserved addresses are refused unless the
  operator allows them (docs/NOTIFICATIONS.md).
"""

from __future__ import annotations

import hashlib
import hmac
import http.client
import ipaddress
import json
import secrets
import socket
import ssl
import time
from dataclasses import dataclass
from datetime import timedelta
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from notifications.models import WebhookAttempt, WebhookDelivery

SIGNATURE_HEADER = "X-Enlace-Signature"
TIMESTAMP_HEADER = "X-Enlace-Timestamp"
MAX_RESPONSE_BYTES = 64 * 1024

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


class UnsafeURL(ValueError):
    """A webhook URL that the portal refuses to call."""


def new_secret() -> str:
    return "whsec_" + secrets.token_urlsafe(32)


def sign(secret: str, timestamp: int, body: bytes) -> str:
    digest = hmac.new(secret.encode(), str(timestamp).encode() + b"." + body, hashlib.sha256)
    return "sha256=" + digest.hexdigest()


def verify(secret: str, timestamp: str, body: bytes, signature: str, tolerance: int = 300) -> bool:
    """What a receiver does: recompute the signature, compare in constant time, reject old
    timestamps (replays)."""
    try:
        stamp = int(timestamp)
    except ValueError:
        return False
    if abs(time.time() - stamp) > tolerance:
        return False
    return hmac.compare_digest(sign(secret, stamp, body), signature)


# --- SSRF guard ---------------------------------------------------------------------------------


def _networks() -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
    return [ipaddress.ip_network(n, strict=False) for n in settings.WEBHOOK_ALLOWED_NETWORKS]


def address_allowed(ip: IPAddress) -> bool:
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    if any(ip in network for network in _networks()):
        return True
    if ip.is_link_local or ip.is_multicast or ip.is_unspecified or ip.is_reserved:
        return False  # cloud metadata (169.254.169.254) and the like: only if listed above
    if ip.is_loopback or ip.is_private or not ip.is_global:
        return bool(settings.WEBHOOK_ALLOW_PRIVATE_NETWORKS)
    return True


def _host_allowed(host: str) -> bool:
    allowed = [h.lower().strip() for h in settings.WEBHOOK_ALLOWED_HOSTS]
    if not allowed:
        return True
    host = host.lower()
    return any(host == h or (h.startswith(".") and host.endswith(h)) for h in allowed)


@dataclass(frozen=True)
class Target:
    scheme: str
    host: str
    port: int
    path: str
    address: str


def check_url(url: str) -> Target:
    """The URL's parts and the one address to connect to, or ``UnsafeURL`` saying why not."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise UnsafeURL(_("This is not a valid URL.")) from exc
    if parts.scheme not in {"http", "https"}:
        raise UnsafeURL(_("Use an http or https URL."))
    if parts.scheme != "https" and settings.WEBHOOK_REQUIRE_HTTPS:
        raise UnsafeURL(_("Use an https URL."))
    if parts.username or parts.password:
        raise UnsafeURL(_("Do not put a user name or password in the URL."))
    host = parts.hostname or ""
    if not host:
        raise UnsafeURL(_("The URL has no host."))
    if not _host_allowed(host):
        raise UnsafeURL(_("This host is not on the portal's list of allowed webhook hosts."))
    port = port or (443 if parts.scheme == "https" else 80)
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError) as exc:
        raise UnsafeURL(_("The host name does not resolve.")) from exc
    addresses = [ipaddress.ip_address(info[4][0]) for info in infos]
    if not addresses or not all(address_allowed(a) for a in addresses):
        raise UnsafeURL(
            _("This address is not allowed for webhooks (loopback, private or reserved network).")
        )
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return Target(parts.scheme, host, port, path, str(addresses[0]))


class _PinnedHTTP(http.client.HTTPConnection):
    def __init__(self, target: Target, timeout: float) -> None:
        super().__init__(target.host, target.port, timeout=timeout)
        self._address = target.address

    def connect(self) -> None:
        self.sock = socket.create_connection((self._address, self.port), self.timeout)


class _PinnedHTTPS(http.client.HTTPSConnection):
    def __init__(self, target: Target, timeout: float) -> None:
        self._tls = ssl.create_default_context()
        super().__init__(target.host, target.port, timeout=timeout, context=self._tls)
        self._address = target.address

    def connect(self) -> None:
        raw = socket.create_connection((self._address, self.port), self.timeout)
        self.sock = self._tls.wrap_socket(raw, server_hostname=self.host)


def post(url: str, body: bytes, headers: dict[str, str], timeout: float) -> int:
    """POST to the checked address; return the status code (redirects are not followed)."""
    target = check_url(url)
    conn: http.client.HTTPConnection = (
        _PinnedHTTPS(target, timeout) if target.scheme == "https" else _PinnedHTTP(target, timeout)
    )
    try:
        conn.request("POST", target.path, body=body, headers=headers)
        response = conn.getresponse()
        response.read(MAX_RESPONSE_BYTES)
        return response.status
    finally:
        conn.close()


# --- delivery ------------------------------------------------------------------------------------


def backoff_seconds(attempts: int) -> int:
    """Delay before the next attempt after ``attempts`` failures: doubling, capped."""
    base = settings.WEBHOOK_BACKOFF_BASE_SECONDS
    return int(min(base * 2 ** max(attempts - 1, 0), settings.WEBHOOK_BACKOFF_MAX_SECONDS))


def payload(delivery: WebhookDelivery) -> dict[str, Any]:
    event = delivery.event
    return {
        "id": str(event.pk),
        "kind": event.kind,
        "created_at": event.created_at.isoformat(),
        "agency": delivery.endpoint.agency.acronym,
        "object": (
            {"type": event.object_type, "id": event.object_id} if event.object_type else None
        ),
        "link": settings.PORTAL_BASE_URL.rstrip("/") + f"/notifications/event/{event.pk}/",
        "delivery": delivery.pk,
        "attempt": delivery.attempts + 1,
    }


_CLAIM = """
UPDATE notifications_webhookdelivery SET claimed_until = %(until)s
WHERE id = %(id)s AND status = 'pending' AND next_attempt_at <= %(now)s
  AND (claimed_until IS NULL OR claimed_until < %(now)s)
RETURNING id
"""


def send(delivery_id: int) -> str:
    """One attempt of a delivery, if it is due and nobody else holds it. Returns its status."""
    now = timezone.now()
    lease = settings.WEBHOOK_TIMEOUT_SECONDS + 30
    with connection.cursor() as cursor:
        cursor.execute(
            _CLAIM, {"id": delivery_id, "now": now, "until": now + timedelta(seconds=lease)}
        )
        if cursor.fetchone() is None:
            return "not-due"
    delivery = WebhookDelivery.objects.select_related("endpoint__agency", "event").get(
        pk=delivery_id
    )
    endpoint = delivery.endpoint
    if not endpoint.active:
        WebhookDelivery.objects.filter(pk=delivery_id).update(
            status=WebhookDelivery.Status.FAILED, claimed_until=None
        )
        return WebhookDelivery.Status.FAILED
    body = json.dumps(payload(delivery), separators=(",", ":"), sort_keys=True).encode()
    stamp = int(time.time())
    headers = {
        "Content-Type": "application/json",
        "User-Agent": "Enlace-Webhooks/1",
        TIMESTAMP_HEADER: str(stamp),
        SIGNATURE_HEADER: sign(endpoint.secret, stamp, body),
        "X-Enlace-Event": delivery.event.kind,
        "X-Enlace-Delivery": str(delivery.pk),
    }
    started = time.monotonic()
    status_code: int | None = None
    error = ""
    permanent = False
    try:
        status_code = post(endpoint.url, body, headers, settings.WEBHOOK_TIMEOUT_SECONDS)
        if not 200 <= status_code < 300:
            error = f"HTTP {status_code}"
    except UnsafeURL as exc:
        error = f"refused: {exc}"
        permanent = True
    except (OSError, http.client.HTTPException) as exc:
        error = f"{exc.__class__.__name__}: {exc}"
    elapsed = int((time.monotonic() - started) * 1000)
    with transaction.atomic():
        delivery = WebhookDelivery.objects.select_for_update().get(pk=delivery_id)
        delivery.attempts += 1
        WebhookAttempt.objects.create(
            delivery=delivery,
            number=delivery.attempts,
            status_code=status_code,
            error=error[:500],
            duration_ms=elapsed,
        )
        done = timezone.now()
        if not error:
            delivery.status = WebhookDelivery.Status.DELIVERED
            delivery.delivered_at = done
        elif permanent or delivery.attempts >= settings.WEBHOOK_MAX_ATTEMPTS:
            delivery.status = WebhookDelivery.Status.FAILED
        else:
            delivery.next_attempt_at = done + timedelta(seconds=backoff_seconds(delivery.attempts))
        delivery.claimed_until = None
        delivery.save(
            update_fields=["attempts", "status", "delivered_at", "next_attempt_at", "claimed_until"]
        )
    return delivery.status
