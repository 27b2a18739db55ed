"""API authentication: a token (issued only after two-factor sign-in) or a verified session."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from drf_spectacular.authentication import SessionScheme
from rest_framework import authentication, exceptions
from rest_framework.request import Request


def _speak_saved_language(request: Request, user: Any) -> None:
    """A script that names no language (no Accept-Language) is answered in its owner's saved
    language, as their pages and e-mails are."""
    from agencies.language import saved_language, supported

    code = saved_language(user)
    if "HTTP_ACCEPT_LANGUAGE" not in request.META and code and supported(code):
        translation.activate(code)
        request._request.LANGUAGE_CODE = code


class VerifiedTokenAuthentication(authentication.TokenAuthentication):
    """``Authorization: Token <key>``. Tokens are issued only to users who passed the second
    factor (or by an operator with ``manage.py drf_create_token``), so a token is verified."""

    def authenticate_credentials(self, key: str) -> tuple[Any, Any]:
        # One query for the token, its user, the user's membership and agency: the permission
        # check (portal.api.permissions.is_member) reads all four on every call.
        model = self.get_model()
        try:
            token: Any = model._default_manager.select_related("user__membership__agency").get(
                key=key
            )
        except ObjectDoesNotExist:
            raise exceptions.AuthenticationFailed(_("Invalid token.")) from None
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("User inactive or deleted."))
        return (token.user, token)

    def authenticate(self, request: Request) -> tuple[Any, Any] | None:
        result = super().authenticate(request)
        if result is not None:
            user = result[0]
            user.otp_device = None
            user.is_verified = lambda: True  # the token itself was issued after 2FA
            _speak_saved_language(request, user)
        return result


class VerifiedSessionAuthentication(authentication.SessionAuthentication):
    """A browser session counts only once its second factor is verified (django-otp)."""

    def authenticate(self, request: Request) -> tuple[Any, None] | None:
        result = super().authenticate(request)
        if result is None:
            return None
        user, _ = result
        is_verified = getattr(user, "is_verified", None)
        if is_verified is None or not is_verified():
            return None
        return result


class VerifiedSessionScheme(SessionScheme):
    """OpenAPI: the verified session is a session cookie (drf-spectacular)."""

    target_class = "portal.api.authentication.VerifiedSessionAuthentication"
