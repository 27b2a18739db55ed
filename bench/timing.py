"""How the bench times things: statements on the server, calls in Python, and the statistics."""

from __future__ import annotations

import json
import math
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext


@dataclass(frozen=True)
class Sample:
    """Milliseconds of repeated runs of one thing."""

    values: tuple[float, ...]

    @property
    def median(self) -> float:
        return statistics.median(self.values)

    @property
    def p95(self) -> float:
        ordered = sorted(self.values)
        return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]

    def text(self) -> str:
        return f"{_ms(self.median)} / {_ms(self.p95)}"


def _ms(value: float) -> str:
    if value >= 100:
        return f"{value:,.0f}"
    if value >= 10:
        return f"{value:.1f}"
    return f"{value:.2f}"


def emitted_sql(call: Callable[[], Any]) -> list[str]:
    """The SQL statements ``call`` sends to PostgreSQL, exactly as sent (parameters inlined)."""
    with CaptureQueriesContext(connection) as captured:
        call()
    return [q["sql"] for q in captured.captured_queries]


def server_ms(sql: str, params: Any = None) -> tuple[float, float]:
    """(planning, execution) milliseconds of one statement, measured by PostgreSQL itself.

    ``EXPLAIN (ANALYZE, TIMING OFF)`` runs the statement without per-node clock calls, so the
    instrumentation adds little; planning counts because Django plans every statement. A
    statement that is itself an ``EXPLAIN`` (the door asking the planner's estimate to choose
    how to read a filtered list) costs its planning alone."""
    estimate = "EXPLAIN (FORMAT JSON) "
    if sql.startswith(estimate):
        with connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN (SUMMARY ON, FORMAT JSON) {sql[len(estimate) :]}", params)
            raw = cursor.fetchone()[0]
        plan = (json.loads(raw) if isinstance(raw, str) else raw)[0]
        return float(plan["Planning Time"]), 0.0
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, TIMING OFF, SUMMARY ON, FORMAT JSON) {sql}", params)
        raw = cursor.fetchone()[0]
    plan = (json.loads(raw) if isinstance(raw, str) else raw)[0]
    return float(plan["Planning Time"]), float(plan["Execution Time"])


def explain(sql: str, params: Any = None) -> str:
    """The plan with real row counts and buffers, for the notes on a missed target."""
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) {sql}", params)
        return "\n".join(row[0] for row in cursor.fetchall())


def steady(sql: str) -> str:
    """The statement as a connection sends it every time after the first: a statement the door
    prepares (``portal/prepared.py``) is sent once as ``PREPARE name AS …; EXECUTE name(…)``,
    then as ``EXECUTE name(…)`` alone, which is what a request pays for."""
    if sql.startswith("PREPARE "):
        return "EXECUTE " + sql.rsplit("; EXECUTE ", 1)[1]
    return sql


def statements_split(statements: list[str]) -> tuple[float, float]:
    """(planning + execution, planning) of a list of statements (one operation)."""
    total = planned = 0.0
    for sql in statements:
        planning, execution = server_ms(steady(sql).replace("%", "%%"))
        total += planning + execution
        planned += planning
    return total, planned


def statements_ms(statements: list[str]) -> float:
    """Planning + execution of a list of statements (one operation), in PostgreSQL."""
    return statements_split(statements)[0]


def wall_ms(call: Callable[[], Any]) -> float:
    started = time.perf_counter()
    call()
    return (time.perf_counter() - started) * 1000


def repeat(call: Callable[[], float], times: int, warmup: int = 2) -> Sample:
    for _ in range(warmup):
        call()
    return Sample(tuple(call() for _ in range(times)))
