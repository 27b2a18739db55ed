"""Each person's interface language, remembered on their membership.

Choosing a language (the switcher in every page's header) sets the language cookie and, for a
signed-in person, saves the choice on their membership; signing in applies the saved language
(and sets the cookie), so the choice follows the person across sign-out, browsers and
machines. E-mails use the same field (notifications/emails.py).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.views.decorators.http import require_POST
from django.views.i18n import set_language as django_set_language

from agencies.models import Membership

# The language a sign-in chose, for the middleware to put in the response's cookie.
CHOSEN_ATTRIBUTE = "enlace_language_chosen"


def supported(code: str | None) -> bool:
    return bool(code) and code in dict(settings.LANGUAGES) and translation.check_for_language(code)


def saved_language(user: Any) -> str | None:
    membership = getattr(user, "membership", None) if user.is_authenticated else None
    return membership.language if membership is not None else None


def apply(request: HttpRequest, code: str) -> None:
    """Use ``code`` for the rest of this request and remember it in the browser."""
    translation.activate(code)
    request.LANGUAGE_CODE = code
    setattr(request, CHOSEN_ATTRIBUTE, code)


@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """Django's switcher, plus the choice saved on the signed-in person's membership."""
    response = django_set_language(request)
    code = request.POST.get("language")
    user = request.user
    if supported(code) and user.is_authenticated and saved_language(user) not in (None, code):
        Membership.objects.filter(user=user).update(language=code)
    return response


def on_sign_in(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    """``user_logged_in``: the person's saved language replaces the browser's."""
    code = saved_language(user)
    if request is not None and code and supported(code):
        apply(request, code)


def _set_cookie(response: HttpResponse, code: str) -> None:
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        code,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,  # type: ignore[arg-type]
    )


class RememberedLanguageMiddleware:
    """After ``AuthenticationMiddleware``: a signed-in person whose browser has no language
    cookie gets their saved language; a sign-in's language is written to the cookie."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if settings.LANGUAGE_COOKIE_NAME not in request.COOKIES:
            code = saved_language(request.user)
            if code and supported(code):
                apply(request, code)
        response = self.get_response(request)
        chosen = getattr(request, CHOSEN_ATTRIBUTE, None)
        if chosen and settings.LANGUAGE_COOKIE_NAME not in response.cookies:  # switcher wins
            _set_cookie(response, chosen)
        return response
