from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from audit.log import flush_pending


class AuditFlushMiddleware:
    """After each request, write again the durable audit entries (denials, failures) whose
    transaction rolled back, now on the committed path (see ``audit.log``)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            return self.get_response(request)
        finally:
            flush_pending()
