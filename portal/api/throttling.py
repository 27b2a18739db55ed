"""API rate limits that keep the API up while Redis is down.

DRF counts requests in the cache (Redis). If Redis is unreachable the count cannot be kept; we
let the request through and log it rather than refuse every API call: a rate limit guards
against abuse, a broker restart is not abuse, and nothing a limit protects depends on it alone
(sign-in lockout lives in PostgreSQL). ``tests/reliability/test_redis_outage.py`` proves it.
"""

from __future__ import annotations

import logging
from typing import Any

from rest_framework import throttling

from portal.failures import is_unavailable

log = logging.getLogger(__name__)


class _CountedInRedis(throttling.SimpleRateThrottle):
    def allow_request(self, request: Any, view: Any) -> bool:
        try:
            return super().allow_request(request, view)
        except Exception as exc:
            if not is_unavailable(exc):
                raise
            log.warning("API rate limit %s not counted: Redis unavailable (%s)", self.scope, exc)
            return True


class AnonRateThrottle(_CountedInRedis, throttling.AnonRateThrottle):
    pass


class UserRateThrottle(_CountedInRedis, throttling.UserRateThrottle):
    pass
