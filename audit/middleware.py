from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from audit.log import begin_request, end_request


class AuditFlushMiddleware:
    """After each request: write the sign-in entries Django's signals announced unless the view
    recorded them itself, and write again the durable entries (denials, failures) whose
    transaction rolled back, now on the committed path (see ``audit.log``)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        begin_request(request)
        try:
            return self.get_response(request)
        finally:
            end_request(request)
