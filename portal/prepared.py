"""Statements PostgreSQL plans once per connection: the access door's hot paths.

Every list and page of the portal asks the access door for page 1 and a count of what the
reader may see. Those statements have a handful of shapes (model, level, number of groups)
and differ only in the reader's ids and the clock, yet PostgreSQL would plan each one anew:
for a statement that reads five or six indexes, planning is half its cost. Here a statement
is prepared on the connection the first time (``PREPARE … AS``, sent in the same round trip as
its first ``EXECUTE``) and executed by name afterwards; PostgreSQL keeps the plan for the life
of the connection (``DATABASE_CONN_MAX_AGE``), re-planning by itself when a table it reads
changes shape or its statistics move.

Prepared statements belong to a server session. The portal's connections are its own
(Django's persistent connections), so the names it prepared are known: they are remembered
against the driver's connection object and forgotten with it. A pooler that hands one server
session to several clients (PgBouncer in transaction mode) or resets sessions (``DISCARD
ALL``) would lose them under the portal's feet: set ``DATABASE_PREPARED_STATEMENTS=false``
there, and every statement is sent as it is.

Only statements whose text repeats are worth it: the door prepares its unfiltered pages (each
page number is a text of its own) and counts, and at most ``MAX_PER_CONNECTION`` names are kept
per connection (further statements run unprepared rather than growing the server's memory
without bound).
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from functools import lru_cache
from typing import Any

from django.conf import settings
from django.db import connection

MAX_PER_CONNECTION = 256


def _numbered(sql: str) -> tuple[str, int]:
    """``sql`` with the driver's ``%s`` placeholders as ``$1, $2, …`` and ``%%`` as ``%``."""
    out: list[str] = []
    count = 0
    i = 0
    while i < len(sql):
        char = sql[i]
        if char == "%" and i + 1 < len(sql):
            following = sql[i + 1]
            if following == "s":
                count += 1
                out.append(f"${count}")
                i += 2
                continue
            if following == "%":
                out.append("%")
                i += 2
                continue
        out.append(char)
        i += 1
    return "".join(out), count


def statement_name(sql: str) -> str:
    return "enlace_" + hashlib.blake2b(sql.encode(), digest_size=10).hexdigest()


@lru_cache(maxsize=1024)
def _statement(sql: str) -> tuple[str, str, int]:
    """Name, server-side text and number of parameters of ``sql`` (worked out once a text)."""
    body, count = _numbered(sql)
    return statement_name(sql), body, count


def _state() -> tuple[set[str], set[str]]:
    """Names prepared on the current server session, and names whose ``PREPARE`` may or may
    not have taken (its round trip failed); both forgotten when the session is replaced."""
    raw = connection.connection
    state = getattr(connection, "_enlace_prepared", None)
    if state is None or state[0] is not raw:
        state = (raw, set(), set())
        connection._enlace_prepared = state  # type: ignore[attr-defined]
    return state[1], state[2]


def enabled() -> bool:
    return bool(getattr(settings, "DATABASE_PREPARED_STATEMENTS", True))


def fetchall(sql: str, params: Sequence[Any], *, prepare: bool = True) -> list[tuple[Any, ...]]:
    """Rows of ``sql`` (with ``%s`` placeholders), run as a prepared statement when allowed."""
    with connection.cursor() as cursor:
        if not (prepare and enabled()):
            cursor.execute(sql, list(params))
            return cursor.fetchall()
        connection.ensure_connection()
        known, uncertain = _state()
        name, body, count = _statement(sql)
        if count != len(params):
            raise ValueError(f"{count} placeholders for {len(params)} parameters")
        arguments = f"({', '.join(['%s'] * count)})" if count else ""
        execute = f"EXECUTE {name}{arguments}"
        if name in known:
            cursor.execute(execute, list(params))
        elif name in uncertain or len(known) >= MAX_PER_CONNECTION:
            cursor.execute(sql, list(params))
        else:
            # One round trip: the driver sends both, PostgreSQL answers with the last result.
            # PREPARE is not undone by a rollback, so when the round trip fails (a statement
            # timeout, a cancelled request) the name may exist or not: this session then runs
            # that statement unprepared rather than guess.
            prepared = f"PREPARE {name} AS {body}".replace("%", "%%")
            try:
                cursor.execute(f"{prepared}; {execute}", list(params))
            except Exception:
                uncertain.add(name)
                raise
            known.add(name)
        return cursor.fetchall()
