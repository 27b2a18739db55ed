"""``/api/v1/``: each app registers its viewsets on one router (``<app>/api/urls.py``)."""

from __future__ import annotations

from importlib import import_module

from rest_framework.routers import DefaultRouter

API_APPS = [
    "agencies",
    "cases",
    "sharing",
    "hits",
    "notifications",
    "audit",
    "insight",
    "imports",
]

router = DefaultRouter()
for app in API_APPS:
    import_module(f"{app}.api.urls").register(router)

urlpatterns = router.urls
