"""Errors that actions raise and both pages and the API turn into answers.

- ``InvalidInput``: per-field messages, possibly nested (``{"items": {2: {"unit": [...]}}}``);
  the API answers 400 with the same shape (lists for nested rows), pages show them by field.
- ``EditConflict``: someone saved the record since the editor loaded it (optimistic locking
  on ``version``); the API answers 409, pages show a form error and the current version.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


def messages_of(error: ValidationError) -> dict[str, list[str]]:
    """A Django ValidationError as ``{field: [message, ...]}`` (``__all__`` for non-field)."""
    if hasattr(error, "error_dict"):
        return {
            field: [str(m) for m in ValidationError(errs).messages]
            for field, errs in error.error_dict.items()
        }
    return {"__all__": [str(m) for m in error.messages]}


class InvalidInput(Exception):
    """Input refused; nothing was saved."""

    def __init__(self, errors: dict[str, Any]) -> None:
        super().__init__("invalid input")
        self.errors = errors

    @classmethod
    def from_validation_error(cls, error: ValidationError) -> InvalidInput:
        return cls(messages_of(error))


class EditConflict(Exception):
    """The record changed since the editor read it."""

    def __init__(self, current_version: int) -> None:
        super().__init__("edit conflict")
        self.current_version = current_version

    @property
    def message(self) -> str:
        return str(
            _(
                "Someone else saved this record while you were editing it (it is now at "
                "version %(version)s). Reload it, then make your change again."
            )
            % {"version": self.current_version}
        )
