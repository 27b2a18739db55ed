"""Sign-in policy: failed attempts, lockout (CJIS: 5 failures in 15 minutes), second factor.

Failures are rows in the database (``SignInFailure``), committed on their own even though the
sign-in fails, so the count survives restarts and is shared by every web process. A locked
account stays locked until a platform admin or the user's agency admin unlocks it
(``agencies.actions.unlock_user``), or an operator runs ``manage.py unlock_user``.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from agencies.models import Membership, SignInFailure
from audit.log import client_ip, record
from audit.models import AuditEntry
from notifications.events import emit

RECOVERY_DEVICE_NAME = "recovery"
RECOVERY_CODE_COUNT = 10
AUTHENTICATOR_NAME = "authenticator"


def find_user(username: str) -> User | None:
    return (
        User.objects.select_related("membership__agency")
        .filter(username__iexact=username.strip())
        .order_by("id")
        .first()
    )


def is_locked(user: User) -> bool:
    membership = getattr(user, "membership", None)
    return membership is not None and membership.locked_at is not None


def recent_failures(user: User) -> int:
    since = timezone.now() - timedelta(seconds=settings.LOGIN_FAILURE_WINDOW_SECONDS)
    return SignInFailure.objects.filter(user=user, at__gte=since).count()


def record_failure(
    request: HttpRequest, username: str, user: User | None, stage: str, reason: str
) -> bool:
    """Count and audit one failed step; lock the account at the limit. Returns True if the
    account is locked now. Runs in its own transaction: it commits although the sign-in fails."""
    action = "auth.login_failed" if stage == SignInFailure.Stage.PASSWORD else "auth.otp_failed"
    with transaction.atomic():
        if user is not None:
            # One failure at a time per account, so concurrent attempts are all counted.
            list(Membership.objects.select_for_update().filter(user=user).values_list("pk"))
        SignInFailure.objects.create(
            username=username[:150], user=user, stage=stage, source_ip=client_ip(request)
        )
        record(
            action,
            request=request,
            actor=user,
            obj=user,
            outcome=AuditEntry.Outcome.FAILURE,
            durable=True,
            username=username[:150],
            reason=reason,
        )
        if user is None or getattr(user, "membership", None) is None:
            return False
        if is_locked(user):
            return True
        if recent_failures(user) < settings.LOGIN_FAILURE_LIMIT:
            return False
        # Only the request that sets locked_at audits and notifies, even under concurrency.
        locked_now = Membership.objects.filter(user=user, locked_at__isnull=True).update(
            locked_at=timezone.now()
        )
        if locked_now:
            user.membership.refresh_from_db(fields=["locked_at"])
            record(
                "auth.locked",
                request=request,
                actor=user,
                obj=user,
                outcome=AuditEntry.Outcome.DENIED,
                durable=True,
                failures=settings.LOGIN_FAILURE_LIMIT,
                window_seconds=settings.LOGIN_FAILURE_WINDOW_SECONDS,
            )
            emit("security.locked", actor=None, obj=user, users=[user])
        return True


def clear_failures(user: User) -> None:
    SignInFailure.objects.filter(user=user).delete()


def confirmed_authenticator(user: Any) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("-id").first()


def pending_authenticator(user: Any) -> TOTPDevice:
    """The unconfirmed authenticator being enrolled (created on first visit)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-id").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=AUTHENTICATOR_NAME, confirmed=False)
    return device


def recovery_device(user: Any) -> StaticDevice | None:
    return StaticDevice.objects.filter(user=user, name=RECOVERY_DEVICE_NAME).first()


def new_recovery_codes(user: Any) -> list[str]:
    """Replace the user's recovery codes with ten new ones, each usable once."""
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=RECOVERY_DEVICE_NAME, confirmed=True)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    return codes


def remaining_recovery_codes(user: Any) -> int:
    return StaticToken.objects.filter(
        device__user=user, device__name=RECOVERY_DEVICE_NAME, device__confirmed=True
    ).count()


def verify_second_factor(user: Any, code: str) -> tuple[Any, str] | None:
    """The device that accepts ``code`` (authenticator first, then a recovery code) and the
    method name, or None. Devices are locked for update so a code is never accepted twice."""
    code = "".join(code.split()).lower()
    if not code:
        return None
    with transaction.atomic():
        if code.isdigit():
            for device in TOTPDevice.objects.select_for_update().filter(user=user, confirmed=True):
                if device.verify_token(code):
                    return device, "authenticator"
        for static in StaticDevice.objects.select_for_update().filter(user=user, confirmed=True):
            if static.verify_token(code):
                return static, "recovery_code"
    return None
