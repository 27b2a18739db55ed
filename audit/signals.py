"""Sign-in auditing that works whatever view signs people in: Django's auth signals.

``user_logged_in`` fires when the password step succeeds (the second factor is audited by the
sign-in flow as ``auth.otp_verified`` / ``auth.otp_failed``), ``user_login_failed`` on every
refused password (with the username tried, never the password), ``user_logged_out`` on sign-out.
Failures are durable: they stay in the log even if a surrounding transaction rolls back.
When the sign-in view records the same event itself (with more detail), the signal's entry is
dropped, so each event is logged once (``audit.log.record_unless_recorded``).
"""

from __future__ import annotations

from typing import Any

from celery.signals import task_postrun
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver
from django.http import HttpRequest

from audit.log import flush_pending, record_unless_recorded
from audit.models import AuditEntry


@receiver(user_logged_in, dispatch_uid="audit-login")
def _logged_in(sender: Any, request: HttpRequest | None, user: Any, **_: Any) -> None:
    record_unless_recorded("auth.login", request=request, actor=user, obj=user)


@receiver(user_logged_out, dispatch_uid="audit-logout")
def _logged_out(sender: Any, request: HttpRequest | None, user: Any, **_: Any) -> None:
    if user is None:  # signing out a session that had no user
        return
    record_unless_recorded("auth.logout", request=request, actor=user, obj=user)


@receiver(user_login_failed, dispatch_uid="audit-login-failed")
def _login_failed(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **_: Any
) -> None:
    from django.contrib.auth import get_user_model

    model = get_user_model()
    username = str(credentials.get(model.USERNAME_FIELD) or credentials.get("username") or "")
    known = model._default_manager.filter(**{model.USERNAME_FIELD: username}).first()
    record_unless_recorded(
        "auth.login_failed",
        request=request,
        actor=known,
        object_type="auth.user",
        object_id=known.pk if known is not None else "",
        outcome=AuditEntry.Outcome.FAILURE,
        durable=True,
        username=username,
    )


@task_postrun.connect(dispatch_uid="audit-flush-after-task")
def _after_task(**_: Any) -> None:
    flush_pending()
