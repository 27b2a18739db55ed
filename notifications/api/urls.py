from __future__ import annotations

from rest_framework.routers import DefaultRouter

from notifications.api.views import NotificationViewSet


def register(router: DefaultRouter) -> None:
    """Register this app's API viewsets on the ``/api/v1/`` router."""
    router.register("notifications", NotificationViewSet, basename="notification")
