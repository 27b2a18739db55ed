"""Builders for the notification tests: shares go through the real sharing actions
(an offer by one liaison officer of the owner, approved by another — four-eyes)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User

from agencies.models import Agency, Membership
from cases.models import Case
from sharing import actions
from sharing.models import Grant, Level
from tests import factories


def second_liaison(agency: Agency, approver: User) -> User:
    """A liaison officer of ``agency`` other than ``approver`` (created when there is none)."""
    other = (
        User.objects.filter(membership__agency=agency, membership__role="liaison")
        .exclude(pk=approver.pk)
        .first()
    )
    return other or factories.user(agency, "liaison")


def share_case(case: Case, recipient: Agency, by: User, level: int = Level.FULL) -> Grant:
    """``by`` (a liaison officer of the owner) approves an offer made by a colleague."""
    owner = case.owner_agency
    factories.trust(owner, recipient, 3)
    offer = actions.offer(
        second_liaison(owner, by),
        case,
        level=level,
        justification="Joint operation",
        recipient_agency=recipient,
    )
    (grant,) = actions.approve(by, offer, note="Approved for the joint operation")
    return grant


def revoke(grant: Grant, by: User) -> None:
    actions.revoke(by, grant, reason="Operation closed")


def many_members(agency: Agency, count: int, role: str = "analyst") -> list[User]:
    """Members without a usable password (hashing 60 Argon2 passwords takes half a minute)."""
    users = User.objects.bulk_create(
        User(
            username=f"{agency.acronym.lower()}-{role}-{n}",
            email=f"{agency.acronym}{n}@example.org",
        )
        for n in range(count)
    )
    Membership.objects.bulk_create(Membership(user=u, agency=agency, role=role) for u in users)
    return users


def deliver_all() -> int:
    """Fan out every undispatched event now, in this process (what the worker does)."""
    from notifications.delivery import deliver
    from notifications.models import Event

    return sum(
        deliver(str(pk)).notified
        for pk in Event.objects.filter(dispatched_at__isnull=True).values_list("pk", flat=True)
    )


def notified(user: User, **filters: Any) -> list[str]:
    from notifications.models import Notification

    return list(
        Notification.objects.filter(user=user, **filters)
        .order_by("created_at", "id")
        .values_list("event__kind", flat=True)
    )


def deliver_world(secret_case: Case, agencies: list[Agency]) -> None:
    """For the access matrix: fan out every event its world emitted (as the worker would have),
    plus one sent by mistake to every agency about a record few may see — the notification
    centre must still disclose nothing of it."""
    from notifications.events import emit

    emit("case.message", obj=secret_case, agencies=agencies)
    deliver_all()
