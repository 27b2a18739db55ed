"""Sign-in rate limits, per source address and per user name, whatever view signs people in.

A POST to a sign-in step (``SIGNIN_RATE_LIMIT_URL_NAMES``) counts against two fixed windows in
Redis: the address (``SIGNIN_RATE_LIMIT_PER_IP``, default 20 a minute) and the user name typed
(``SIGNIN_RATE_LIMIT_PER_USERNAME``, default 10 a minute). Past either, the answer is 429 with
``Retry-After`` and the view is not called. The account lockout (5 failures in 15 minutes) is
the sign-in flow's own; this limit slows guessing across many accounts from one address and
spraying one account from many. The first refusal of a window is audited (``auth.rate_limited``).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from functools import cache

from django.conf import settings
from django.core.cache import cache as redis
from django.http import HttpRequest, HttpResponse
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from audit.log import client_ip, record
from portal.failures import is_unavailable

_UNITS = {"s": 1, "sec": 1, "m": 60, "min": 60, "h": 3600, "hour": 3600}


def parse_rate(rate: str) -> tuple[int, int]:
    """``"20/min"`` -> (20, 60)."""
    count, _, unit = rate.partition("/")
    return int(count), _UNITS[unit.strip().lower()]


@cache
def _limited_paths() -> frozenset[str]:
    paths = set()
    for name in settings.SIGNIN_RATE_LIMIT_URL_NAMES:
        try:
            paths.add(reverse(name))
        except NoReverseMatch:
            continue
    return frozenset(paths)


def _hit(key: str, limit: int, period: int) -> tuple[int, int]:
    """Count one attempt; returns (attempts in this window, seconds until it ends)."""
    now = int(time.time())
    window = now // period
    full_key = f"signin-rate:{key}:{window}"
    try:
        redis.add(full_key, 0, timeout=period + 1)
        try:
            count = redis.incr(full_key)
        except ValueError:  # expired between add and incr
            redis.set(full_key, 1, timeout=period + 1)
            count = 1
    except Exception as exc:
        # Redis down: let the attempt through, as the API's rate limits do; the lock after
        # LOGIN_FAILURE_LIMIT failures is counted in the database and still applies.
        if not is_unavailable(exc):
            raise
        count = 0
    return count, (window + 1) * period - now


class SignInRateLimitMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method == "POST" and request.path in _limited_paths():
            refused = self._check(request)
            if refused is not None:
                return refused
        return self.get_response(request)

    def _check(self, request: HttpRequest) -> HttpResponse | None:
        checks = [("ip", client_ip(request) or "unknown", settings.SIGNIN_RATE_LIMIT_PER_IP)]
        username = (request.POST.get("username") or "").strip().casefold()[:150]
        if username:
            checks.append(("user", username, settings.SIGNIN_RATE_LIMIT_PER_USERNAME))
        for scope, value, rate in checks:
            limit, period = parse_rate(rate)
            count, wait = _hit(f"{scope}:{value}", limit, period)
            if count > limit:
                if count == limit + 1:
                    record(
                        "auth.rate_limited",
                        request=request,
                        outcome="denied",
                        durable=True,
                        username=username,
                        scope=scope,
                        limit=rate,
                    )
                response = HttpResponse(
                    _("Too many sign-in attempts. Try again in %(seconds)s seconds.")
                    % {"seconds": wait},
                    status=429,
                    content_type="text/plain; charset=utf-8",
                )
                response["Retry-After"] = str(max(1, wait))
                return response
        return None
