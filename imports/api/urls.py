from __future__ import annotations

from rest_framework.routers import DefaultRouter

from imports.api.views import ImportViewSet


def register(router: DefaultRouter) -> None:
    """Register this app's API viewsets on the ``/api/v1/`` router."""
    router.register("imports", ImportViewSet, basename="import")
