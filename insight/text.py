"""Full-text search in English, Spanish, French and Portuguese, without an extension.

A record's searchable text is lower-cased, stripped of accents (``translate``, so that
"cocaína" and "cocaina" meet) and turned into one ``tsvector`` that holds its stems under all
four configurations; a query is stemmed under all four and any of them may match. Expression
GIN indexes (``insight/migrations/0002_search_indexes.py``) cover exactly these expressions,
so the SQL here must stay what the migration indexes (a test asks the planner).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db.models import BooleanField, FloatField
from django.db.models.expressions import RawSQL

CONFIGS = ("english", "spanish", "french", "portuguese")
ACCENTED = "áàâãäåéèêëíìîïóòôõöúùûüçñýÿ"
PLAIN = "aaaaaaeeeeiiiiooooouuuucnyy"

# table -> the text columns searched, in this order
DOCUMENTS: dict[str, tuple[str, ...]] = {
    "cases_case": ("reference", "title", "summary"),
    "cases_seizurereport": ("reference", "place", "locode", "concealment", "summary"),
    "cases_organisation": ("name", "registration_number"),
    "cases_vessel": ("name", "vessel_type"),
    "cases_vehicle": ("description",),
    "cases_flight": ("designator",),
}


def folded(sql: str) -> str:
    """SQL: ``sql`` lower-cased and without accents (immutable, so it can be indexed)."""
    return f"translate(lower({sql}), '{ACCENTED}', '{PLAIN}')"


def document_sql(table: str) -> str:
    """The indexed ``tsvector`` of a table's searchable columns (qualified by the table, which
    the planner reads as the same expression as the index's unqualified one)."""
    text = " || ' ' || ".join(f'"{table}"."{column}"' for column in DOCUMENTS[table])
    return (
        "(" + " || ".join(f"to_tsvector('{c}'::regconfig, {folded(text)})" for c in CONFIGS) + ")"
    )


def query_sql() -> str:
    """The query as ``tsquery``: the words stemmed in each language, any language matching."""
    return (
        "("
        + " || ".join(
            f"websearch_to_tsquery('{c}'::regconfig, {folded('%s::text')})" for c in CONFIGS
        )
        + ")"
    )


def matches(table: str, query: str) -> RawSQL:
    """``document @@ query`` for a table's rows (a condition for ``.filter(RawSQL=True)``)."""
    sql = f"{document_sql(table)} @@ {query_sql()}"
    return RawSQL(sql, [query] * len(CONFIGS), output_field=BooleanField())  # noqa: S611 # nosec B611 - constant SQL, the query is a parameter


def query_parts(cursor: Any, query: str) -> list[str]:
    """The query as ``tsquery`` texts, one per language, each once: most words stem alike in
    several languages, and ORing a query with itself only misleads the planner, which takes
    the copies for independent words (a word in one row in three reads as in four in five)."""
    parts = ", ".join(
        f"websearch_to_tsquery('{c}'::regconfig, {folded('%s::text')})::text" for c in CONFIGS
    )
    cursor.execute(f"SELECT {parts}", [query] * len(CONFIGS))  # nosec B608 - constant SQL, the query is a parameter
    found: list[str] = []
    for part in cursor.fetchone():
        if part and part not in found:
            found.append(part)
    return found


def matches_parts(table: str, parts: Sequence[str]) -> RawSQL:
    """``document @@ query`` for the distinct ``query_parts`` (the same rows as ``matches``;
    the document is the indexed expression)."""
    query = " || ".join(["%s::tsquery"] * len(parts)) or "''::tsquery"
    sql = f"{document_sql(table)} @@ ({query})"
    return RawSQL(sql, list(parts), output_field=BooleanField())  # noqa: S611 # nosec B611 - constant SQL, the query parts are parameters


def rank(table: str, query: str) -> RawSQL:
    sql = f"ts_rank({document_sql(table)}, {query_sql()})"
    return RawSQL(sql, [query] * len(CONFIGS), output_field=FloatField())  # noqa: S611 # nosec B611 - constant SQL, the query is a parameter


def quick_rank_sql(table: str) -> str:
    """``ts_rank`` of a table's rows against a ``tsquery`` parameter of stems as prefixes
    (``prefix_query``), over the text's plain words (the ``simple`` configuration, folded like
    the index): one cheap parse of the text instead of four stemmers. For ranking rows already
    known to match, e.g. search's candidates; ~10 µs a row instead of ~100."""
    text = " || ' ' || ".join(f'"{table}"."{column}"' for column in DOCUMENTS[table])
    return f"ts_rank(to_tsvector('simple'::regconfig, {folded(text)}), %s::tsquery)"


def prefix_query(stems: Sequence[Sequence[str]]) -> str:
    """A ``tsquery`` (text) matching any word that starts with one of ``stems``."""
    quoted = {
        "'" + stem.replace("\\", "\\\\").replace("'", "''") + "':*"
        for alternatives in stems
        for stem in alternatives
        if stem
    }
    return " | ".join(sorted(quoted))


def stems_sql() -> str:
    """For a list of words: each word's stems in the four languages (one row per word)."""
    vector = " || ".join(f"to_tsvector('{c}'::regconfig, {folded('w.word')})" for c in CONFIGS)
    # Constant SQL built from this module's constants; the words are a parameter.
    return (
        "SELECT w.ord, ARRAY(SELECT DISTINCT lexeme FROM unnest(" + vector + ")) "  # noqa: S608 # nosec B608
        "FROM unnest(%s::text[]) WITH ORDINALITY AS w(word, ord) ORDER BY w.ord"
    )


def words_of(query: str, limit: int = 12) -> list[str]:
    """The plain words of a query (operators and quotes dropped), at most ``limit``."""
    cleaned = "".join(ch if ch.isalnum() else " " for ch in query)
    return [word for word in cleaned.split() if word.lower() != "or"][:limit]


def vector_sql() -> str:
    """``SELECT`` of the stems of one text parameter in the four languages."""
    vectors = [f"to_tsvector('{c}'::regconfig, {folded('%s::text')})" for c in CONFIGS]
    return "SELECT ARRAY(SELECT DISTINCT lexeme FROM unnest(" + " || ".join(vectors) + "))"  # noqa: S608 # nosec B608 - constant SQL


def stems(cursor: Any, words: Sequence[str]) -> list[list[str]]:
    """Each word's stems (empty for a word that is a stop word in every language)."""
    if not words:
        return []
    cursor.execute(stems_sql(), [list(words)])
    return [list(row[1]) for row in cursor.fetchall()]
