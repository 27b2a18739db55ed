"""How long a request waits for PostgreSQL and Redis before it gives up.

A server that is down refuses connections at once; a server behind a partition, or one that
stopped answering, does not: the network (or its kernel) accepts what the portal sends and
nothing ever comes back. Without a deadline of its own the portal's thread waits forever, and
one by one every thread of every worker does. Here:

- **PostgreSQL.** The web processes (``portal/wsgi.py``, ``portal/asgi.py``) wait for each
  connection at most ``DATABASE_CONNECT_TIMEOUT_SECONDS`` and for each statement's answer at
  most ``DATABASE_STATEMENT_TIMEOUT_SECONDS`` plus a small margin. The server is also told to
  cancel any statement of theirs that runs longer (``statement_timeout``), so a slow but living
  server answers first with an error of its own. Either way the request fails with a database
  error, which ``portal/failures.py`` turns into ``503`` + ``Retry-After``; the connection is
  dropped, the rest of that request does not wait again, and the next request opens a new one.
  Management commands (migrations, the benchmark's bulk loads) and the Celery worker keep
  libpq's blocking calls and no limit.
- **Redis.** Every cache call has socket timeouts (settings ``CACHES``), and after one call
  failed this process does not ask Redis again for ``REDIS_BACKOFF_SECONDS``: the next calls
  fail at once, exactly as when Redis is stopped, so a page pays the timeout once, not once per
  cache call, and a notification is left to the relay instead of waiting on the broker.
"""

from __future__ import annotations

import os
import select
import socket
import threading
import time
from typing import Any

# --- PostgreSQL ------------------------------------------------------------------------------
# The client waits this much longer than the server's own statement_timeout, so a slow but
# living server cancels the statement itself and answers why.
CLIENT_MARGIN_SECONDS = 2.0

_limits = {"connect": 5.0, "statement": 10.0}

# A request gives PostgreSQL one chance: once it did not answer in time, the rest of the same
# request (reconnecting, saving the session on the way out) fails at once instead of waiting
# again. Forgotten at the start of every request, and in any case after the connect timeout.
_request = threading.local()


def _new_request(**kwargs: Any) -> None:
    _request.gave_up_at = None


def _gave_up_moments_ago() -> bool:
    at = getattr(_request, "gave_up_at", None)
    return at is not None and time.monotonic() - at < max(_limits["connect"], 1)


def _fail(conn: Any, message: str) -> None:
    """Give up on ``conn``: shut its socket so libpq sees the connection as broken (nothing
    may be read from it later as the answer to another statement), then raise."""
    import psycopg2

    try:
        sock = socket.socket(fileno=os.dup(conn.fileno()))
        try:
            sock.shutdown(socket.SHUT_RDWR)
        finally:
            sock.close()
        conn.poll()  # libpq notices the closed socket and marks the connection bad
    except (OSError, psycopg2.Error):
        pass
    raise psycopg2.OperationalError(message)


def wait_with_deadline(conn: Any, cursor: Any = None) -> None:
    """psycopg2's wait callback: drive ``conn`` until its answer is in, or give up."""
    import psycopg2
    from psycopg2 import extensions

    connecting = conn.status == extensions.STATUS_SETUP
    if _gave_up_moments_ago():
        _fail(conn, "PostgreSQL did not answer earlier in this request")
    limit = _limits["connect"] if connecting else _limits["statement"] + CLIENT_MARGIN_SECONDS
    if limit <= 0:  # DATABASE_CONNECT_TIMEOUT_SECONDS=0: wait for a connection as long as it takes
        limit = float("inf")
    deadline = time.monotonic() + limit
    poller = select.poll()
    registered = -1
    while True:
        try:
            state = conn.poll()
        except KeyboardInterrupt:  # ^C in a shell: cancel the statement, as libpq would
            conn.cancel()
            continue
        if state == extensions.POLL_OK:
            return
        if state == extensions.POLL_READ:
            events = select.POLLIN
        elif state == extensions.POLL_WRITE:
            events = select.POLLOUT
        else:  # pragma: no cover - psycopg2 has no other state
            raise psycopg2.OperationalError(f"unexpected poll state {state!r}")
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            _request.gave_up_at = time.monotonic()
            what = "connect" if connecting else "answer"
            _fail(conn, f"PostgreSQL did not {what} within {limit:g} s")
        fd = conn.fileno()
        if registered != fd:
            if registered >= 0:
                poller.unregister(registered)
            poller.register(fd, events)
            registered = fd
        else:
            poller.modify(fd, events)
        poller.poll(max(1, int(min(remaining, 3600) * 1000)))


def _set_statement_timeout(sender: Any, connection: Any, **kwargs: Any) -> None:
    if connection.vendor == "postgresql" and _limits["statement"] > 0:
        with connection.cursor() as cursor:
            cursor.execute("SET statement_timeout = %s", [int(_limits["statement"] * 1000)])


def limit_database_waits() -> None:
    """Install the deadlines in this process (a web process: see the module's text)."""
    from django.conf import settings
    from django.core.signals import request_started
    from django.db.backends.signals import connection_created
    from psycopg2 import extensions

    _limits["connect"] = float(settings.DATABASE_CONNECT_TIMEOUT_SECONDS)
    _limits["statement"] = float(settings.DATABASE_STATEMENT_TIMEOUT_SECONDS)
    if _limits["statement"] <= 0:
        return
    extensions.set_wait_callback(wait_with_deadline)
    connection_created.connect(_set_statement_timeout, dispatch_uid="enlace-statement-timeout")
    request_started.connect(_new_request, dispatch_uid="enlace-database-deadline")


# --- Redis -----------------------------------------------------------------------------------
class RedisBackoff:
    """After Redis failed to answer, do not ask it again for a while (this process)."""

    def __init__(self) -> None:
        self._until = 0.0
        self._lock = threading.Lock()

    @property
    def seconds(self) -> float:
        from django.conf import settings

        return float(getattr(settings, "REDIS_BACKOFF_SECONDS", 5))

    def failed(self) -> None:
        with self._lock:
            self._until = time.monotonic() + self.seconds

    def waiting(self) -> bool:
        return time.monotonic() < self._until

    def reset(self) -> None:
        with self._lock:
            self._until = 0.0


redis_backoff = RedisBackoff()


class GuardedClient:
    """Django's Redis cache client, each call refused at once while ``redis_backoff`` waits."""

    def __init__(self, client: Any) -> None:
        self._client = client

    def __getattr__(self, name: str) -> Any:
        attribute = getattr(self._client, name)
        if name.startswith("_") or not callable(attribute):
            return attribute

        def call(*args: Any, **kwargs: Any) -> Any:
            from redis.exceptions import ConnectionError as RedisConnectionError
            from redis.exceptions import TimeoutError as RedisTimeoutError

            if redis_backoff.waiting():
                raise RedisConnectionError("Redis did not answer moments ago; not asked again yet")
            try:
                return attribute(*args, **kwargs)
            except (RedisConnectionError, RedisTimeoutError):
                redis_backoff.failed()
                raise

        return call
