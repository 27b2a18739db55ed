"""Cross-cutting request handling: a request id for the audit log, and security headers."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")

# No inline script or style anywhere: every script and stylesheet is a file under /static/.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


class RequestIdMiddleware:
    """Give each request an id (or keep a well-formed ``X-Request-ID`` from the proxy)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        incoming = request.headers.get("X-Request-ID", "")
        request.request_id = incoming if _REQUEST_ID.match(incoming) else uuid.uuid4().hex  # type: ignore[attr-defined]
        response = self.get_response(request)
        response["X-Request-ID"] = request.request_id  # type: ignore[attr-defined]
        return response


class SecurityHeadersMiddleware:
    """CSP and the headers Django's SecurityMiddleware does not set."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if request.path.startswith("/api/docs/"):
            # Vendored Swagger UI sets style attributes; its script is still a file (split view).
            response.setdefault(
                "Content-Security-Policy",
                CONTENT_SECURITY_POLICY.replace(
                    "style-src 'self'", "style-src 'self' 'unsafe-inline'"
                ),
            )
        else:
            response.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        response.setdefault("Cross-Origin-Resource-Policy", "same-origin")
        if getattr(request, "user", None) is not None and request.user.is_authenticated:
            # Pages with case data must not linger in shared browser caches.
            response.setdefault("Cache-Control", "no-store")
        if settings.DEBUG:
            response["X-Enlace-Debug"] = "1"
        return response
