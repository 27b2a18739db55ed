"""Signing in and out, the second factor, the password, recovery codes and API tokens."""

from __future__ import annotations

import base64
import time
from typing import Any

import qrcode
import qrcode.image.svg
from django.contrib import messages
from django.contrib.auth import authenticate, login, update_session_auth_hash
from django.contrib.auth.forms import PasswordChangeForm
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST
from django_otp import login as otp_login
from rest_framework.authtoken.models import Token

from agencies import actions, signin
from agencies.forms import EnrolmentForm, SecondFactorForm, SignInForm, apply_errors
from agencies.middleware import LAST_SEEN_KEY, sign_out, touch
from agencies.models import SignInFailure
from audit.log import record

NEXT_KEY = "enlace_next"


def _safe_next(request: HttpRequest, candidate: str | None) -> str:
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return reverse("home")


def _failure_message() -> str:
    from django.conf import settings

    return _(
        "Wrong username or password, or the account is locked. After %(limit)s failed attempts "
        "in %(minutes)s minutes an account is locked until an admin unlocks it."
    ) % {
        "limit": settings.LOGIN_FAILURE_LIMIT,
        "minutes": settings.LOGIN_FAILURE_WINDOW_SECONDS // 60,
    }


@sensitive_post_parameters("password")
@csrf_protect
@never_cache
@require_http_methods(["GET", "POST"])
def sign_in(request: HttpRequest) -> HttpResponse:
    """First factor. The same message for a wrong password, an unknown user and a locked
    account, so the page tells an attacker nothing; every failure is counted and audited."""
    user = request.user
    if user.is_authenticated and getattr(user, "is_verified", lambda: False)():
        return redirect(_safe_next(request, request.GET.get("next")))
    form = SignInForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        username = form.cleaned_data["username"]
        known = signin.find_user(username)
        reason = None
        if known is not None and signin.is_locked(known):
            reason = "locked"
        else:
            authenticated = authenticate(
                request,
                username=known.username if known else username,
                password=form.cleaned_data["password"],
            )
            if authenticated is None:
                reason = "bad_credentials"
            elif getattr(authenticated, "membership", None) is None:
                reason = "no_agency"
            elif not authenticated.membership.agency.active:
                reason = "agency_inactive"
        if reason is None and known is not None:
            login(request, known, backend="agencies.backends.MemberBackend")
            request.session[NEXT_KEY] = _safe_next(request, request.GET.get("next"))
            request.session[LAST_SEEN_KEY] = time.time()
            request.session.save()
            touch(request)
            record("auth.login", request=request, actor=known, obj=known, stage="password")
            return redirect("two_factor")
        signin.record_failure(request, username, known, SignInFailure.Stage.PASSWORD, reason or "")
        form.add_error(None, _failure_message())
    return render(request, "accounts/login.html", {"form": form})


def _password_only_user(request: HttpRequest) -> User | None:
    user = request.user
    return user if user.is_authenticated else None


@never_cache
def two_factor(request: HttpRequest) -> HttpResponse:
    """Where the second factor happens: enrolment at first sign-in, else verification."""
    user = _password_only_user(request)
    if user is None:
        return redirect("login")
    next_url = request.GET.get("next")
    if next_url:
        request.session[NEXT_KEY] = _safe_next(request, next_url)
    if user.is_verified():  # type: ignore[attr-defined]
        return redirect(request.session.pop(NEXT_KEY, reverse("home")))
    if signin.confirmed_authenticator(user) is None:
        return redirect("two_factor_setup")
    return redirect("two_factor_verify")


def _qr_data_uri(config_url: str) -> str:
    image = qrcode.make(config_url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    svg = image.to_string()
    return "data:image/svg+xml;base64," + base64.b64encode(svg).decode()


def _lock_response(request: HttpRequest) -> HttpResponse:
    sign_out(request, "locked")
    messages.error(request, _failure_message())
    return redirect("login")


@sensitive_post_parameters("code")
@csrf_protect
@never_cache
@require_http_methods(["GET", "POST"])
def two_factor_setup(request: HttpRequest) -> HttpResponse:
    """Enrol an authenticator app: scan the QR code (or type the key), confirm with a code.
    Open at first sign-in, or later from a verified session to replace the phone."""
    user = _password_only_user(request)
    if user is None:
        return redirect("login")
    verified = user.is_verified()  # type: ignore[attr-defined]
    if not verified and signin.confirmed_authenticator(user) is not None:
        return redirect("two_factor_verify")
    device = signin.pending_authenticator(user)
    form = EnrolmentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token("".join(form.cleaned_data["code"].split())):
            codes = actions.confirm_authenticator(user, device, request=request)
            otp_login(request, device)
            request.session.cycle_key()
            touch(request)
            signin.clear_failures(user)
            next_url = request.session.pop(NEXT_KEY, reverse("home"))
            return render(
                request,
                "accounts/recovery_codes.html",
                {"codes": codes, "next_url": next_url, "first_time": not verified},
            )
        if signin.record_failure(
            request, user.username, user, SignInFailure.Stage.OTP, "enrolment_code"
        ):
            return _lock_response(request)
        form.add_error("code", _("This code does not match. Check the phone's clock and retry."))
    secret = base64.b32encode(device.bin_key).decode()
    return render(
        request,
        "accounts/two_factor_setup.html",
        {
            "form": form,
            "qr_data_uri": _qr_data_uri(device.config_url),
            "secret_groups": [secret[i : i + 4] for i in range(0, len(secret), 4)],
            "replacing": verified,
        },
    )


@sensitive_post_parameters("code")
@csrf_protect
@never_cache
@require_http_methods(["GET", "POST"])
def two_factor_verify(request: HttpRequest) -> HttpResponse:
    user = _password_only_user(request)
    if user is None:
        return redirect("login")
    if user.is_verified():  # type: ignore[attr-defined]
        return redirect(request.session.pop(NEXT_KEY, reverse("home")))
    if signin.confirmed_authenticator(user) is None:
        return redirect("two_factor_setup")
    form = SecondFactorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if signin.is_locked(user):
            return _lock_response(request)
        found = signin.verify_second_factor(user, form.cleaned_data["code"])
        if found is not None:
            device, method = found
            otp_login(request, device)
            request.session.cycle_key()
            touch(request)
            actions.second_factor_passed(request, user, device, method)
            if method == "recovery_code":
                messages.warning(
                    request,
                    _("You used a recovery code. %(left)s remain.")
                    % {"left": signin.remaining_recovery_codes(user)},
                )
            return HttpResponseRedirect(request.session.pop(NEXT_KEY, reverse("home")))
        if signin.record_failure(request, user.username, user, SignInFailure.Stage.OTP, "bad_code"):
            return _lock_response(request)
        form.add_error("code", _("This code is not valid. Wait for the next code and retry."))
    return render(request, "accounts/two_factor_verify.html", {"form": form})


@require_POST
@csrf_protect
def sign_out_view(request: HttpRequest) -> HttpResponse:
    sign_out(request, "user")
    messages.info(request, _("You are signed out."))
    return redirect("login")


@never_cache
def security(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    return render(
        request,
        "accounts/security.html",
        {
            "authenticator": signin.confirmed_authenticator(user),
            "recovery_left": signin.remaining_recovery_codes(user),
            "token": Token.objects.filter(user=user).first(),
        },
    )


@sensitive_post_parameters("old_password", "new_password1", "new_password2")
@csrf_protect
@never_cache
@require_http_methods(["GET", "POST"])
def password_change(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    form = PasswordChangeForm(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.change_own_password(user, form.cleaned_data["new_password1"], request=request)
        except ValidationError as exc:
            apply_errors(form, ValidationError({"new_password1": exc.messages}))
        else:
            update_session_auth_hash(request, user)
            messages.success(request, _("Your password was changed. You were told by e-mail."))
            return redirect("account_security")
    return render(request, "accounts/password_change.html", {"form": form})


@require_POST
@csrf_protect
@never_cache
def recovery_codes(request: HttpRequest) -> HttpResponse:
    codes = actions.regenerate_recovery_codes(request.user, request=request)  # type: ignore[arg-type]
    return render(
        request,
        "accounts/recovery_codes.html",
        {"codes": codes, "next_url": reverse("account_security"), "first_time": False},
    )


@csrf_protect
@never_cache
@require_http_methods(["GET", "POST"])
def api_token(request: HttpRequest) -> HttpResponse:
    """Create (shown once) or revoke the user's API token. Reachable only from a session that
    passed the second factor, so every token was issued after two-factor sign-in."""
    user: Any = request.user
    new_key = None
    if request.method == "POST":
        if request.POST.get("action") == "revoke":
            if actions.revoke_api_token(user, request=request):
                messages.success(request, _("Your API token was revoked."))
            return redirect("api_token")
        new_key = actions.create_api_token(user, request=request).key
    token = Token.objects.filter(user=user).first()
    return render(request, "accounts/api_token.html", {"token": token, "new_key": new_key})
