"""Every page of the portal, by URL name, with the paths to visit in the browser world.

Each URL name of the URLconf (the API apart) is either a page here, with the records it is
opened on, or in ``NOT_PAGES`` with the reason. A new URL that is in neither fails
test_every_url_is_swept_or_said_why_not, so no page escapes the accessibility sweep."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from urllib.parse import urlencode

from django.contrib.auth.models import User
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from audit.models import AuditEntry
from cases.models import Identifier
from insight import search
from tests.browser.world import World

# Reached only before the second factor; test_accessibility walks them in sign-in order.
SIGN_IN_PAGES = {"login", "two_factor_setup", "two_factor_verify"}


Paths = Callable[[World, User], list[str]]


def _one(name: str, *args: object) -> Paths:
    return lambda world, user: [reverse(name, args=args)]


def _pointer(world: World, user: User) -> list[str]:
    """A search pointer to DIRAN's unshared report, issued to ``user`` (tokens are personal)."""
    identifier = Identifier.objects.filter(seizure=world.hidden_seizure).first()
    assert identifier is not None
    token = search.pointer_token(user, identifier.pk)
    return [reverse("insight:pointer_request") + "?" + urlencode({"t": token})]


def _audit_entry(world: World, user: User) -> list[str]:
    entry = AuditEntry.objects.filter(agency=world.jca).order_by("-id").first()
    assert entry is not None
    return [reverse("audit:detail", args=[entry.pk])]


PAGES: dict[str, Paths] = {
    "home": _one("home"),
    "account_security": _one("account_security"),
    "password_change": _one("password_change"),
    "api_token": _one("api_token"),
    "agencies:list": _one("agencies:list"),
    "agencies:create": _one("agencies:create"),
    "agencies:detail": lambda w, u: [reverse("agencies:detail", args=[w.jca.pk])],
    "agencies:edit": lambda w, u: [reverse("agencies:edit", args=[w.jca.pk])],
    "agencies:trust_matrix": _one("agencies:trust_matrix"),
    "agencies:trust_edit": lambda w, u: [
        reverse("agencies:trust_edit", args=[w.jca.pk, w.diran.pk])
    ],
    "agencies:people": _one("agencies:people"),
    "agencies:person_create": _one("agencies:person_create"),
    "agencies:person_edit": lambda w, u: [
        reverse("agencies:person_edit", args=[w.users["analyst"].pk])
    ],
    "agencies:teams": _one("agencies:teams"),
    "agencies:team_create": _one("agencies:team_create"),
    "agencies:team": lambda w, u: [reverse("agencies:team", args=[w.team.pk])],
    "agencies:team_edit": lambda w, u: [reverse("agencies:team_edit", args=[w.team.pk])],
    "cases:list": _one("cases:list"),
    "cases:case_create": _one("cases:case_create"),
    "cases:case": lambda w, u: [
        reverse("cases:case", args=[w.case.pk]),
        reverse("cases:case", args=[w.shared_case.pk]),
    ],
    "cases:case_edit": lambda w, u: [reverse("cases:case_edit", args=[w.case.pk])],
    "cases:seizures": _one("cases:seizures"),
    "cases:seizure_create": _one("cases:seizure_create"),
    "cases:seizure": lambda w, u: [
        reverse("cases:seizure", args=[w.seizure.pk]),
        reverse("cases:seizure", args=[w.shared_seizure.pk]),
    ],
    "cases:seizure_edit": lambda w, u: [reverse("cases:seizure_edit", args=[w.seizure.pk])],
    "notifications:list": _one("notifications:list"),
    "notifications:preferences": _one("notifications:preferences"),
    "notifications:webhooks": _one("notifications:webhooks"),
    "notifications:webhook_detail": lambda w, u: [
        reverse("notifications:webhook_detail", args=[w.webhook.pk])
    ],
    "audit:list": _one("audit:list"),
    "audit:detail": _audit_entry,
    "insight:search": lambda w, u: [
        reverse("insight:search"),
        reverse("insight:search") + "?q=cocaine+Kingston",
    ],
    "insight:pointer_request": _pointer,
    "insight:exports": _one("insight:exports"),
    "sharing:shared_with_us": _one("sharing:shared_with_us"),
    "sharing:what_we_share": _one("sharing:what_we_share"),
    "sharing:queue": _one("sharing:queue"),
    "sharing:requests": _one("sharing:requests"),
    "sharing:request_detail": lambda w, u: [reverse("sharing:request_detail", args=[w.pending.pk])],
    "sharing:request_new": lambda w, u: [
        reverse("sharing:request_new") + f"?kind=access&case={w.shared_case.pk}",
        reverse("sharing:request_new") + f"?kind=rfi&seizure={w.shared_seizure.pk}",
        reverse("sharing:request_new") + f"?kind=offer&case={w.case.pk}",
    ],
    "sharing:grant_revoke": lambda w, u: [reverse("sharing:grant_revoke", args=[w.given_grant.pk])],
    "imports:upload": _one("imports:upload"),
    "imports:detail": lambda w, u: [reverse("imports:detail", args=[w.seizure_import.pk])],
    "hits:list": _one("hits:list"),
    # Swagger UI (vendored) in Enlace's frame; opened and "Try it out" in its own test
    "api-docs": _one("api-docs"),
    "hits:detail": lambda w, u: [reverse("hits:detail", args=[w.hit.pk])],
}

NOT_PAGES: dict[str, str] = {
    "healthz": "plain-text health check",
    "set_language": "POST only, redirects back",
    "javascript-catalog": "JavaScript",
    "logout": "POST only, redirects to sign-in",
    "two_factor": "redirects to set-up or verification",
    "recovery_codes": "POST only; the page it renders is checked in the enrolment test",
    "schema": "OpenAPI document",
    "sharing:request_approve": "POST only (the form is on the queue and request pages)",
    "sharing:request_deny": "POST only (the form is on the queue and request pages)",
    "sharing:request_answer": "POST only (the form is on the queue and request pages)",
    "sharing:request_withdraw": "POST only",
    "hits:status": "POST only",
    "hits:request": "POST only",
    "agencies:trust_cell": "htmx fragment of the trust matrix (checked in place)",
    "agencies:person_unlock": "POST only",
    "agencies:person_reset_second_factor": "POST only",
    "cases:case_message": "POST only",
    "cases:case_attachment": "POST only",
    "cases:attachment": "file download",
    "cases:seizure_attachment": "POST only",
    "cases:seizure_row": "htmx fragment of the seizure form (checked in the form)",
    "cases:units": "htmx fragment of the seizure form",
    "cases:check": "htmx fragment of the seizure form",
    "notifications:unread_count": "htmx fragment of the navigation bar",
    "notifications:read_all": "POST only",
    "notifications:open": "redirects to the record",
    "notifications:read": "POST only",
    "notifications:open_event": "redirects to the record",
    "notifications:webhook_rotate": "POST only",
    "notifications:webhook_active": "POST only",
    "audit:export": "CSV file",
    "insight:chart_json": "JSON",
    "insight:chart_csv": "CSV file",
    "insight:case_pdf": "PDF file",
    "insight:export": "CSV or Excel file",
}


def _walk(
    patterns: Sequence[URLPattern | URLResolver], prefix: str = "", namespace: str = ""
) -> Iterator[tuple[str, str]]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern), inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}{pattern.name}", prefix + str(pattern.pattern)


def url_names() -> dict[str, str]:
    """URL name → route, for every named URL outside the API."""
    return {
        name: route
        for name, route in _walk(get_resolver().url_patterns)
        if not route.startswith("api/v1/")
    }
