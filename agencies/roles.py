"""Who may do what with agencies, people, trust and teams. One place, used by pages and API."""

from __future__ import annotations

from typing import Any

from agencies.models import Agency, Membership, Role, Team


def membership_of(user: Any) -> Membership | None:
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return getattr(user, "membership", None)


def agency_of(user: Any) -> Agency | None:
    membership = membership_of(user)
    return membership.agency if membership is not None else None


def is_platform_admin(user: Any) -> bool:
    """Staff of the platform operator agency (DESIGN §1)."""
    membership = membership_of(user)
    return bool(
        membership is not None
        and user.is_active
        and user.is_staff
        and membership.agency.kind == Agency.Kind.OPERATOR
    )


def is_agency_admin(user: Any) -> bool:
    membership = membership_of(user)
    return bool(membership is not None and user.is_active and membership.role == Role.AGENCY_ADMIN)


def can_manage_people(user: Any) -> bool:
    return is_platform_admin(user) or is_agency_admin(user)


def can_manage_user(actor: Any, target: Any) -> bool:
    """Platform admins manage everyone; an agency admin manages the people of their agency
    (never platform admins, whose accounts only other platform admins touch)."""
    if is_platform_admin(actor):
        return True
    if not is_agency_admin(actor):
        return False
    target_membership = membership_of(target)
    return (
        target_membership is not None
        and target_membership.agency_id == actor.membership.agency_id
        and not target.is_staff
    )


def can_see_agency_internals(user: Any, agency: Agency) -> bool:
    """Members, trust and history of an agency: platform admins and the agency's own people."""
    own = agency_of(user)
    return is_platform_admin(user) or (own is not None and own.pk == agency.pk)


def can_create_team(user: Any) -> bool:
    return is_platform_admin(user) or is_agency_admin(user)


def can_manage_team(user: Any, team: Team) -> bool:
    if is_platform_admin(user):
        return True
    own = agency_of(user)
    return bool(is_agency_admin(user) and own is not None and team.managing_agency_id == own.pk)
