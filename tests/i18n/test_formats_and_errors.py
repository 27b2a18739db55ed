"""Numbers, quantities, dates and country names in the reader's language; error pages too."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from io import BytesIO
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.db import OperationalError
from django.template import Context, Template
from django.test import Client, RequestFactory, override_settings
from django.utils import translation
from rest_framework.exceptions import ParseError

from cases.templatetags.records import amount, quantity
from portal.api.parsers import PortalJSONParser
from portal.failures import server_error
from sharing.access import Count
from sharing.api.serializers import DecisionSerializer


@pytest.mark.parametrize(
    ("language", "grouped", "unit_word", "day", "country"),
    [
        ("en", "1,250.5", "12 tablets", "2026-03-04", "Dominican Republic (DO)"),
        # Spanish and French group with a no-break space (Django's formats: never read as a
        # decimal mark in any country of the region), Portuguese with a dot.
        ("es", "1\xa0250,5", "12 comprimidos", "04/03/2026", "República Dominicana (DO)"),
        ("fr", "1\xa0250,5", "12 comprimés", "04/03/2026", "République dominicaine (DO)"),
        ("pt", "1.250,5", "12 comprimidos", "04/03/2026", "República Dominicana (DO)"),
    ],
)
def test_it_formats_per_language(
    language: str, grouped: str, unit_word: str, day: str, country: str
) -> None:
    template = Template(
        '{% load records %}{{ d|date:"SHORT_DATE_FORMAT" }}|{{ c|country }}|{{ n|amount }}'
    )
    with translation.override(language):
        assert amount(Decimal("1250.500")) == grouped
        assert quantity(Decimal("1250.5"), "kg") == f"{grouped} kg"
        assert quantity(Decimal("12.000"), "tablets") == unit_word
        rendered = template.render(Context({"d": date(2026, 3, 4), "c": "DO", "n": 3}))
        assert rendered == f"{day}|{country}|3"


def test_a_capped_count_is_grouped_per_language() -> None:
    with translation.override("pt"):
        assert str(Count(10000, capped=True)) == "10.000+"
    with translation.override("en"):
        assert str(Count(10000, capped=True)) == "10,000+"


@pytest.mark.parametrize(
    ("language", "title"),
    [
        ("en", "Page not found"),
        ("es", "Página no encontrada"),
        ("fr", "Page introuvable"),
        ("pt", "Página não encontrada"),
    ],
)
def test_the_not_found_page_speaks_the_readers_language(
    language: str, title: str, region: dict[str, Any], signed_in: Callable[[User], Client]
) -> None:
    client = signed_in(region["jca_analyst"])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    page = response.content.decode()
    assert title in page and f'<html lang="{language}">' in page
    api = client.get("/api/v1/no-such-endpoint/")
    assert api.status_code == 404 and api.json()["detail"]


@pytest.mark.django_db
def test_a_stale_form_gets_a_translated_page() -> None:
    client = Client(enforce_csrf_checks=True, headers={"accept-language": "fr"})
    response = client.post("/accounts/login/", {"username": "x", "password": "y"})
    assert response.status_code == 403
    assert "Ce formulaire a expiré" in response.content.decode()


@pytest.mark.parametrize(
    ("language", "too_large", "limit", "nested", "note", "unavailable"),
    [
        (
            "es",
            "Solicitud demasiado grande",
            "La solicitud supera lo que acepta el portal",
            "Error de análisis JSON",
            "Escriba una nota para la decisión.",
            "El servicio no está disponible por un momento.",
        ),
        (
            "fr",
            "Requête trop volumineuse",
            "La requête dépasse ce que le portail accepte",
            "Erreur d'analyse JSON",
            "Écrivez une note pour la décision.",
            "Le service est brièvement indisponible.",
        ),
        (
            "pt",
            "Requisição grande demais",
            "A requisição é maior do que o portal aceita",
            "Erro de análise JSON",
            "Escreva uma nota para a decisão.",
            "O serviço está indisponível por um instante.",
        ),
    ],
)
def test_refusals_of_bad_input_and_outages_speak_the_readers_language(
    language: str,
    too_large: str,
    limit: str,
    nested: str,
    note: str,
    unavailable: str,
    region: dict[str, Any],
    signed_in: Callable[[User], Client],
) -> None:
    """The answers of RELIABILITY.md §1 and §3 as a reader of each language gets them: a body
    above the limit (page and API), JSON nested too deeply, a share decision without its note,
    a store that is down."""
    client = signed_in(region["jca_analyst"])
    client.raise_request_exception = False
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    with override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=10_000):
        page = client.post("/cases/new/", {"title": "x" * 20_000, "tlp": "GREEN"})
        api = client.post(
            "/api/v1/cases/",
            data=json.dumps({"title": "x" * 20_000, "tlp": "GREEN"}),
            content_type="application/json",
        )
    assert page.status_code == 413 and api.status_code == 413
    assert too_large in page.content.decode() and limit in page.content.decode()
    assert limit in api.json()["detail"]

    deep = ("[" * 100_000 + "]" * 100_000).encode()
    with translation.override(language):
        with pytest.raises(ParseError) as refused:
            PortalJSONParser().parse(BytesIO(deep), "application/json", {})
        assert nested in str(refused.value.detail)
        decision = DecisionSerializer(data={})
        assert not decision.is_valid()
        assert decision.errors["note"] == [note]

    request = RequestFactory().get("/cases/", headers={"accept-language": language})
    with translation.override(language):
        try:
            raise OperationalError("the server closed the connection")
        except OperationalError:
            answer = server_error(request)  # Django's handler500, inside the exception
    assert answer.status_code == 503 and unavailable in answer.content.decode()
