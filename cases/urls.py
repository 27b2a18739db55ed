from __future__ import annotations

from django.urls import path

from cases import views

app_name = "cases"
urlpatterns = [
    path("", views.case_list, name="list"),
    path("new/", views.case_create, name="case_create"),
    path("<int:pk>/", views.case_detail, name="case"),
    path("<int:pk>/edit/", views.case_edit, name="case_edit"),
    path("<int:pk>/messages/", views.case_message, name="case_message"),
    path("<int:pk>/attachments/", views.case_attachment, name="case_attachment"),
    path("attachments/<int:pk>/download/", views.attachment_download, name="attachment"),
    path("seizures/", views.seizure_list, name="seizures"),
    path("seizures/new/", views.seizure_create, name="seizure_create"),
    path("seizures/<int:pk>/", views.seizure_detail, name="seizure"),
    path("seizures/<int:pk>/edit/", views.seizure_edit, name="seizure_edit"),
    path("seizures/<int:pk>/attachments/", views.seizure_attachment, name="seizure_attachment"),
    path("seizures/rows/<str:kind>/", views.seizure_row, name="seizure_row"),
    path("units/", views.unit_options, name="units"),
    path("check/<str:kind>/", views.check_field, name="check"),
]
