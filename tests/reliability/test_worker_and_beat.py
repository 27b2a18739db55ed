"""Celery processes dying mid-work: the task comes back and its effect happens once.

The task here is grant expiry (``sharing.tasks.expire_grants``), whose effect is easy to count:
the grant ends, one ``grant.expired`` audit entry, two outbox events (recipients, owner's
liaison officers) and one notification per reader. ``tests/notifications/test_worker.py``
kills a worker in the middle of a notification fan-out; these kill one in the middle of an
expiry, and restart (and double) beat around expiries.
"""

from __future__ import annotations

import os
import re
import signal
import time
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import psycopg2
import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.utils import timezone

from agencies.models import Agency
from audit.models import AuditEntry
from notifications.models import Event, Notification
from sharing.actions import expire_due_grants
from sharing.models import CaseGroupAccess, Grant
from tests import factories
from tests.cases.builders import grant as write_grant
from tests.conftest import Beat, Worker, wait_for
from tests.notifications.test_worker import RedisServer, publishing_to
from tests.reliability.conftest import Started

pytestmark = [pytest.mark.worker, pytest.mark.slow]


def children_of(pid: int) -> list[int]:
    """Process ids whose parent is ``pid`` (the prefork pool of a Celery worker)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def due_grant(world: dict[str, Any], title: str = "Expiring", **when: Any) -> Grant:
    """A grant JCA → DIRAN on a new case, due now (or at ``expires_at``)."""
    jca = Agency.objects.get(pk=world["agencies"]["jca"])
    diran = Agency.objects.get(pk=world["agencies"]["diran"])
    case = factories.case(jca, title=title)
    liaison = User.objects.get(pk=world["users"]["jca_liaison"])
    grant = write_grant(case, diran, by=liaison, expires_at=timezone.now() + timedelta(hours=1))
    expires_at = when.get("expires_at", timezone.now() - timedelta(seconds=1))
    Grant.objects.filter(pk=grant.pk).update(expires_at=expires_at)
    CaseGroupAccess.objects.filter(grant=grant).update(expires_at=expires_at)
    return grant


def effects(grant: Grant) -> tuple[str, int, int]:
    """(status, grant.expired audit entries, grant.expired outbox events) of one grant."""
    grant.refresh_from_db()
    audits = AuditEntry.objects.filter(
        action="grant.expired", object_type="sharing.grant", object_id=str(grant.pk)
    ).count()
    events = Event.objects.filter(kind="grant.expired", object_id=str(grant.pk)).count()
    return grant.status, audits, events


def notified_once(grant: Grant) -> bool:
    """Every reader of the grant's expiry events has exactly one notification per event."""
    events = Event.objects.filter(kind="grant.expired", object_id=str(grant.pk))
    if events.filter(dispatched_at__isnull=True).exists():
        return False
    rows = list(Notification.objects.filter(event__in=events).values_list("event_id", "user_id"))
    return bool(rows) and len(rows) == len(set(rows))


@pytest.fixture
def audit_log_held(transactional_db: Any) -> Iterator[Any]:
    """Another session holding a lock on the audit log that lets nobody insert: any task that
    writes an audit entry stops there, in the middle of its transaction."""
    db = connection.settings_dict
    blocker = psycopg2.connect(
        dbname=db["NAME"], user=db["USER"], host=db["HOST"], port=db["PORT"] or 5432
    )
    with blocker.cursor() as cursor:
        cursor.execute("LOCK TABLE audit_auditentry IN SHARE MODE")
    yield blocker
    blocker.close()


def _waiting_on_audit_log() -> list[int]:
    """Backends of other processes stopped at the lock on the audit log."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
            "AND wait_event_type = 'Lock' AND wait_event = 'relation' AND pid <> pg_backend_pid()"
        )
        return [row[0] for row in cursor.fetchall()]


def _end_session_of_killed_process(pid: int) -> None:
    # PostgreSQL notices that a client vanished only when it next talks to it; a session
    # waiting on a lock keeps its row locks until then. End it now, as it would end anyway.
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(%s)", [pid])


def _received(log: str, task_id: str) -> int:
    return len(re.findall(rf"Task sharing\.tasks\.expire_grants\[{task_id}\] received", log))


def test_a_pool_process_killed_mid_task_gets_the_task_again_and_the_expiry_happens_once(
    world: dict[str, Any], started: Started, audit_log_held: Any, _isolated_queue: str
) -> None:
    from sharing.tasks import expire_grants

    worker = Worker(_isolated_queue).start()
    started.append(worker)
    grant = due_grant(world)

    # given a worker in the middle of expiring the grant (the grant row is updated, its audit
    # entry is waiting to be inserted)
    task = expire_grants.delay()
    [waiting] = wait_for(_waiting_on_audit_log, timeout=120)
    assert worker.process is not None
    [pool_process] = children_of(worker.process.pid)

    # when the process running it is killed
    os.kill(pool_process, signal.SIGKILL)
    _end_session_of_killed_process(waiting)
    audit_log_held.close()

    # then the broker hands the task out again, and the grant expires exactly once
    wait_for(lambda: effects(grant)[0] == Grant.Status.EXPIRED, timeout=120)
    wait_for(lambda: _received(worker.log(), task.id) == 2, timeout=30)
    assert "WorkerLostError" in worker.log()
    wait_for(lambda: notified_once(grant), timeout=60)
    assert effects(grant) == (Grant.Status.EXPIRED, 1, 2)
    # and running it once more (as beat will, a minute later) changes nothing
    assert expire_due_grants() == 0
    assert effects(grant) == (Grant.Status.EXPIRED, 1, 2)


def test_a_whole_worker_killed_mid_task_leaves_the_task_to_the_next_worker_once(
    world: dict[str, Any], started: Started, audit_log_held: Any, _isolated_queue: str
) -> None:
    from sharing.tasks import expire_grants

    # A broker of its own, with a short visibility timeout: an unacknowledged task goes back
    # to the queue 5 seconds after the worker holding it vanished (production: 300 seconds,
    # and beat asks for the expiry again every minute anyway).
    broker = RedisServer().start()
    env = {"REDIS_URL": broker.url, "CELERY_VISIBILITY_TIMEOUT": "5"}
    try:
        first = Worker(_isolated_queue, env=env).start()
        started.append(first)
        grant = due_grant(world)
        with publishing_to(broker.url):
            task = expire_grants.delay()
        [waiting] = wait_for(_waiting_on_audit_log, timeout=120)

        first.kill()  # SIGKILL to the whole worker: nobody acknowledges or rejects the task
        _end_session_of_killed_process(waiting)
        audit_log_held.close()
        time.sleep(6)  # past the visibility timeout
        assert effects(grant) == (Grant.Status.ACTIVE, 0, 0)  # its transaction rolled back

        second = Worker(_isolated_queue, env=env).start()
        started.append(second)
        wait_for(lambda: effects(grant)[0] == Grant.Status.EXPIRED, timeout=120)
        assert _received(second.log(), task.id) >= 1
        wait_for(lambda: notified_once(grant), timeout=60)
        assert effects(grant) == (Grant.Status.EXPIRED, 1, 2)
    finally:
        for process in reversed(started):
            process.stop()
        started.clear()
        broker.stop()


def test_beat_restarted_or_doubled_still_expires_each_grant_once(
    world: dict[str, Any], started: Started, _isolated_queue: str
) -> None:
    env = {"GRANT_EXPIRY_INTERVAL_SECONDS": "1"}
    started.append(Worker(_isolated_queue).start())
    started.append(Worker(_isolated_queue).start())  # two workers: doubled tasks run at once
    beat = Beat(_isolated_queue, env=env).start()
    started.append(beat)
    soon = timezone.now()
    early = [due_grant(world, f"early {n}") for n in range(3)]
    wait_for(lambda: all(effects(g)[0] == Grant.Status.EXPIRED for g in early), timeout=120)

    # beat stops (a deploy); grants fall due while it is away
    beat.stop()
    while_away = [due_grant(world, f"while away {n}") for n in range(3)]
    time.sleep(3)
    assert all(effects(g)[0] == Grant.Status.ACTIVE for g in while_away)

    # it comes back twice over (an operator's mistake: two beats), and more fall due
    beats = [Beat(_isolated_queue, env=env).start(), Beat(_isolated_queue, env=env).start()]
    started.extend(beats)
    later = [
        due_grant(world, f"later {n}", expires_at=timezone.now() + timedelta(seconds=4))
        for n in range(3)
    ]
    everything = early + while_away + later
    wait_for(lambda: all(effects(g)[0] == Grant.Status.EXPIRED for g in everything), timeout=120)
    time.sleep(4)  # several more ticks of both beats

    assert all(effects(g) == (Grant.Status.EXPIRED, 1, 2) for g in everything), [
        effects(g) for g in everything
    ]
    assert all(g.ended_at and g.ended_at >= soon for g in everything)
    wait_for(lambda: all(notified_once(g) for g in everything), timeout=90)
