from __future__ import annotations

from django.urls import path

from hits import views

app_name = "hits"
urlpatterns = [
    path("", views.hit_list, name="list"),
    path("<int:pk>/", views.hit_detail, name="detail"),
    path("<int:pk>/status/", views.hit_status, name="status"),
    path("<int:pk>/request/", views.hit_request, name="request"),
]
