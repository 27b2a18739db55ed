"""A URLconf whose views fail the ways a request can fail, with the portal's error handler."""

from __future__ import annotations

from django.db import OperationalError
from django.http import HttpRequest, HttpResponse
from django.urls import path
from redis.exceptions import ConnectionError as RedisConnectionError

from portal.urls import handler500  # noqa: F401 - the handler under test
from portal.urls import urlpatterns as portal_patterns


def database_down(request: HttpRequest) -> HttpResponse:
    raise OperationalError('connection to server at "127.0.0.1", port 5432 failed')


def redis_down(request: HttpRequest) -> HttpResponse:
    raise RedisConnectionError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")


def bug(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("secret detail of a bug")


urlpatterns = [
    path("api/v1/fail/database/", database_down),
    path("api/v1/fail/redis/", redis_down),
    path("api/v1/fail/bug/", bug),
    path("fail/database/", database_down),
    path("fail/bug/", bug),
    *portal_patterns,
]
