from __future__ import annotations

from typing import Any

from rest_framework import permissions
from rest_framework.request import Request


def is_member(user: Any) -> bool:
    """An authenticated, active user who belongs to an agency or is a platform admin, and whose
    account is not locked."""
    if not (user and user.is_authenticated and user.is_active):
        return False
    membership = getattr(user, "membership", None)
    if membership is not None and (
        membership.locked_at is not None or not membership.agency.active
    ):
        return False
    return bool(user.is_staff or membership is not None)


class IsVerifiedMember(permissions.BasePermission):
    """Every API call needs a second-factor-verified member; objects are then filtered by the
    access door, so there is no object-level check here."""

    def has_permission(self, request: Request, view: Any) -> bool:
        return is_member(request.user)
