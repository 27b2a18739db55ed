"""Every change a user makes to notifications: reading, preferences, webhooks.

Preferences and webhooks are audited (they decide where information leaves the portal);
marking a notification read is the reader's own bookkeeping and is not.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.log import record
from notifications import kinds
from notifications.kinds import EmailMode
from notifications.models import Notification, Preference, WebhookDelivery, WebhookEndpoint
from notifications.webhooks import UnsafeURL, check_url, new_secret


def mark_read(user: User, notification_ids: Iterable[int]) -> int:
    """Mark the user's own notifications read; others' ids are ignored (never touched)."""
    return Notification.objects.filter(
        user=user, pk__in=list(notification_ids), read_at__isnull=True
    ).update(read_at=timezone.now())


def mark_all_read(user: User) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )


def set_preferences(
    user: User, choices: Mapping[str, str], *, request: HttpRequest | None = None
) -> list[str]:
    """Set the e-mail mode per kind. Security kinds always e-mail and cannot be changed."""
    errors = {}
    for kind, mode in choices.items():
        if kind not in kinds.KINDS:
            errors[kind] = _("Unknown kind of notification.")
        elif kinds.KINDS[kind].security:
            errors[kind] = _("Security notifications are always e-mailed.")
        elif mode not in EmailMode.values:
            errors[kind] = _("Choose immediately, daily digest or off.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        current = dict(Preference.objects.filter(user=user).values_list("kind", "email"))
        changed = []
        for kind, mode in choices.items():
            if current.get(kind, kinds.KINDS[kind].default_email) == mode:
                continue
            Preference.objects.update_or_create(user=user, kind=kind, defaults={"email": mode})
            changed.append(kind)
        if changed:
            record(
                "notifications.preferences_changed",
                request=request,
                actor=user,
                object_type="auth.user",
                object_id=user.pk,
                changed=sorted(changed),
            )
    return changed


def preferences_of(user: User) -> dict[str, str]:
    """The e-mail mode of every kind for this user (defaults where none was chosen)."""
    chosen = dict(Preference.objects.filter(user=user).values_list("kind", "email"))
    return {
        name: EmailMode.IMMEDIATE if kind.security else chosen.get(name, kind.default_email)
        for name, kind in kinds.KINDS.items()
    }


# --- webhooks ------------------------------------------------------------------------------------


def _check_admin(user: User, agency_id: int) -> None:
    membership = getattr(user, "membership", None)
    if membership is None or not membership.is_agency_admin or membership.agency_id != agency_id:
        raise PermissionError("only the agency's admins manage its webhooks")


def register_webhook(
    user: User,
    *,
    url: str,
    description: str = "",
    kinds_wanted: Iterable[str] = (),
    request: HttpRequest | None = None,
) -> tuple[WebhookEndpoint, str]:
    """Register a URL for the admin's agency. Returns the endpoint and its secret, which is
    shown once and never again."""
    membership = getattr(user, "membership", None)
    if membership is None:
        raise PermissionError("no agency")
    _check_admin(user, membership.agency_id)
    wanted = sorted(set(kinds_wanted))
    errors: dict[str, Any] = {}
    unknown = [k for k in wanted if k not in kinds.KINDS or kinds.KINDS[k].security]
    if unknown:
        errors["kinds"] = _("Unknown kinds: %(kinds)s") % {"kinds": ", ".join(unknown)}
    try:
        check_url(url)
    except UnsafeURL as exc:
        errors["url"] = str(exc)
    if errors:
        raise ValidationError(errors)
    secret = new_secret()
    with transaction.atomic():
        endpoint = WebhookEndpoint.objects.create(
            agency_id=membership.agency_id,
            url=url,
            description=description,
            kinds=wanted,
            secret=secret,
            created_by=user,
        )
        record(
            "webhook.created",
            request=request,
            actor=user,
            obj=endpoint,
            object_agency=endpoint.agency,
            url=url,
            kinds=wanted,
        )
    return endpoint, secret


def rotate_webhook_secret(
    user: User, endpoint: WebhookEndpoint, *, request: HttpRequest | None = None
) -> str:
    _check_admin(user, endpoint.agency_id)
    secret = new_secret()
    with transaction.atomic():
        endpoint.secret = secret
        endpoint.secret_rotated_at = timezone.now()
        endpoint.save(update_fields=["secret", "secret_rotated_at"])
        record(
            "webhook.secret_rotated",
            request=request,
            actor=user,
            obj=endpoint,
            object_agency=endpoint.agency,
        )
    return secret


def set_webhook_active(
    user: User, endpoint: WebhookEndpoint, active: bool, *, request: HttpRequest | None = None
) -> None:
    """Pause or resume an endpoint. Pausing gives up its pending deliveries."""
    _check_admin(user, endpoint.agency_id)
    if active and endpoint.active is False:
        try:
            check_url(endpoint.url)
        except UnsafeURL as exc:
            raise ValidationError({"url": str(exc)}) from exc
    with transaction.atomic():
        endpoint.active = active
        endpoint.save(update_fields=["active"])
        if not active:
            endpoint.deliveries.filter(status=WebhookDelivery.Status.PENDING).update(
                status=WebhookDelivery.Status.FAILED
            )
        record(
            "webhook.changed",
            request=request,
            actor=user,
            obj=endpoint,
            object_agency=endpoint.agency,
            active=active,
        )
