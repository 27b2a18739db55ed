from __future__ import annotations

from django.urls import path

from notifications import views

app_name = "notifications"
urlpatterns = [
    path("", views.notification_list, name="list"),
    path("unread-count/", views.unread_count, name="unread_count"),
    path("read-all/", views.mark_all_read, name="read_all"),
    path("preferences/", views.preferences, name="preferences"),
    path("<int:pk>/open/", views.open_notification, name="open"),
    path("<int:pk>/read/", views.mark_read, name="read"),
    path("event/<uuid:event_id>/", views.open_event, name="open_event"),
    path("webhooks/", views.webhook_list, name="webhooks"),
    path("webhooks/<int:pk>/", views.webhook_detail, name="webhook_detail"),
    path("webhooks/<int:pk>/rotate/", views.webhook_rotate, name="webhook_rotate"),
    path("webhooks/<int:pk>/active/", views.webhook_active, name="webhook_active"),
]
