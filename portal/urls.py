from __future__ import annotations

from django.urls import include, path
from django.views.i18n import JavaScriptCatalog
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from agencies.language import set_language
from insight import views as insight_views
from portal import views

# A store that is down answers 503 + Retry-After, anything else 500; never a trace.
handler500 = "portal.failures.server_error"
# Client errors in the reader's language, JSON under /api/ (portal/failures.py); a body
# above DATA_UPLOAD_MAX_MEMORY_SIZE is a 413.
handler400 = "portal.failures.bad_request"
handler403 = "portal.failures.permission_denied"
handler404 = "portal.failures.page_not_found"

urlpatterns = [
    path("", insight_views.dashboard, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("i18n/setlang/", set_language, name="set_language"),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("accounts/", include("agencies.account_urls")),
    path("agencies/", include("agencies.urls")),
    path("cases/", include("cases.urls")),
    path("imports/", include("imports.urls")),
    path("sharing/", include("sharing.urls")),
    path("hits/", include("hits.urls")),
    path("notifications/", include("notifications.urls")),
    path("audit/", include("audit.urls")),
    path("", include("insight.urls")),
    path("api/v1/", include("portal.api.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="schema"), name="api-docs"),
]
