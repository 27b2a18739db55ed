from __future__ import annotations

from rest_framework.routers import DefaultRouter

from insight.api.views import SearchViewSet


def register(router: DefaultRouter) -> None:
    """Register this app's API viewsets on the ``/api/v1/`` router."""
    router.register("search", SearchViewSet, basename="search")
