from __future__ import annotations

from rest_framework.routers import DefaultRouter

from agencies.api.views import AgencyViewSet, TeamViewSet, TrustLevelViewSet, UserViewSet


def register(router: DefaultRouter) -> None:
    """Register this app's API viewsets on the ``/api/v1/`` router."""
    router.register("agencies", AgencyViewSet, basename="agency")
    router.register("users", UserViewSet, basename="user")
    router.register("trust-levels", TrustLevelViewSet, basename="trust-level")
    router.register("teams", TeamViewSet, basename="team")
