"""Keyed stems of case messages, so that encrypted messages can be searched (``MessageTerms``).

The stems come from PostgreSQL's own text search (the four languages, accents folded, as in
``insight.text``); each is stored only as an HMAC with the blind-index key, cut to 64 bits.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import connection, transaction

from insight import text
from portal.crypto import blind_index

TERM = "search-term"


def digest(stem: str) -> str:
    return blind_index(TERM, stem)[:16]


def terms_of(body: str) -> list[str]:
    """The digests of every stem of ``body`` (sorted, each once)."""
    if not (body or "").strip():
        return []
    with connection.cursor() as cursor:
        cursor.execute(text.vector_sql(), [body] * len(text.CONFIGS))
        (found,) = cursor.fetchone()
    return sorted({digest(stem) for stem in found})


def index_message(message: Any) -> None:
    """Write (or rewrite) the terms of one message, in the caller's transaction."""
    from insight.models import MessageTerms

    MessageTerms.objects.update_or_create(
        message_id=message.pk,
        defaults={"case_id": message.case_id, "terms": terms_of(message.body)},
    )


def query_terms(query: str) -> list[list[str]]:
    """For each word of a search: the digests of its stems in the four languages. A message
    matches when, for every word, it holds one of them."""
    words = text.words_of(query)
    with connection.cursor() as cursor:
        found = text.stems(cursor, words)
    return [[digest(stem) for stem in stems] for stems in found if stems]


def reindex(messages: Iterable[Any], batch: int = 500) -> int:
    """Rebuild the terms of these messages (after the blind-index key changed)."""
    done = 0
    pending: list[Any] = []
    for message in messages:
        pending.append(message)
        if len(pending) >= batch:
            done += _write(pending)
            pending = []
    if pending:
        done += _write(pending)
    return done


def _write(messages: list[Any]) -> int:
    with transaction.atomic():
        for message in messages:
            index_message(message)
    return len(messages)
