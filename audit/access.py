"""Who may read the audit log, and which entries (DESIGN §6, issue 8).

- Platform admins (staff of the operator agency): every entry.
- Agency admins: what their agency's people did (``agency``) and every access by anyone to
  their agency's records (``object_agency``: "who looked at our case").
- Everyone else: nothing; audit pages and endpoints answer 404.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet

from agencies.models import Agency, Role
from audit.models import AuditEntry


@dataclass(frozen=True)
class AuditScope:
    everything: bool
    agency_id: int | None

    @property
    def is_nobody(self) -> bool:
        return not self.everything and self.agency_id is None


NOBODY = AuditScope(everything=False, agency_id=None)


def _membership(user: Any) -> Any:
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    try:
        return user.membership
    except Exception:
        return None


def scope_of(user: Any) -> AuditScope:
    membership = _membership(user)
    if membership is None or membership.locked_at is not None or not membership.agency.active:
        return NOBODY
    if user.is_staff and membership.agency.kind == Agency.Kind.OPERATOR:
        return AuditScope(everything=True, agency_id=membership.agency_id)
    if membership.role == Role.AGENCY_ADMIN:
        return AuditScope(everything=False, agency_id=membership.agency_id)
    return NOBODY


def can_read_audit(user: Any) -> bool:
    return not scope_of(user).is_nobody


def visible_entries(user: Any) -> QuerySet[AuditEntry]:
    scope = scope_of(user)
    entries = AuditEntry.objects.select_related("agency", "object_agency").order_by("-id")
    if scope.everything:
        return entries
    if scope.agency_id is None:
        return entries.none()
    return entries.filter(Q(agency_id=scope.agency_id) | Q(object_agency_id=scope.agency_id))


def shown_fields(user: Any, entry: AuditEntry) -> dict[str, bool]:
    """What of a visible entry this reader may see.

    The owner of a record is shown for a refused access only to that owner (a refused reader's
    own admin must not learn who owns a record they could not open); another agency's
    people's network addresses and request ids stay with their own agency."""
    scope = scope_of(user)
    if scope.everything:
        return {"object_agency": True, "network": True}
    own_actor = entry.agency_id is not None and entry.agency_id == scope.agency_id
    owns_object = entry.object_agency_id is not None and entry.object_agency_id == scope.agency_id
    return {
        "object_agency": owns_object or entry.outcome == AuditEntry.Outcome.SUCCESS,
        "network": own_actor,
    }
