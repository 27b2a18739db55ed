from __future__ import annotations

from django.urls import path

from insight import views

app_name = "insight"
urlpatterns = [
    path("insight/charts/<slug:key>.json", views.chart_json, name="chart_json"),
    path("insight/charts/<slug:key>.csv", views.chart_csv, name="chart_csv"),
    path("search/", views.search_page, name="search"),
    path("search/request-access/", views.pointer_request, name="pointer_request"),
    path("exports/", views.exports, name="exports"),
    path("insight/cases/<int:pk>/summary.pdf", views.case_summary_pdf, name="case_pdf"),
    path("exports/<slug:key>.<slug:fmt>", views.export, name="export"),
]
