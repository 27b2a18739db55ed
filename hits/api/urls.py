from __future__ import annotations

from rest_framework.routers import DefaultRouter

from hits.api.views import HitViewSet


def register(router: DefaultRouter) -> None:
    """Register this app's API viewsets on the ``/api/v1/`` router."""
    router.register("hits", HitViewSet, basename="hit")
