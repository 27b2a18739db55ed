"""The base layout (local assets, strict CSP, language switcher) and the demo region."""

from __future__ import annotations

import re
from collections import Counter

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client, override_settings

from agencies.models import Agency, Membership


def test_the_sign_in_page_has_no_inline_script_or_style_and_a_strict_csp(client: Client) -> None:
    response = client.get("/accounts/login/")
    assert response.status_code == 200
    html = response.content.decode()
    assert re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html) is None, "inline <script> found"
    assert " style=" not in html
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp


@pytest.mark.parametrize(
    ("language", "heading"),
    [
        ("es", "Iniciar sesión en Enlace"),
        ("fr", "Se connecter à Enlace"),
        ("pt", "Entrar no Enlace"),
    ],
)
def test_the_language_switcher_translates_the_interface(
    client: Client, language: str, heading: str
) -> None:
    assert "Sign in to Enlace" in client.get("/accounts/login/").content.decode()
    response = client.post("/i18n/setlang/", {"language": language, "next": "/accounts/login/"})
    assert response.status_code == 302
    page = client.get("/accounts/login/").content.decode()
    assert heading in page
    assert f'<html lang="{language}">' in page


def test_an_unknown_language_is_ignored(client: Client) -> None:
    client.post("/i18n/setlang/", {"language": "xx", "next": "/accounts/login/"})
    assert "Sign in to Enlace" in client.get("/accounts/login/").content.decode()


@pytest.mark.django_db
def test_the_demo_region_is_believable_and_loads_once() -> None:
    call_command("load_demo")
    agencies = Agency.objects.exclude(kind=Agency.Kind.OPERATOR)
    assert agencies.count() >= 10
    assert len({a.country for a in agencies}) >= 6
    kinds = {a.kind for a in agencies}
    assert {"customs", "police", "coast_guard", "drug_control", "fiu", "regional"} <= kinds
    roles_by_agency: dict[str, set[str]] = {}
    for membership in Membership.objects.select_related("agency"):
        roles_by_agency.setdefault(membership.agency.acronym, set()).add(membership.role)
    full_houses = [
        acr
        for acr, roles in roles_by_agency.items()
        if roles >= {"analyst", "liaison", "agency_admin"}
    ]
    assert len(full_houses) >= 2, roles_by_agency
    # every demo user is in their agency's group (the access door acts through it)
    for membership in Membership.objects.select_related("user", "agency"):
        assert membership.user.groups.filter(pk=membership.agency.group_id).exists()

    before = Counter(Agency.objects.values_list("acronym", flat=True))
    call_command("load_demo")
    assert Counter(Agency.objects.values_list("acronym", flat=True)) == before


@pytest.mark.django_db
@override_settings(ENLACE_ENV="production", DEMO_MODE=False)
def test_the_demo_refuses_to_load_in_production() -> None:
    with pytest.raises(CommandError):
        call_command("load_demo")
    with pytest.raises(CommandError):
        call_command("demo_signins")
    assert not Agency.objects.exists()
