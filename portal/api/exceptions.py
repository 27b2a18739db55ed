"""Errors in one shape: ``400`` with per-field messages, ``404`` for what is not visible."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.serializers import as_serializer_error
from rest_framework.views import exception_handler as drf_exception_handler

from portal.errors import EditConflict, InvalidInput


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = _("The record changed since you read it.")
    default_code = "conflict"


def _as_drf(errors: Any) -> Any:
    """Action errors in DRF's shape: ``{field: [messages]}``, nested rows as
    ``{"items": {"2": {"unit": [...]}}}`` (DRF's dict format for list errors)."""
    if isinstance(errors, dict):
        return {
            ("non_field_errors" if k == "__all__" else k): _as_drf(v) for k, v in errors.items()
        }
    if isinstance(errors, list | tuple):
        return [str(e) for e in errors]
    return [str(errors)]


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(as_serializer_error(exc))
    if isinstance(exc, InvalidInput):
        exc = exceptions.ValidationError(_as_drf(exc.errors))
    if isinstance(exc, EditConflict):
        response = drf_exception_handler(Conflict(exc.message), context)
        if response is not None:
            response.data["current_version"] = exc.current_version
        return response
    if isinstance(exc, exceptions.PermissionDenied) and getattr(exc, "hide_as_404", False):
        exc = exceptions.NotFound()
    response = drf_exception_handler(exc, context)
    if response is not None and response.status_code == status.HTTP_429_TOO_MANY_REQUESTS:
        wait = getattr(exc, "wait", None)
        if wait is not None:
            response["Retry-After"] = str(max(1, int(wait)))
    return response
