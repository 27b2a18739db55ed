"""Time from a share's approval commit to the notification being readable by the recipient.

    python scripts/notify_latency.py [--shares 200] [--warmup 5]

Uses DATABASE_URL / REDIS_URL when set (embedded servers otherwise, as `make test` does),
migrates, creates two synthetic agencies (an owner with two liaison officers, a recipient with
three members), starts one real Celery worker on its own queue, prepares one offer per share,
then approves them one after the other with ``sharing.actions.approve`` (four-eyes: the other
liaison officer). For each share, t0 is taken by the first after-commit callback of the
approval's transaction (so publishing the task is inside the measured time) and t1 when a
fresh query finds the recipient's notification row committed — what the notification centre,
the unread count and the API read. It prints the median, p95 and max in milliseconds.

``measure(shares, ...)`` is the function ``scripts/bench.py`` can call.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


@dataclass(frozen=True)
class Latency:
    shares: int
    median_ms: float
    p95_ms: float
    max_ms: float
    mean_ms: float

    def table(self) -> str:
        return (
            "| measure | shares | median | p95 | max |\n|---|---|---|---|---|\n"
            f"| approval commit → notification readable | {self.shares} | "
            f"{self.median_ms:.1f} ms | {self.p95_ms:.1f} ms | {self.max_ms:.1f} ms |"
        )


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    index = max(0, min(len(ordered) - 1, round(fraction * len(ordered) + 0.5) - 1))
    return ordered[index]


@contextmanager
def worker(queue: str, concurrency: int = 2) -> Iterator[subprocess.Popen[bytes]]:
    """One Celery worker (prefork, ``concurrency`` children) on ``queue``. Two children: the
    e-mails of one share are sent while the next share is fanned out, as in production."""
    log = open(os.devnull, "wb")  # noqa: SIM115 - closed below
    command = [sys.executable, "-m", "celery", "-A", "portal", "worker", "-Q", queue]
    command += ["--concurrency", str(concurrency), "--without-mingle", "--without-gossip"]
    command += ["--loglevel", "WARNING", "-n", f"{queue}@%h"]
    process = subprocess.Popen(
        command,
        cwd=ROOT,
        env={**os.environ, "CELERY_QUEUE": queue},
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        yield process
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


def _region(tag: str) -> dict[str, Any]:
    from django.contrib.auth.models import User

    from agencies.models import Agency, Membership, TrustLevel

    def agency(code: str, country: str) -> Agency:
        return Agency.objects.create(
            name=f"Latency {code}", acronym=f"{code}{tag}"[:20], kind="customs", country=country
        )

    def person(agency_obj: Agency, role: str, n: int = 0) -> User:
        user = User.objects.create(
            username=f"lat-{tag}-{agency_obj.pk}-{role}-{n}",
            email=f"{role}{n}.{tag}@example.org",
        )
        Membership.objects.create(user=user, agency=agency_obj, role=role)
        return user

    owner, recipient = agency("LO", "JM"), agency("LR", "CO")
    TrustLevel.objects.create(
        from_agency=owner, to_agency=recipient, level=3, reason="latency measurement"
    )
    return {
        "owner": owner,
        "recipient": recipient,
        "offerer": person(owner, "liaison", 1),
        "approver": person(owner, "liaison", 2),
        "reader": person(recipient, "analyst"),
        "others": [person(recipient, "liaison"), person(recipient, "agency_admin")],
    }


def real_approval(offer: Any, approver: Any) -> Any:
    from sharing import actions

    (grant,) = actions.approve(approver, offer, note="Approved for the joint operation")
    return grant


def measure(
    shares: int = 200,
    *,
    warmup: int = 5,
    approve: Callable[[Any, Any], Any] = real_approval,
    start_worker: bool = True,
    concurrency: int = 2,
    poll_interval: float = 0.001,
    timeout: float = 30.0,
    back_to_back: bool = False,
) -> Latency:
    """Approve ``shares`` shares one after the other; return the commit→readable latency.

    By default each share waits until the previous one's e-mails are sent (an approval on an
    otherwise idle worker, as approvals come in practice); ``back_to_back`` approves the next
    one as soon as the notification is readable, so its fan-out competes with the previous
    share's e-mails. Django must be set up; the database migrated."""
    from django.db import connection, transaction

    from cases.models import Case, ReferenceCounter
    from notifications.models import Event, Notification
    from portal.celery import app
    from sharing import actions
    from sharing.models import Level

    tag = uuid.uuid4().hex[:6].upper()
    queue = f"enlace-latency-{tag.lower()}" if start_worker else app.conf.task_default_queue
    app.conf.task_default_queue = queue
    people = _region(tag)
    reader = people["reader"]
    cases = [
        Case.objects.create(
            reference=ReferenceCounter.next_reference(people["owner"], "C"),
            owner_agency=people["owner"],
            title=f"Latency case {n}",
            tlp="AMBER",
        )
        for n in range(warmup + shares)
    ]
    samples: list[float] = []
    context = worker(queue, concurrency) if start_worker else _nothing()
    with context:
        offers = [
            actions.offer(
                people["offerer"],
                case,
                level=Level.FULL,
                justification="Joint operation",
                recipient_agency=people["recipient"],
            )
            for case in cases
        ]
        _wait_until_dispatched([str(o.pk) for o in offers], time.monotonic() + 300)
        for n, offer in enumerate(offers):
            committed: list[float] = []
            with transaction.atomic():
                transaction.on_commit(partial(_stamp, committed))
                grant = approve(offer, people["approver"])
            event_id = (
                Event.objects.filter(kind="grant.created", object_id=str(grant.pk))
                .values_list("pk", flat=True)
                .get()
            )
            deadline = time.monotonic() + (timeout if n >= warmup else 120)
            while not Notification.objects.filter(event_id=event_id, user=reader).exists():
                if time.monotonic() > deadline:
                    raise RuntimeError(f"share {n}: no notification within the timeout")
                time.sleep(poll_interval)
            readable = time.perf_counter()
            if n >= warmup:
                samples.append((readable - committed[0]) * 1000)
            if not back_to_back:
                _wait_for_emails(event_id, deadline)
    connection.close()
    return Latency(
        shares=len(samples),
        median_ms=statistics.median(samples),
        p95_ms=percentile(samples, 0.95),
        max_ms=max(samples),
        mean_ms=statistics.fmean(samples),
    )


def _stamp(stamps: list[float]) -> None:
    stamps.append(time.perf_counter())


def _wait_until_dispatched(offer_ids: list[str], deadline: float) -> None:
    """Let the worker finish the offers' own notifications before timing anything."""
    from notifications.models import Event

    pending = Event.objects.filter(
        kind="share_request.created", object_id__in=offer_ids, dispatched_at__isnull=True
    )
    while pending.exists():
        if time.monotonic() > deadline:
            raise RuntimeError("the worker did not deliver the offers' notifications")
        time.sleep(0.05)
    time.sleep(1)  # and their e-mails


def _wait_for_emails(event_id: Any, deadline: float) -> None:
    from notifications.models import Notification

    pending = Notification.objects.filter(
        event_id=event_id, email_mode="immediate", emailed_at__isnull=True
    )
    while pending.exists() and time.monotonic() < deadline:
        time.sleep(0.005)


@contextmanager
def _nothing() -> Iterator[None]:
    yield None


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--shares", type=int, default=200)
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument("--concurrency", type=int, default=2, help="worker processes")
    parser.add_argument(
        "--back-to-back",
        action="store_true",
        help="approve the next share as soon as the last is readable (its e-mails still going)",
    )
    parser.add_argument(
        "--no-worker", action="store_true", help="use the workers already running on the queue"
    )
    args = parser.parse_args(argv)
    from scripts.services import services

    var_dir = Path(os.environ.get("ENLACE_VAR_DIR", ROOT / "var"))
    with services(var_dir) as service_env:
        os.environ.update(service_env)
        os.environ.setdefault("ENLACE_ENV", "dev")
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
        import django
        from django.core.management import call_command

        django.setup()
        call_command("migrate", verbosity=0)
        result = measure(
            args.shares,
            warmup=args.warmup,
            start_worker=not args.no_worker,
            concurrency=args.concurrency,
            back_to_back=args.back_to_back,
        )
    print(result.table())
    print(f"mean {result.mean_ms:.1f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
