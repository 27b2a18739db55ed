from __future__ import annotations

from rest_framework.routers import DefaultRouter

from sharing.api.views import GrantViewSet, ShareRequestViewSet


def register(router: DefaultRouter) -> None:
    """Register this app's API viewsets on the ``/api/v1/`` router."""
    router.register("share-requests", ShareRequestViewSet, basename="share-request")
    router.register("grants", GrantViewSet, basename="grant")
