"""The main pages in Spanish, French and Portuguese: translated words, the language's dates
and numbers, and no English interface string left anywhere on the page."""

from __future__ import annotations

import json
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.test import Client

from tests import factories
from tests.cases.builders import seizure_payload
from tests.i18n.scan import ROOT

pytestmark = pytest.mark.django_db

LANGUAGES = ("es", "fr", "pt")
READ_ATTRIBUTES = {"title", "placeholder", "alt", "aria-label"}


class _Visible(HTMLParser):
    """Text nodes and read-aloud attributes of a page, scripts and styles aside."""

    def __init__(self) -> None:
        super().__init__()
        self.texts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        # Scripts, styles and the language picker's names (each language in itself).
        if tag in {"script", "style"} or (tag == "option" and dict(attrs).get("lang")):
            self._hidden += 1
        self.texts += [v.strip() for k, v in attrs if k in READ_ATTRIBUTES and v]

    def handle_endtag(self, tag: str) -> None:
        if tag in {"script", "style"} or (tag == "option" and self._hidden):
            self._hidden -= 1

    def handle_data(self, data: str) -> None:
        if not self._hidden and data.strip():
            self.texts.append(" ".join(data.split()))


def _english_strings(language: str) -> set[str]:
    """Interface strings (msgids of every catalogue) whose translation differs in ``language``."""
    glossary = json.loads((ROOT / "locale" / "glossary.json").read_text(encoding="utf-8"))
    index = LANGUAGES.index(language)
    found = set()
    for key, value in glossary.items():
        translated = value[index]
        if isinstance(translated, list) or "\x04" in key or "%" in key or "{" in key:
            continue
        if translated != key and len(key) > 2:
            found.add(key)
    return found


def _untranslated(html: str, language: str) -> list[str]:
    parser = _Visible()
    parser.feed(html)
    english = _english_strings(language)
    return sorted({text for text in parser.texts if text in english})


def _post(client: Client, path: str, data: dict[str, Any]) -> Any:
    return client.post(path, data=json.dumps(data), content_type="application/json").json()


@pytest.fixture
def world(region: dict[str, Any], signed_in: Callable[[User], Client]) -> dict[str, Any]:
    owner = signed_in(region["jca_analyst"])
    case = _post(owner, "/api/v1/cases/", {"title": "Operation Coral", "tlp": "AMBER"})
    payload = seizure_payload(case=case["id"], seized_on="2026-03-04")
    payload["items"][0]["quantity"] = "1250.5"
    seizure = _post(owner, "/api/v1/seizures/", payload)
    assert "id" in seizure, seizure
    return {"owner": owner, "case": case, "seizure": seizure, "region": region}


def _in(client: Client, language: str) -> Client:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


def _pages(world: dict[str, Any]) -> list[str]:
    case, seizure = world["case"]["id"], world["seizure"]["id"]
    jca = world["region"]["jca"].pk
    return [
        "/",
        "/cases/",
        f"/cases/{case}/",
        f"/cases/{case}/edit/",
        "/cases/new/",
        "/cases/seizures/",
        f"/cases/seizures/{seizure}/",
        f"/cases/seizures/{seizure}/edit/",
        "/cases/seizures/new/",
        "/search/?q=Coral",
        "/exports/",
        "/notifications/",
        "/notifications/preferences/",
        "/agencies/",
        f"/agencies/{jca}/",
        "/agencies/teams/",
        "/accounts/security/",
        "/sharing/shared-with-us/",
        "/sharing/what-we-share/",
        "/sharing/requests/",
        "/hits/",
        "/imports/",
    ]


ADMIN_PAGES = [
    "/audit/",
    "/agencies/people/",
    "/agencies/people/new/",
    "/agencies/trust/",
    "/agencies/new/",
    "/agencies/teams/new/",
]
AGENCY_ADMIN_PAGES = ["/notifications/webhooks/", "/agencies/people/"]
LIAISON_PAGES = ["/sharing/queue/", "/hits/"]


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_english_interface_string_is_left_on_the_main_pages(
    world: dict[str, Any], signed_in: Callable[[User], Client], language: str
) -> None:
    client = _in(world["owner"], language)
    admin = _in(signed_in(factories.platform_admin()), language)
    liaison = _in(signed_in(world["region"]["jca_liaison"]), language)
    agency_admin = _in(signed_in(world["region"]["jca_agency_admin"]), language)
    visits = [(client, p) for p in _pages(world)]
    visits += [(admin, p) for p in ADMIN_PAGES] + [(liaison, p) for p in LIAISON_PAGES]
    visits += [(agency_admin, p) for p in AGENCY_ADMIN_PAGES]
    problems = {}
    for reader, path in visits:
        response = reader.get(path)
        assert response.status_code == 200, path
        html = response.content.decode()
        assert f'<html lang="{language}">' in html, path
        left = _untranslated(html, language)
        if left:
            problems[path] = left
    assert problems == {}, json.dumps(problems, indent=1)


@pytest.mark.parametrize(
    ("language", "heading", "seized", "quantity", "country"),
    [
        ("es", "Informe de incautación", "04/03/2026", "1\xa0250,5 kg", "Jamaica (JM)"),
        ("fr", "Rapport de saisie", "04/03/2026", "1\xa0250,5 kg", "Jamaïque (JM)"),
        ("pt", "Relatório de apreensão", "04/03/2026", "1.250,5 kg", "Jamaica (JM)"),
    ],
)
def test_the_seizure_page_reads_in_the_language_with_its_dates_and_numbers(
    world: dict[str, Any], language: str, heading: str, seized: str, quantity: str, country: str
) -> None:
    client = _in(world["owner"], language)
    page = client.get(f"/cases/seizures/{world['seizure']['id']}/").content.decode()
    assert heading in page
    assert seized in page and "2026-03-04" not in page.replace('datetime="2026-03-04', "")
    assert quantity in page
    assert country in page
    listing = client.get("/cases/seizures/").content.decode()
    assert seized in listing and quantity in listing


def test_english_keeps_iso_dates_and_its_own_numbers(world: dict[str, Any]) -> None:
    page = world["owner"].get(f"/cases/seizures/{world['seizure']['id']}/").content.decode()
    assert "2026-03-04" in page and "1,250.5 kg" in page and "Seizure report" in page


def test_the_scanner_of_pages_finds_english_left_over() -> None:
    html = '<p>Casos</p><button title="Save">Guardar</button><script>var x = "Cases";</script>'
    assert _untranslated(html, "es") == ["Save"]
    assert Path(ROOT / "locale" / "glossary.json").exists()


@pytest.mark.parametrize(
    ("language", "title", "seized", "quantity"),
    [
        ("es", "Resumen del caso", "04/03/2026", "1\xa0250,5 kg"),
        ("fr", "Résumé du dossier", "04/03/2026", "1\xa0250,5 kg"),
        ("pt", "Resumo do caso", "04/03/2026", "1.250,5 kg"),
    ],
)
def test_the_case_summary_pdf_is_printed_in_the_readers_language(
    world: dict[str, Any], language: str, title: str, seized: str, quantity: str
) -> None:
    import io

    from pypdf import PdfReader

    client = _in(world["owner"], language)
    response = client.get(f"/insight/cases/{world['case']['id']}/summary.pdf")
    assert response.status_code == 200
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)
    assert title in text and seized in text
    assert quantity.replace("\xa0", " ") in text.replace("\xa0", " ")
