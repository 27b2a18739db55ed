"""Changes the insight pages make: asking for a record found by an identifier search.

The share request itself is ``sharing.actions.request_access`` (its audit entry, its
notification to the owner's liaison officers); this only turns the search's pointer back into
the record it names, for the one user it was given to, while it is fresh.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from cases.models import SeizureReport
from insight.search import identifier_of_pointer
from sharing import actions as sharing_actions
from sharing.models import ShareRequest


def request_access_from_pointer(
    user: Any,
    token: str,
    *,
    level: int,
    justification: str,
    request: HttpRequest | None = None,
) -> ShareRequest:
    """Ask the owner of a record that matched the user's identifier search (404 when the
    pointer is not theirs, is stale, or the record may not be revealed)."""
    identifier = identifier_of_pointer(user, token)
    # The record is named to the sharing action only; nothing of it is shown to the user.
    record = SeizureReport.objects.select_related("case").get(pk=identifier.seizure_id)
    return sharing_actions.request_access(
        user,
        record,
        level=level,
        justification=justification,
        match=identifier,
        request=request,
    )
