"""``{% notification_bell %}``: the nav-bar bell with the live unread count."""

from __future__ import annotations

from typing import Any

from django import template
from django.conf import settings

from notifications.models import Notification

register = template.Library()


@register.inclusion_tag("notifications/nav_bell.html", takes_context=True)
def notification_bell(context: dict[str, Any]) -> dict[str, Any]:
    request = context.get("request")
    user = getattr(request, "user", None)
    count = (
        Notification.objects.filter(user=user, read_at__isnull=True).count()
        if user is not None and user.is_authenticated
        else 0
    )
    return {
        "unread_count": count,
        "poll_seconds": settings.NOTIFY_POLL_SECONDS,
        "request": request,
    }
