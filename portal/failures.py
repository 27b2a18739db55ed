"""Answers when something the portal depends on fails in the middle of a request.

Django calls ``server_error`` for any exception a view or middleware let escape (with
``DEBUG`` off). A database that is restarting or unreachable is not a bug but a moment: the
caller gets ``503 Service Unavailable`` with ``Retry-After`` and may simply try again (the
connection is re-established by ``CONN_HEALTH_CHECKS`` on a later request). Anything else is a
``500``. Neither shows a stack trace, and neither touches the database, the session or the
user: the failure may be exactly that they are unreachable. API paths answer JSON in the
API's error shape; pages answer a small page of their own.
"""

from __future__ import annotations

import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

RETRY_AFTER_SECONDS = 5

# Raised by the database driver when the server goes away, restarts, or refuses connections
# (psycopg2's OperationalError/InterfaceError arrive wrapped in Django's own classes).
UNAVAILABLE = (OperationalError, InterfaceError)


def _redis_unavailable(exc: BaseException | None) -> bool:
    try:
        from redis.exceptions import ConnectionError as RedisConnectionError
        from redis.exceptions import TimeoutError as RedisTimeoutError
    except ImportError:  # pragma: no cover - redis is a dependency
        return False
    return isinstance(exc, RedisConnectionError | RedisTimeoutError)


def is_unavailable(exc: BaseException | None) -> bool:
    """A store the portal needs is down (not a defect in the request or the code)."""
    return isinstance(exc, UNAVAILABLE) or _redis_unavailable(exc)


def _wants_json(request: HttpRequest) -> bool:
    return request.path.startswith("/api/") or "application/json" in request.headers.get(
        "Accept", ""
    )


def server_error(request: HttpRequest) -> HttpResponse:
    """``handler500``: 503 + Retry-After when a store is down, 500 otherwise; no trace."""
    exc = sys.exc_info()[1]
    if is_unavailable(exc):
        status = 503
        message = _("The service is briefly unavailable. Try again in a few seconds.")
        template = "errors/503.html"
    else:
        status = 500
        message = _("Something went wrong on our side. The error has been logged.")
        template = "errors/500.html"
    response: HttpResponse
    if _wants_json(request):
        response = JsonResponse({"detail": message}, status=status)
    else:
        # No request context: context processors read the user and the session.
        response = HttpResponse(render_to_string(template, {"message": message}), status=status)
    if status == 503:
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


def _client_error(request: HttpRequest, status: int, title: str, message: str) -> HttpResponse:
    """A 4xx page (or the API's JSON shape) in the reader's language, with nothing of the
    request in it: a 404 must not tell whether anything exists at the address."""
    if _wants_json(request):
        return JsonResponse({"detail": message}, status=status)
    page = render_to_string("errors/client.html", {"title": title, "message": message})
    return HttpResponse(page, status=status)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """Django refused the request before any view. A body above ``DATA_UPLOAD_MAX_MEMORY_SIZE``
    is a ``413`` saying the limit, anything else (too many fields, a bad host) a ``400``."""
    from django.conf import settings
    from django.core.exceptions import RequestDataTooBig

    if isinstance(exception, RequestDataTooBig):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE // (1024 * 1024)
        return _client_error(
            request,
            413,
            _("Request too large"),
            _("The request is larger than the portal accepts (%(limit)s MB).") % {"limit": limit},
        )
    return _client_error(
        request,
        400,
        _("Bad request"),
        _("The request could not be understood. Go back, check what you sent and try again."),
    )


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _client_error(request, 403, _("Not allowed"), _("Your role does not allow this action."))


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _client_error(
        request,
        404,
        _("Page not found"),
        _("There is nothing at this address that you may see."),
    )


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return _client_error(
        request,
        403,
        _("This form has expired"),
        _(
            "The form was open too long or came from another page. Go back, reload the page "
            "and send it again."
        ),
    )
