from __future__ import annotations

from django.urls import path

from agencies import views

app_name = "agencies"
urlpatterns = [
    path("", views.agency_list, name="list"),
    path("new/", views.agency_create, name="create"),
    path("<int:pk>/", views.agency_detail, name="detail"),
    path("<int:pk>/edit/", views.agency_edit, name="edit"),
    path("trust/", views.trust_matrix, name="trust_matrix"),
    path("trust/<int:from_pk>/<int:to_pk>/", views.trust_cell, name="trust_cell"),
    path("trust/<int:from_pk>/<int:to_pk>/edit/", views.trust_edit, name="trust_edit"),
    path("people/", views.people_list, name="people"),
    path("people/new/", views.person_create, name="person_create"),
    path("people/<int:pk>/", views.person_edit, name="person_edit"),
    path("people/<int:pk>/unlock/", views.person_unlock, name="person_unlock"),
    path(
        "people/<int:pk>/reset-second-factor/",
        views.person_reset_second_factor,
        name="person_reset_second_factor",
    ),
    path("teams/", views.team_list, name="teams"),
    path("teams/new/", views.team_create, name="team_create"),
    path("teams/<int:pk>/", views.team_detail, name="team"),
    path("teams/<int:pk>/edit/", views.team_edit, name="team_edit"),
]
