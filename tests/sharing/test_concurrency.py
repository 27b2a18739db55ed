"""Two liaison officers approving the same request at the same time create one set of grants.

Real concurrency: each officer runs in its own thread with its own PostgreSQL connection, in a
transactional test (nothing wraps the threads in a shared transaction).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import close_old_connections, connection, transaction

from sharing import actions
from sharing.models import CaseGroupAccess, Grant, Level, ShareRequest
from tests import factories


def pending_request(s: dict[str, Any]) -> ShareRequest:
    # DIRAN sees the summary, and asks for the full record: both JCA liaison officers may decide
    offered = actions.offer(
        s["jca_liaison"],
        s["case"],
        level=Level.SUMMARY,
        justification="Route overlap",
        recipient_agency=s["diran"],
    )
    actions.approve(s["jca_liaison2"], offered, note="ok")
    return actions.request_access(
        s["diran_analyst"], s["case"], level=Level.FULL, justification="We hold the consignee"
    )


def in_thread(target: Callable[[], Any], results: dict[str, Any], name: str) -> threading.Thread:
    def run() -> None:
        try:
            results[name] = target()
        except Exception as exc:
            results[name] = exc
        finally:
            results[f"{name}_done_at"] = time.monotonic()
            connection.close()

    return threading.Thread(target=run, name=name)


@pytest.mark.django_db(transaction=True)
def test_a_second_approver_waits_for_the_first_and_then_finds_the_request_decided(
    sharing: dict[str, Any],
) -> None:
    request = pending_request(sharing)
    first_holds_lock = threading.Event()
    second_started = threading.Event()
    results: dict[str, Any] = {}

    def first() -> Any:
        with transaction.atomic():
            grants = actions.approve(sharing["jca_liaison"], request, note="first")
            first_holds_lock.set()
            second_started.wait(10)
            time.sleep(0.5)  # the second approver is now blocked on the request's row lock
            results["first_commits_at"] = time.monotonic()
        return grants

    def second() -> Any:
        first_holds_lock.wait(10)
        second_started.set()
        return actions.approve(sharing["jca_liaison2"], request, note="second")

    threads = [in_thread(first, results, "first"), in_thread(second, results, "second")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    close_old_connections()

    assert isinstance(results["first"], list) and len(results["first"]) == 1
    assert isinstance(results["second"], ValidationError), results["second"]
    assert "final" in results["second"].message_dict["status"][0]
    # the second approver was held until the first committed, then saw its decision
    assert results["second_done_at"] >= results["first_commits_at"]
    full = Grant.objects.filter(share_request=request)
    assert full.count() == 1
    assert CaseGroupAccess.objects.filter(grant__in=full).count() == 1
    request.refresh_from_db()
    assert request.decided_by == sharing["jca_liaison"]


@pytest.mark.django_db(transaction=True)
def test_simultaneous_approvals_create_exactly_one_grant(sharing: dict[str, Any]) -> None:
    for _attempt in range(5):
        sharing["case"] = factories.case(sharing["jca"], tlp="AMBER")
        request = pending_request(sharing)
        start = threading.Barrier(2)
        results: dict[str, Any] = {}

        def approve_as(
            name: str, request: ShareRequest = request, start: threading.Barrier = start
        ) -> Callable[[], Any]:
            def run() -> Any:
                start.wait(10)
                return actions.approve(sharing[name], request, note=name)

            return run

        threads = [
            in_thread(approve_as("jca_liaison"), results, "a"),
            in_thread(approve_as("jca_liaison2"), results, "b"),
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(30)
        close_old_connections()
        outcomes = sorted(type(results[k]).__name__ for k in ("a", "b"))
        assert outcomes == ["ValidationError", "list"], results
        assert Grant.objects.filter(share_request=request).count() == 1
