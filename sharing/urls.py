from __future__ import annotations

from django.urls import path

from sharing import views

app_name = "sharing"
urlpatterns = [
    path("shared-with-us/", views.shared_with_us, name="shared_with_us"),
    path("what-we-share/", views.what_we_share, name="what_we_share"),
    path("grants/<int:pk>/revoke/", views.grant_revoke, name="grant_revoke"),
    path("queue/", views.queue, name="queue"),
    path("requests/", views.my_requests, name="requests"),
    path("requests/new/", views.request_new, name="request_new"),
    path("requests/<int:pk>/", views.request_detail, name="request_detail"),
    path("requests/<int:pk>/approve/", views.request_approve, name="request_approve"),
    path("requests/<int:pk>/deny/", views.request_deny, name="request_deny"),
    path("requests/<int:pk>/answer/", views.request_answer, name="request_answer"),
    path("requests/<int:pk>/withdraw/", views.request_withdraw, name="request_withdraw"),
]
