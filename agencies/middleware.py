"""Session rules of DESIGN §6: idle sessions end after 30 minutes, locked accounts are signed
out, and no page is reachable without a verified second factor.

Install after ``AuthenticationMiddleware``, ``OTPMiddleware`` and ``MessageMiddleware``.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _

from audit.log import record
from portal.failures import is_unavailable

LAST_SEEN_KEY = "enlace_last_seen"

# Reachable with a password alone (or with nothing): signing in, enrolling or checking the
# second factor, signing out, health, static files, language switching. The API answers for
# itself: it accepts only verified sessions and tokens (portal/api/authentication.py).
SECOND_FACTOR_EXEMPT_PREFIXES = (
    "/accounts/login/",
    "/accounts/logout/",
    "/accounts/two-factor/",
    "/healthz",
    "/static/",
    "/i18n/",
    "/jsi18n/",
    "/favicon.ico",
    "/api/",
)


def _is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def _redirect(request: HttpRequest, url: str) -> HttpResponse:
    if _is_htmx(request):
        response = HttpResponse(status=200)
        response["HX-Redirect"] = url
        return response
    return HttpResponseRedirect(url)


def _with_next(url: str, request: HttpRequest) -> str:
    if request.method == "GET" and not _is_htmx(request):
        return f"{url}?{urlencode({'next': request.get_full_path()})}"
    return url


def sign_out(request: HttpRequest, reason: str) -> None:
    """End the session, with its audit entry."""
    user = request.user
    if user.is_authenticated:
        record("auth.logout", request=request, actor=user, obj=user, reason=reason)
    logout(request)


def idle_exempt(path: str) -> bool:
    return any(path.startswith(prefix) for prefix in settings.SESSION_IDLE_EXEMPT_PATHS)


# The idle clock lives in Redis (one SET per request, no database write), keyed by session.
# The session itself keeps the sign-in time as a fallback: if Redis lost the clock (restart),
# a session is measured from its sign-in, so losing Redis can end sessions but never extend one.
def clock_key(session_key: str | None) -> str:
    return f"enlace:idle:{session_key}"


# While Redis is down the clock moves into the session (one database write per request, only
# then); the newer of the two counts, so activity during the outage is not lost when it returns.
def last_seen(request: HttpRequest) -> float | None:
    key = request.session.session_key
    seen = [request.session.get(LAST_SEEN_KEY)]
    if key:
        try:
            seen.append(cache.get(clock_key(key)))
        except Exception as exc:
            if not is_unavailable(exc):
                raise
    known = [float(value) for value in seen if value is not None]
    return max(known) if known else None


def touch(request: HttpRequest, when: float | None = None) -> None:
    """Start or restart the idle clock of this request's session."""
    if request.session.session_key:
        now = time.time() if when is None else when
        try:
            cache.set(
                clock_key(request.session.session_key),
                now,
                timeout=settings.SESSION_IDLE_TIMEOUT_SECONDS + 60,
            )
        except Exception as exc:
            if not is_unavailable(exc):
                raise
            request.session[LAST_SEEN_KEY] = now


class IdleSessionMiddleware:
    """Sign out a session idle for ``SESSION_IDLE_TIMEOUT_SECONDS``, whose account was
    locked, or whose agency was deactivated. Requests to ``SESSION_IDLE_EXEMPT_PATHS``
    (background polls) do not count as activity."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if user.is_authenticated and hasattr(request, "session"):
            now = time.time()
            seen = last_seen(request)
            membership = getattr(user, "membership", None)
            reason = None
            if seen is not None and now - seen > settings.SESSION_IDLE_TIMEOUT_SECONDS:
                reason = "idle"
            elif membership is not None and membership.locked_at is not None:
                reason = "locked"
            elif membership is not None and not membership.agency.active:
                reason = "agency_inactive"
            if reason is not None:
                sign_out(request, reason)
                if request.path.startswith("/api/"):
                    return self.get_response(request)  # now anonymous: the API answers 401/403
                if reason == "idle":
                    messages.info(
                        request, _("You were signed out after 30 minutes without activity.")
                    )
                return _redirect(request, _with_next(reverse("login"), request))
            if seen is None or not idle_exempt(request.path):
                touch(request, now)
        return self.get_response(request)


class SecondFactorRequiredMiddleware:
    """Every page needs a signed-in user whose second factor is verified in this session."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path.startswith(SECOND_FACTOR_EXEMPT_PREFIXES):
            return self.get_response(request)
        user = request.user
        if not user.is_authenticated:
            return _redirect(request, _with_next(reverse("login"), request))
        is_verified = getattr(user, "is_verified", None)
        if is_verified is None or not is_verified():
            return _redirect(request, _with_next(reverse("two_factor"), request))
        return self.get_response(request)
