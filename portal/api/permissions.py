from __future__ import annotations

from typing import Any

from rest_framework import permissions
from rest_framework.request import Request


def is_member(user: Any) -> bool:
    """An authenticated, active user who belongs to an agency or is a platform admin."""
    if not (user and user.is_authenticated and user.is_active):
        return False
    return bool(user.is_staff or getattr(user, "membership", None) is not None)


class IsVerifiedMember(permissions.BasePermission):
    """Every API call needs a second-factor-verified member; objects are then filtered by the
    access door, so there is no object-level check here."""

    def has_permission(self, request: Request, view: Any) -> bool:
        return is_member(request.user)
