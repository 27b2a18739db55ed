"""The cache backend: Django's Redis cache, with the back-off of ``portal/deadlines.py``."""

from __future__ import annotations

from typing import Any

from django.core.cache.backends.redis import RedisCache
from django.utils.functional import cached_property

from portal.deadlines import GuardedClient


class GuardedRedisCache(RedisCache):
    """After Redis failed to answer (refused, reset or timed out), every cache call of this
    process fails at once for ``REDIS_BACKOFF_SECONDS``, as if Redis were stopped."""

    @cached_property
    def _cache(self) -> Any:
        return GuardedClient(super()._cache)
