"""Statements planned once per connection (portal/prepared.py), on the real PostgreSQL."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import DatabaseError, connection, transaction
from django.test.utils import CaptureQueriesContext

from portal import prepared

pytestmark = pytest.mark.django_db(transaction=True)

DIVIDE = "SELECT 100 / %s::int, 'a%%b'"


def _server_names() -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM pg_prepared_statements")
        return {name for (name,) in cursor.fetchall()}


def _sent(call: Any) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        call()
    return [q["sql"] for q in captured.captured_queries]


def test_placeholders_are_numbered_and_literal_percent_signs_kept() -> None:
    assert prepared._numbered("SELECT %s, '5%%', %s") == ("SELECT $1, '5%', $2", 2)


def test_prepared_once_then_executed_by_name_with_the_same_answers() -> None:
    name = prepared.statement_name(DIVIDE)
    first = _sent(lambda: prepared.fetchall(DIVIDE, [4]))
    assert first[0].startswith(f"PREPARE {name} AS SELECT 100 / $1::int, 'a%b'; EXECUTE {name}")
    assert name in _server_names()
    assert prepared.fetchall(DIVIDE, [5]) == [(20, "a%b")]
    again = _sent(lambda: prepared.fetchall(DIVIDE, [4]))
    assert again == [f"EXECUTE {name}(4)"]


def test_a_rollback_keeps_the_statement_and_the_portal_knows_it() -> None:
    name = prepared.statement_name(DIVIDE)
    with pytest.raises(RuntimeError), transaction.atomic():
        assert prepared.fetchall(DIVIDE, [2]) == [(50, "a%b")]
        raise RuntimeError("roll back")
    assert name in _server_names()
    assert _sent(lambda: prepared.fetchall(DIVIDE, [10])) == [f"EXECUTE {name}(10)"]


def test_a_first_round_trip_that_fails_leaves_that_statement_unprepared_on_this_session() -> None:
    sql = "SELECT 7 / %s::int"
    with pytest.raises(DatabaseError):
        prepared.fetchall(sql, [0])
    # PREPARE may or may not have taken: the portal does not guess, it sends the text.
    assert _sent(lambda: prepared.fetchall(sql, [7])) == ["SELECT 7 / 7::int"]
    assert prepared.fetchall(sql, [1]) == [(7,)]


def test_a_new_connection_prepares_again() -> None:
    prepared.fetchall(DIVIDE, [4])
    connection.close()
    sent = _sent(lambda: prepared.fetchall(DIVIDE, [4]))
    assert sent[0].startswith("PREPARE ")
    assert prepared.statement_name(DIVIDE) in _server_names()


def test_switched_off_every_statement_is_sent_as_it_is(settings: Any) -> None:
    settings.DATABASE_PREPARED_STATEMENTS = False
    assert _sent(lambda: prepared.fetchall(DIVIDE, [4])) == ["SELECT 100 / 4::int, 'a%b'"]
    assert prepared.statement_name(DIVIDE) not in _server_names()


def test_past_the_limit_per_connection_statements_run_unprepared(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(prepared, "MAX_PER_CONNECTION", 1)
    prepared.fetchall("SELECT 1 + %s::int", [1])
    assert _sent(lambda: prepared.fetchall("SELECT 2 + %s::int", [1])) == ["SELECT 2 + 1::int"]
    assert prepared.fetchall("SELECT 2 + %s::int", [1]) == [(3,)]


def test_a_wrong_number_of_parameters_is_refused_before_anything_is_sent() -> None:
    with pytest.raises(ValueError, match="2 placeholders for 1 parameters"):
        prepared.fetchall("SELECT %s::int + %s::int", [1])


def test_the_portal_keeps_one_generic_plan_per_prepared_statement() -> None:
    """The door's statements do not depend on the reader's ids for their plan; without
    force_generic_plan PostgreSQL re-planned the count for every reader (custom plans)."""
    with connection.cursor() as cursor:
        cursor.execute("SHOW plan_cache_mode")
        assert cursor.fetchone() == ("force_generic_plan",)
    sql = "SELECT 100 / %s::int AS generic_only"
    for value in range(1, 8):
        prepared.fetchall(sql, [value])
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT generic_plans, custom_plans FROM pg_prepared_statements WHERE name = %s",
            [prepared.statement_name(sql)],
        )
        generic, custom = cursor.fetchone()
    assert generic == 7 and custom == 0
