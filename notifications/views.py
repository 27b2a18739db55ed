"""Pages of the notification centre, preferences and webhooks (Bootstrap + htmx)."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, cast
from uuid import UUID

from django.conf import settings
from django.contrib import messages as django_messages
from django.contrib.auth.models import User
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from notifications import actions, kinds
from notifications.forms import PreferencesForm, WebhookForm
from notifications.models import Notification, WebhookAttempt, WebhookDelivery, WebhookEndpoint
from notifications.presenting import present, target_url
from portal.api.permissions import is_member

PAGE_SIZE = 25
View = Callable[..., HttpResponse]


def _verified(request: HttpRequest) -> bool:
    user = request.user
    return bool(user.is_authenticated and getattr(user, "is_verified", lambda: False)())


def member_required(view: View) -> View:
    """A signed-in member whose second factor is verified; anyone else signs in first."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not _verified(request):
            return redirect_to_login(request.get_full_path())
        if not is_member(request.user):
            raise Http404
        return view(request, *args, **kwargs)

    return wrapped


def _unread(request: HttpRequest) -> int:
    return Notification.objects.filter(user=cast(User, request.user), read_at__isnull=True).count()


@member_required
@require_GET
def notification_list(request: HttpRequest) -> HttpResponse:
    only_unread = request.GET.get("unread") == "1"
    queryset = Notification.objects.filter(user=cast(User, request.user)).select_related("event")
    if only_unread:
        queryset = queryset.filter(read_at__isnull=True)
    page = Paginator(queryset.order_by("-created_at", "-id"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "notifications/list.html",
        {
            "page": page,
            "items": present(request.user, list(page.object_list)),
            "only_unread": only_unread,
            "unread_count": _unread(request),
        },
    )


def _open(request: HttpRequest, notification: Notification) -> HttpResponse:
    actions.mark_read(request.user, [notification.pk])  # type: ignore[arg-type]
    shown = present(request.user, [notification])[0]
    if shown.available:
        target = target_url(notification.event)
        if target:
            return redirect(target)
    return render(request, "notifications/open.html", {"item": shown})


@member_required
@require_GET
def open_notification(request: HttpRequest, pk: int) -> HttpResponse:
    notification = get_object_or_404(
        Notification.objects.select_related("event"), pk=pk, user=request.user
    )
    return _open(request, notification)


@member_required
@require_GET
def open_event(request: HttpRequest, event_id: UUID) -> HttpResponse:
    """The link in e-mails and webhook payloads: the reader's own notification of the event."""
    notification = get_object_or_404(
        Notification.objects.select_related("event"), event_id=event_id, user=request.user
    )
    return _open(request, notification)


@member_required
@require_POST
def mark_read(request: HttpRequest, pk: int) -> HttpResponse:
    notification = get_object_or_404(
        Notification.objects.select_related("event"), pk=pk, user=request.user
    )
    actions.mark_read(request.user, [pk])  # type: ignore[arg-type]
    if request.htmx:  # type: ignore[attr-defined]
        notification.refresh_from_db(fields=["read_at"])
        item = present(request.user, [notification])[0]
        return render(request, "notifications/_item.html", {"item": item})
    return redirect("notifications:list")


@member_required
@require_POST
def mark_all_read(request: HttpRequest) -> HttpResponse:
    actions.mark_all_read(request.user)  # type: ignore[arg-type]
    return redirect("notifications:list")


@never_cache
@require_GET
def unread_count(request: HttpRequest) -> HttpResponse:
    """The nav-bar badge, polled by htmx. 204 (nothing to swap) when the count is unchanged;
    once the session has ended, the page goes to the sign-in page."""
    if not _verified(request) or not is_member(request.user):
        response = HttpResponse(status=200)
        response["HX-Redirect"] = f"{reverse(settings.LOGIN_URL)}"
        return response
    count = _unread(request)
    if request.GET.get("shown") == str(count):
        return HttpResponse(status=204)
    return render(
        request,
        "notifications/_badge.html",
        {"unread_count": count, "poll_seconds": settings.NOTIFY_POLL_SECONDS},
    )


@member_required
@require_http_methods(["GET", "POST"])
def preferences(request: HttpRequest) -> HttpResponse:
    user = request.user
    modes = actions.preferences_of(user)  # type: ignore[arg-type]
    form = PreferencesForm(request.POST or None, initial_modes=modes)
    if request.method == "POST" and form.is_valid():
        try:
            actions.set_preferences(user, form.cleaned_data, request=request)  # type: ignore[arg-type]
        except ValidationError as exc:
            for name, messages in exc.message_dict.items():
                form.add_error(name if name in form.fields else None, messages)
        else:
            django_messages.success(request, _("Your notification preferences were saved."))
            return redirect("notifications:preferences")
    security = [k for k in kinds.KINDS.values() if k.security]
    return render(request, "notifications/preferences.html", {"form": form, "security": security})


# --- webhooks (agency admins) ------------------------------------------------------------------


def _admin_agency_id(request: HttpRequest) -> int:
    membership = getattr(request.user, "membership", None)
    if membership is None or not membership.is_agency_admin:
        raise Http404
    return int(membership.agency_id)


@member_required
@require_http_methods(["GET", "POST"])
def webhook_list(request: HttpRequest) -> HttpResponse:
    agency_id = _admin_agency_id(request)
    form = WebhookForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            endpoint, secret = actions.register_webhook(
                request.user,  # type: ignore[arg-type]
                url=form.cleaned_data["url"],
                description=form.cleaned_data["description"],
                kinds_wanted=form.cleaned_data["kinds"],
                request=request,
            )
        except ValidationError as exc:
            for name, messages in exc.message_dict.items():
                form.add_error(name if name in form.fields else None, messages)
        else:
            return render(
                request,
                "notifications/webhook_secret.html",
                {"endpoint": endpoint, "secret": secret},
            )
    endpoints = WebhookEndpoint.objects.filter(agency_id=agency_id).order_by("-created_at")
    return render(request, "notifications/webhooks.html", {"form": form, "endpoints": endpoints})


def _endpoint(request: HttpRequest, pk: int) -> WebhookEndpoint:
    agency_id = _admin_agency_id(request)
    return get_object_or_404(
        WebhookEndpoint.objects.select_related("agency"), pk=pk, agency_id=agency_id
    )


@member_required
@require_GET
def webhook_detail(request: HttpRequest, pk: int) -> HttpResponse:
    endpoint = _endpoint(request, pk)
    deliveries = (
        WebhookDelivery.objects.filter(endpoint=endpoint)
        .select_related("event")
        .prefetch_related(
            Prefetch("attempt_log", queryset=WebhookAttempt.objects.order_by("number"))
        )
        .order_by("-created_at", "-id")
    )
    page = Paginator(deliveries, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request, "notifications/webhook_detail.html", {"endpoint": endpoint, "page": page}
    )


@member_required
@require_POST
def webhook_rotate(request: HttpRequest, pk: int) -> HttpResponse:
    endpoint = _endpoint(request, pk)
    secret = actions.rotate_webhook_secret(request.user, endpoint, request=request)  # type: ignore[arg-type]
    return render(
        request,
        "notifications/webhook_secret.html",
        {"endpoint": endpoint, "secret": secret, "rotated": True},
    )


@member_required
@require_POST
def webhook_active(request: HttpRequest, pk: int) -> HttpResponse:
    endpoint = _endpoint(request, pk)
    active = request.POST.get("active") == "1"
    try:
        actions.set_webhook_active(request.user, endpoint, active, request=request)  # type: ignore[arg-type]
    except ValidationError as exc:
        django_messages.error(request, " ".join(exc.messages))
    return redirect("notifications:webhook_detail", pk=endpoint.pk)
