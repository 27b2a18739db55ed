from __future__ import annotations

from rest_framework.routers import DefaultRouter

from cases.api.views import AttachmentViewSet, CaseViewSet, SeizureViewSet


def register(router: DefaultRouter) -> None:
    """Register this app's API viewsets on the ``/api/v1/`` router."""
    router.register("cases", CaseViewSet, basename="case")
    router.register("seizures", SeizureViewSet, basename="seizure")
    router.register("attachments", AttachmentViewSet, basename="attachment")
