"""The interface language is each person's: chosen once, saved on their membership, applied
at every sign-in (any browser), and used for their e-mails."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.test import Client

from agencies.models import Membership
from tests import factories
from tests.agencies.conftest import enrolled


def _language_of(user: User) -> str:
    return Membership.objects.get(user=user).language


def test_it_saves_a_signed_in_persons_choice(
    region: dict[str, Any], signed_in: Callable[[User], Client]
) -> None:
    analyst = region["jca_analyst"]
    client = signed_in(analyst)
    response = client.post("/i18n/setlang/", {"language": "fr", "next": "/cases/"})
    assert response.status_code == 302
    assert _language_of(analyst) == "fr"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "fr"
    assert '<html lang="fr">' in client.get("/cases/").content.decode()


def test_it_ignores_an_unknown_language_and_anonymous_choices(region: dict[str, Any]) -> None:
    analyst = region["jca_analyst"]
    before = _language_of(analyst)
    Client().post("/i18n/setlang/", {"language": "pt", "next": "/accounts/login/"})
    assert _language_of(analyst) == before
    client = Client()
    client.force_login(analyst)
    client.post("/i18n/setlang/", {"language": "xx", "next": "/"})
    assert _language_of(analyst) == before


def test_the_choice_survives_sign_out_and_follows_the_person_to_another_browser(
    region: dict[str, Any], signed_in: Callable[[User], Client]
) -> None:
    analyst = region["diran_analyst"]
    enrolled(analyst)
    client = signed_in(analyst)
    client.post("/i18n/setlang/", {"language": "pt", "next": "/"})
    client.post("/accounts/logout/")
    assert "Sign in" not in client.get("/accounts/login/").content.decode()  # cookie kept

    browser = Client()  # another machine: no cookie, English by default
    assert "Sign in to Enlace" in browser.get("/accounts/login/").content.decode()
    response = browser.post(
        "/accounts/login/", {"username": analyst.username, "password": factories.PASSWORD}
    )
    assert response.status_code == 302
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "pt"
    page = browser.get(response["Location"], follow=True).content.decode()
    assert "Confirme que é você" in page
    assert '<html lang="pt">' in page


def test_the_saved_language_beats_the_browsers_at_sign_in(region: dict[str, Any]) -> None:
    liaison = region["jca_liaison"]
    Membership.objects.filter(user=liaison).update(language="es")
    enrolled(liaison)
    browser = Client()
    browser.post("/i18n/setlang/", {"language": "fr", "next": "/accounts/login/"})
    response = browser.post(
        "/accounts/login/", {"username": liaison.username, "password": factories.PASSWORD}
    )
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "es"
    page = browser.get(response["Location"], follow=True).content.decode()
    assert "Confirme que es usted" in page


def test_a_signed_in_browser_without_the_cookie_gets_the_saved_language(
    region: dict[str, Any], signed_in: Callable[[User], Client]
) -> None:
    analyst = region["jca_analyst"]
    Membership.objects.filter(user=analyst).update(language="fr")
    client = signed_in(analyst)
    client.cookies.pop(settings.LANGUAGE_COOKIE_NAME, None)
    response = client.get("/cases/")
    assert '<html lang="fr">' in response.content.decode()
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "fr"


def test_the_api_answers_a_token_in_its_owners_language_unless_told_otherwise(
    region: dict[str, Any],
) -> None:
    from rest_framework.authtoken.models import Token

    analyst = region["jca_analyst"]
    Membership.objects.filter(user=analyst).update(language="fr")
    token = Token.objects.create(user=analyst)
    client = Client(headers={"authorization": f"Token {token.key}"})
    body = {"title": "", "tlp": "AMBER"}
    saved = client.post("/api/v1/cases/", body, content_type="application/json")
    assert saved.status_code == 400
    assert saved["Content-Language"] == "fr"
    assert saved.json()["title"] == ["Ce champ ne peut être vide."]
    asked = client.post(
        "/api/v1/cases/", body, content_type="application/json", headers={"accept-language": "pt"}
    )
    assert asked["Content-Language"] == "pt"
    assert asked.json()["title"] == ["Este campo não pode ser em branco."]


def test_an_admin_sets_a_new_persons_language_for_their_first_e_mails(
    region: dict[str, Any], signed_in: Callable[[User], Client]
) -> None:
    admin = signed_in(region["jca_agency_admin"])
    response = admin.post(
        "/agencies/people/new/",
        {
            "username": "nouvelle",
            "email": "nouvelle@example.org",
            "agency": region["jca"].pk,
            "role": "analyst",
            "language": "fr",
            "password": "a long enough passphrase 42",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    person = User.objects.get(username="nouvelle")
    assert _language_of(person) == "fr"
    page = admin.get(f"/agencies/people/{person.pk}/").content.decode()
    assert '<option value="fr" selected>' in page


def test_the_picker_is_a_plain_form_applied_by_its_labelled_button(
    region: dict[str, Any], signed_in: Callable[[User], Client]
) -> None:
    # WCAG 3.2.2 (On Input): choosing an option must not navigate; only the button does, and
    # it works without JavaScript (a plain POST form).
    page = signed_in(region["jca_analyst"]).get("/cases/").content.decode()
    form = re.search(r'<form action="/i18n/setlang/" method="post"[^>]*>(.*?)</form>', page, re.S)
    assert form is not None
    picker = form.group(1)
    assert '<label for="language-select" class="visually-hidden">Language</label>' in picker
    assert re.search(r'<select id="language-select" name="language"[^>]*>', picker)
    assert not re.search(r"\bon\w+=", picker)  # no inline handler (the CSP forbids them anyway)
    button = re.search(r'<button type="submit"[^>]*>([^<]*)</button>', picker)
    assert button is not None and button.group(1).strip() == "Change language"
    french = signed_in(region["jca_analyst"])
    french.post("/i18n/setlang/", {"language": "fr", "next": "/cases/"})
    assert ">Changer de langue</button>" in french.get("/cases/").content.decode()


def test_no_script_submits_a_form_when_a_choice_changes() -> None:
    # the portal's scripts listen to "change" only for what keeps the person on the page
    for script in (settings.BASE_DIR / "static" / "js").glob("*.js"):
        source = script.read_text()
        for listener in re.finditer(r'addEventListener\(\s*"(change|input)"', source):
            handler = source[listener.end() : listener.end() + 600]
            handler = handler[: handler.find("});")]
            assert not re.search(r"\.(submit|requestSubmit)\(|\.click\(\)", handler), script
