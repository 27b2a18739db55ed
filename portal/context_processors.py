from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from agencies import roles
from audit.access import can_read_audit


def portal(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    membership = (
        getattr(user, "membership", None) if user is not None and user.is_authenticated else None
    )
    return {
        "DEMO_MODE": settings.DEMO_MODE,
        "current_membership": membership,
        "current_agency": membership.agency if membership is not None else None,
        "can_read_audit": can_read_audit(user) if membership is not None else False,
        "is_platform_admin": roles.is_platform_admin(user),
        "can_manage_people": roles.can_manage_people(user),
    }
