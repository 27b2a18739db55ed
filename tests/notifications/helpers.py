"""Builders for the notification tests.

``share_case`` stands in for the sharing engineer's approval until it lands on main: it does
what an approval does as far as notifications care — a grant, its access row and the
``grant.created`` outbox event, in one transaction.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import Permission, User
from django.db import transaction
from django.utils import timezone

from agencies.models import Agency
from cases.models import Case
from notifications.events import emit
from sharing.models import CASE_PERMISSION, CaseGroupAccess, Grant, Level


def share_case(case: Case, recipient: Agency, by: User, level: int = Level.FULL) -> Grant:
    with transaction.atomic():
        grant = Grant.objects.create(
            case=case,
            owner_agency=case.owner_agency,
            recipient_agency=recipient,
            level=level,
            granted_by=by,
        )
        CaseGroupAccess.objects.create(
            permission=Permission.objects.get(
                codename=CASE_PERMISSION[Level(level)], content_type__app_label="cases"
            ),
            group=recipient.group,
            content_object=case,
            grant=grant,
            level=level,
            created=case.created_at,
        )
        emit("grant.created", actor=by, obj=grant, agencies=[recipient])
    return grant


def revoke(grant: Grant, by: User) -> None:
    with transaction.atomic():
        CaseGroupAccess.objects.filter(grant=grant).delete()
        grant.status = Grant.Status.REVOKED
        grant.ended_at = timezone.now()
        grant.ended_by = by
        grant.save()
        assert grant.recipient_agency is not None
        emit("grant.revoked", actor=by, obj=grant, agencies=[grant.recipient_agency])


def many_members(agency: Agency, count: int, role: str = "analyst") -> list[User]:
    """Members without a usable password (hashing 60 Argon2 passwords takes half a minute)."""
    from agencies.models import Membership

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
