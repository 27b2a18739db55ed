"""Reads of share requests and grants: who may see which, one statement per list.

A share request is seen by the two agencies party to it (the owner, and the agency that asked
or offered). A grant is seen by its owner agency ("what we share") and, while active, by its
recipients ("shared with us"). The records they name are shown only through the access door
(``visible_record_keys``), so a request made from a hit never shows the other side's record.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import Case as When_
from django.db.models import IntegerField, Q, QuerySet, Value, When
from django.utils import timezone

from cases.models import Case, SeizureReport
from sharing import access
from sharing.models import Grant, Level, ShareRequest
from sharing.rules import membership_of


def _agency_id(user: Any) -> int | None:
    membership = membership_of(user)
    return membership.agency_id if membership is not None else None


_REQUEST_RELATED = (
    "case",
    "seizure",
    "owner_agency",
    "requesting_agency",
    "requested_by",
    "recipient_agency",
    "recipient_team",
    "decided_by",
    "hit",
)


def requests_for(user: Any) -> QuerySet[ShareRequest]:
    """Share requests the user's agency is party to."""
    agency_id = _agency_id(user)
    if agency_id is None:
        return ShareRequest.objects.none()
    return (
        ShareRequest.objects.filter(
            Q(owner_agency_id=agency_id) | Q(requesting_agency_id=agency_id)
        )
        .select_related(*_REQUEST_RELATED)
        .prefetch_related("recipient_users")
    )


def approval_queue(user: Any) -> QuerySet[ShareRequest]:
    """Pending requests about the agency's records: urgent first, then the oldest first."""
    agency_id = _agency_id(user)
    if agency_id is None:
        return ShareRequest.objects.none()
    return (
        ShareRequest.objects.filter(owner_agency_id=agency_id, status=ShareRequest.Status.PENDING)
        .annotate(
            urgency=When_(
                When(priority=ShareRequest.Priority.URGENT, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        )
        .order_by("urgency", "created_at", "id")
        .select_related(*_REQUEST_RELATED)
        .prefetch_related("recipient_users", "recipient_team__agencies")
    )


_GRANT_RELATED = (
    "case",
    "seizure",
    "owner_agency",
    "recipient_agency",
    "recipient_team",
    "recipient_user",
    "granted_by",
    "ended_by",
)


def grants_given(user: Any) -> QuerySet[Grant]:
    """Every grant of the user's agency, active or ended ("what we share")."""
    agency_id = _agency_id(user)
    if agency_id is None:
        return Grant.objects.none()
    return Grant.objects.filter(owner_agency_id=agency_id).select_related(*_GRANT_RELATED)


def grants_received(user: Any) -> QuerySet[Grant]:
    """Active grants that reach the user: to their agency, to a team active today that they or
    their agency are in, or to them by name ("shared with us")."""
    principals = access.principals_of(user)
    if principals.is_nobody:
        return Grant.objects.none()
    now = timezone.now()
    return (
        Grant.objects.filter(status=Grant.Status.ACTIVE)
        .filter(Q(expires_at__isnull=True) | Q(expires_at__gt=now))
        .filter(
            Q(recipient_agency_id=principals.agency_id)
            | Q(recipient_team__group_id__in=list(principals.group_ids))
            | Q(recipient_user_id=principals.user_id)
        )
        .exclude(owner_agency_id=principals.agency_id)
        .select_related(*_GRANT_RELATED)
    )


def grants_for(user: Any) -> QuerySet[Grant]:
    """Grants the user may look at: given by their agency, or active and reaching them."""
    agency_id = _agency_id(user)
    if agency_id is None:
        return Grant.objects.none()
    received = grants_received(user).values("pk")
    return Grant.objects.filter(Q(owner_agency_id=agency_id) | Q(pk__in=received)).select_related(
        *_GRANT_RELATED
    )


RecordKey = tuple[str, int]


def record_key(item: ShareRequest | Grant) -> RecordKey:
    return ("case", int(item.case_id)) if item.case_id else ("seizure", int(item.seizure_id or 0))


def visible_record_keys(user: Any, items: Iterable[ShareRequest | Grant]) -> set[RecordKey]:
    """Which of the records these items name the user may see (at most two queries)."""
    case_ids = {item.case_id for item in items if item.case_id}
    seizure_ids = {item.seizure_id for item in items if item.seizure_id}
    agency_id = _agency_id(user)
    found: set[RecordKey] = set()
    for item in items:
        if agency_id is not None and item.owner_agency_id == agency_id:
            found.add(record_key(item))
    owned = {key for key in found}
    case_ids -= {pk for kind, pk in owned if kind == "case"}
    seizure_ids -= {pk for kind, pk in owned if kind == "seizure"}
    if case_ids:
        found |= {
            ("case", pk)
            for pk in access.visible(Case, user, Level.SUMMARY)
            .filter(pk__in=case_ids)
            .values_list("pk", flat=True)
        }
    if seizure_ids:
        found |= {
            ("seizure", pk)
            for pk in access.visible(SeizureReport, user, Level.SUMMARY)
            .filter(pk__in=seizure_ids)
            .values_list("pk", flat=True)
        }
    return found
