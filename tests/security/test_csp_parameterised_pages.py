"""The CSP crawl over pages that take parameters (record, audit, agency, people, team,
notification and export pages), filled with real records: every response carries the strict
policy, every HTML page renders with no inline script, event handler or style, and every form
it posts carries its CSRF token. A new
parameterised page fails here until it is added to the crawl."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver

from audit.models import AuditEntry
from cases import actions
from hits.models import Hit
from imports import actions as imports
from insight.charts import CHARTS
from insight.exports import EXPORTS
from notifications.models import Event, Notification, WebhookEndpoint
from sharing import actions as sharing
from sharing.models import Grant, Level
from tests import factories
from tests.cases.builders import grant
from tests.imports.helpers import GOOD, csv_file
from tests.insight.conftest import drug, firearm, report
from tests.security.test_headers_and_limits import INLINE_HANDLER, INLINE_SCRIPT, INLINE_STYLE

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256))
FORM = re.compile(r"<form\b([^>]*)>(.*?)</form>", re.I | re.S)


def _posted_forms_without_csrf(html: str) -> list[str]:
    return [
        attrs
        for attrs, body in FORM.findall(html)
        if re.search(r"method=[\"']?post", attrs, re.I) and "csrfmiddlewaretoken" not in body
    ]


def _parameterised_routes() -> set[str]:
    found: set[str] = set()

    def walk(patterns: list[Any], prefix: str) -> None:
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, route)
            elif isinstance(pattern, URLPattern) and ("<" in route or "(?P" in route):
                found.add("/" + route)

    walk(get_resolver().url_patterns, "")
    return {r for r in found if not r.startswith("/api/")}  # the API answers JSON


@pytest.fixture
def world(region: dict[str, Any], tmp_path: Path) -> Iterator[dict[str, Any]]:
    with override_settings(
        MEDIA_ROOT=tmp_path,
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
    ):
        jca, diran = region["jca"], region["diran"]
        owner = region["jca_analyst"]
        case = actions.create_case(
            owner,
            {"title": "Operation Coral <b>", "summary": "Rip-on/rip-off", "tlp": "AMBER"},
        )
        actions.post_message(owner, case.pk, 'Seal "ML-445566" broken <script>x</script>')
        seizure = report(
            owner,
            date(2026, 1, 10),
            case=case.pk,
            place="Kingston Container Terminal",
            items=[drug("cocaine_hcl", "412.5"), firearm("Glock", "9 mm", "BXK421")],
            containers=[{"number": "CSQU3054383", "seal_number": "ML-445566"}],
            vessels=[{"name": "Maersk Demo", "imo": "IMO 9074729"}],
            persons=[{"full_name": "Anna Maria Eriksson", "passport_number": "L898902C3"}],
            organisations=[{"name": "Frutas del Caribe S.A.", "country": "PA"}],
            vehicles=[{"plate": "ABC-123", "country": "JM"}],
        )
        attachment = actions.add_attachment(
            owner, SimpleUploadedFile("x.png", PNG), case_id=case.pk, description="scan"
        )
        factories.trust(jca, diran, 2)
        grant(case, diran, Level.FULL, by=region["jca_liaison"])
        team = factories.team("Kingston Port Control Unit", agencies=[jca, diran])
        event = Event.objects.create(kind="share.approved", object_type="cases.case",
                                     object_id=str(case.pk), record_type="case",
                                     record_id=case.pk)  # fmt: skip
        note = Notification.objects.create(user=owner, event=event)
        asked = sharing.request_access(
            region["diran_analyst"], case, level=Level.CONTRIBUTE, justification="Joint operation"
        )
        report(  # DIRAN's own report on the same container: a deconfliction hit
            region["diran_analyst"],
            date(2026, 1, 12),
            country="CO",
            items=[drug("cocaine_hcl", "7")],
            containers=[{"number": "CSQU 305438 3"}],
        )
        webhook = WebhookEndpoint.objects.create(
            agency=jca, url="https://partner.example/hook", secret="s" * 32, created_by=owner
        )
        upload = imports.upload(owner, csv_file([GOOD]))
        yield {
            **region,
            "operator": factories.platform_admin(),
            "upload": upload,
            "case": case,
            "seizure": seizure,
            "attachment": attachment,
            "team": team,
            "event": event,
            "note": note,
            "webhook": webhook,
            "share_request": asked,
            "grant": Grant.objects.latest("id"),
            "hit": Hit.objects.latest("id"),
        }


def _paths(w: dict[str, Any]) -> dict[str, list[str]]:
    """Each parameterised route, filled with real ids (and every key where it takes one)."""
    case, seizure, jca, diran = w["case"], w["seizure"], w["jca"], w["diran"]
    person = w["jca_analyst"].pk
    entry = AuditEntry.objects.filter(action="case.created").latest("id").pk
    return {
        "/agencies/<int:pk>/": [f"/agencies/{jca.pk}/", f"/agencies/{diran.pk}/"],
        "/agencies/<int:pk>/edit/": [f"/agencies/{jca.pk}/edit/"],
        "/agencies/trust/<int:from_pk>/<int:to_pk>/": [f"/agencies/trust/{jca.pk}/{diran.pk}/"],
        "/agencies/trust/<int:from_pk>/<int:to_pk>/edit/": [
            f"/agencies/trust/{jca.pk}/{diran.pk}/edit/"
        ],
        "/agencies/people/<int:pk>/": [f"/agencies/people/{person}/"],
        "/agencies/people/<int:pk>/unlock/": [f"/agencies/people/{person}/unlock/"],
        "/agencies/people/<int:pk>/reset-second-factor/": [
            f"/agencies/people/{person}/reset-second-factor/"
        ],
        "/agencies/teams/<int:pk>/": [f"/agencies/teams/{w['team'].pk}/"],
        "/agencies/teams/<int:pk>/edit/": [f"/agencies/teams/{w['team'].pk}/edit/"],
        "/cases/<int:pk>/": [f"/cases/{case.pk}/"],
        "/cases/<int:pk>/edit/": [f"/cases/{case.pk}/edit/"],
        "/cases/<int:pk>/messages/": [f"/cases/{case.pk}/messages/"],
        "/cases/<int:pk>/attachments/": [f"/cases/{case.pk}/attachments/"],
        "/cases/attachments/<int:pk>/download/": [
            f"/cases/attachments/{w['attachment'].pk}/download/"
        ],
        "/cases/seizures/<int:pk>/": [f"/cases/seizures/{seizure.pk}/"],
        "/cases/seizures/<int:pk>/edit/": [f"/cases/seizures/{seizure.pk}/edit/"],
        "/cases/seizures/<int:pk>/attachments/": [f"/cases/seizures/{seizure.pk}/attachments/"],
        "/cases/seizures/rows/<str:kind>/": [
            f"/cases/seizures/rows/{kind}/" for kind in ("items", "persons", "vessels")
        ],
        "/cases/check/<str:kind>/": ["/cases/check/container/?number=CSQU3054384"],
        "/notifications/<int:pk>/open/": [f"/notifications/{w['note'].pk}/open/"],
        "/notifications/<int:pk>/read/": [f"/notifications/{w['note'].pk}/read/"],
        "/notifications/event/<uuid:event_id>/": [f"/notifications/event/{w['event'].pk}/"],
        "/notifications/webhooks/<int:pk>/": [f"/notifications/webhooks/{w['webhook'].pk}/"],
        "/notifications/webhooks/<int:pk>/rotate/": [
            f"/notifications/webhooks/{w['webhook'].pk}/rotate/"
        ],
        "/notifications/webhooks/<int:pk>/active/": [
            f"/notifications/webhooks/{w['webhook'].pk}/active/"
        ],
        "/audit/<int:pk>/": [f"/audit/{entry}/"],
        "/insight/charts/<slug:key>.json": [f"/insight/charts/{k}.json" for k in CHARTS],
        "/insight/charts/<slug:key>.csv": [f"/insight/charts/{k}.csv" for k in CHARTS],
        "/insight/cases/<int:pk>/summary.pdf": [f"/insight/cases/{case.pk}/summary.pdf"],
        "/exports/<slug:key>.<slug:fmt>": [f"/exports/{k}.csv" for k in EXPORTS]
        + [f"/exports/{k}.xlsx" for k in EXPORTS],
        "/imports/<int:pk>/": [f"/imports/{w['upload'].pk}/"],
        "/sharing/grants/<int:pk>/revoke/": [f"/sharing/grants/{w['grant'].pk}/revoke/"],
        **{
            f"/sharing/requests/<int:pk>/{tail}": [
                f"/sharing/requests/{w['share_request'].pk}/{tail}"
            ]
            for tail in ("", "approve/", "deny/", "answer/", "withdraw/")
        },
        **{
            f"/hits/<int:pk>/{tail}": [f"/hits/{w['hit'].pk}/{tail}"]
            for tail in ("", "status/", "request/")
        },
    }


# Pages a reader opens in the browser (GET renders HTML for at least one of the crawlers).
HTML_PAGES = {
    "/agencies/<int:pk>/",
    "/agencies/<int:pk>/edit/",
    "/agencies/trust/<int:from_pk>/<int:to_pk>/edit/",
    "/agencies/people/<int:pk>/",
    "/agencies/teams/<int:pk>/",
    "/agencies/teams/<int:pk>/edit/",
    "/cases/<int:pk>/",
    "/cases/<int:pk>/edit/",
    "/cases/seizures/<int:pk>/",
    "/cases/seizures/<int:pk>/edit/",
    "/notifications/webhooks/<int:pk>/",
    "/audit/<int:pk>/",
    "/sharing/requests/<int:pk>/",
    "/hits/<int:pk>/",
    "/imports/<int:pk>/",
}


def _assert_strict_policy(response: Any, path: str) -> None:
    csp = response.get("Content-Security-Policy", "")
    if csp.startswith("default-src 'none'"):  # file downloads: nothing runs at all
        assert "sandbox" in csp, path
        return
    assert "script-src 'self'" in csp, path
    assert "unsafe-inline" not in csp.split("script-src", 1)[1].split(";")[0], path
    assert "frame-ancestors 'none'" in csp, path


def test_parameterised_pages_have_a_strict_csp_and_no_inline_script_or_style(
    world: dict[str, Any], signed_in: Any
) -> None:
    crawlers = {
        "platform admin": signed_in(world["operator"]),
        "owner's admin": signed_in(world["jca_agency_admin"]),
        "owner's analyst": signed_in(world["jca_analyst"]),
        "owner's liaison": signed_in(world["jca_liaison"]),
        "partner's analyst": signed_in(world["diran_analyst"]),
        "signed out": Client(),
    }
    rendered: dict[str, set[str]] = {}
    table = _paths(world)
    assert set(table) == _parameterised_routes()  # a new page must join this crawl
    for route, paths in table.items():
        for path in paths:
            for who, client in crawlers.items():
                response = client.get(path, headers={"HX-Request": "true"} if "rows" in path
                                      else {})  # fmt: skip
                _assert_strict_policy(response, f"{who} {path}")
                content_type = response.get("Content-Type", "")
                if response.status_code != 200 or "text/html" not in content_type:
                    continue
                html = response.content.decode()
                assert not INLINE_SCRIPT.search(html), f"{who} {path}"
                assert not INLINE_HANDLER.search(html), f"{who} {path}"
                assert not INLINE_STYLE.search(html), f"{who} {path}"
                assert not _posted_forms_without_csrf(html), f"{who} {path}"
                rendered.setdefault(route, set()).add(who)
    missing = {route for route in HTML_PAGES if route not in rendered}
    assert not missing, f"pages never rendered by any crawler: {sorted(missing)}"
    # the record and agency pages were rendered for the partner too, not only the owner
    assert "partner's analyst" in rendered["/cases/<int:pk>/"]
    assert "partner's analyst" in rendered["/cases/seizures/<int:pk>/"]
    assert "platform admin" in rendered["/audit/<int:pk>/"]
    assert "owner's admin" in rendered["/audit/<int:pk>/"]
