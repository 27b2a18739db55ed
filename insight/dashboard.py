"""What waits for a user on the dashboard: approvals, requests for information, new hits, and
what partners recently shared with their agency.

Counts come from the sharing and hits apps' own tables (requests and hits belong to the
user's agency); records named by "recently shared" are read through the access door.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.apps import apps
from django.db.models import Count, Min, Q
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from agencies.models import Role
from cases.models import Case, SeizureReport
from sharing.access import with_access_level
from sharing.models import Level, ShareRequest
from sharing.queries import approval_queue, grants_received
from sharing.rules import membership_of

RECENT_SHARES = 8
RFI_SOON = timedelta(days=7)


def url_or_none(name: str, *args: Any, query: str = "") -> str | None:
    """A page's URL when the app that serves it is installed in this version, else None."""
    try:
        url = reverse(name, args=args)
    except NoReverseMatch:
        return None
    return f"{url}?{query}" if query else url


@dataclass
class Pending:
    is_liaison: bool = False
    approvals: int = 0
    urgent_approvals: int = 0
    oldest_approval: datetime | None = None
    rfis_open: int = 0
    rfis_overdue: int = 0
    rfis_due_soon: int = 0
    next_rfi_due: date | None = None
    new_hits: int | None = None  # None: the hits app has no inbox in this version
    links: dict[str, str | None] = field(default_factory=dict)


def pending_for(user: Any) -> Pending:
    """At most three queries: the approval queue, the RFIs to answer, the new hits."""
    membership = membership_of(user)
    pending = Pending()
    if membership is None:
        return pending
    agency_id = membership.agency_id
    pending.is_liaison = membership.role == Role.LIAISON
    if pending.is_liaison:
        queue = (
            approval_queue(user)
            .order_by()
            .aggregate(
                total=Count("id"),
                urgent=Count("id", filter=Q(priority=ShareRequest.Priority.URGENT)),
                oldest=Min("created_at"),
            )
        )
        pending.approvals = queue["total"]
        pending.urgent_approvals = queue["urgent"]
        pending.oldest_approval = queue["oldest"]
    today = timezone.localdate()
    rfis = ShareRequest.objects.filter(
        owner_agency_id=agency_id,
        kind=ShareRequest.Kind.RFI,
        status=ShareRequest.Status.PENDING,
    ).aggregate(
        total=Count("id"),
        overdue=Count("id", filter=Q(due_date__lt=today)),
        soon=Count("id", filter=Q(due_date__gte=today, due_date__lte=today + RFI_SOON)),
        next_due=Min("due_date", filter=Q(due_date__gte=today)),
    )
    pending.rfis_open = rfis["total"]
    pending.rfis_overdue = rfis["overdue"]
    pending.rfis_due_soon = rfis["soon"]
    pending.next_rfi_due = rfis["next_due"]
    if apps.is_installed("hits"):
        from hits.models import Hit

        pending.new_hits = Hit.objects.filter(
            our_agency_id=agency_id, status=Hit.Status.NEW
        ).count()
    pending.links = {
        "queue": url_or_none("sharing:queue"),
        "requests": url_or_none("sharing:requests"),
        "hits": url_or_none("hits:list"),
        "shared": url_or_none("sharing:shared_with_us"),
    }
    return pending


def _levelled(queryset: Any, user: Any) -> Any:
    """Rows annotated with the reader's ``access_level`` (an annotation mypy cannot see)."""
    return with_access_level(queryset, user)


@dataclass(frozen=True)
class SharedRecord:
    grant_created: datetime
    level: int
    kind: str  # "case" or "seizure"
    record: Case | SeizureReport
    url: str | None


def recently_shared(user: Any, limit: int = RECENT_SHARES) -> list[SharedRecord]:
    """The newest active grants reaching the user, with their records read through the door
    (three queries: the grants, then the cases and the seizure reports they name)."""
    grants = list(
        grants_received(user)
        .select_related(None)
        .order_by("-created_at", "-id")
        .values("created_at", "level", "case_id", "seizure_id")[: limit * 2]
    )
    case_ids = {g["case_id"] for g in grants if g["case_id"]}
    seizure_ids = {g["seizure_id"] for g in grants if g["seizure_id"]}
    cases: dict[int, Any] = {}
    seizures: dict[int, Any] = {}
    if case_ids:
        cases = {
            c.pk: c
            for c in _levelled(Case.objects.filter(pk__in=case_ids), user)
            .filter(access_level__gte=Level.SUMMARY)
            .select_related("owner_agency")
        }
    if seizure_ids:
        seizures = {
            s.pk: s
            for s in _levelled(SeizureReport.objects.filter(pk__in=seizure_ids), user)
            .filter(access_level__gte=Level.SUMMARY)
            .select_related("owner_agency")
        }
    shown: list[SharedRecord] = []
    seen: set[tuple[str, int]] = set()
    for grant in grants:
        if grant["case_id"]:
            key, record = ("case", grant["case_id"]), cases.get(grant["case_id"])
            url = url_or_none("cases:case", grant["case_id"])
        else:
            key, record = ("seizure", grant["seizure_id"]), seizures.get(grant["seizure_id"])
            url = url_or_none("cases:seizure", grant["seizure_id"])
        if record is None or key in seen:
            continue
        seen.add(key)
        shown.append(
            SharedRecord(grant["created_at"], int(record.access_level), key[0], record, url)
        )
        if len(shown) >= limit:
            break
    return shown


__all__ = ["Pending", "SharedRecord", "pending_for", "recently_shared", "url_or_none"]
