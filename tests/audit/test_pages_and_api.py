"""Who reads the audit log, through every route: pages, API list/detail/write, CSV export."""

from __future__ import annotations

import csv
import io
from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from audit.log import record
from audit.models import AuditEntry
from tests import factories

ROLES = ("analyst", "liaison", "agency_admin")


def _entry(
    action: str, actor: Any, *, obj_agency: Any = None, outcome: str = "success", **kw: Any
) -> AuditEntry:
    return record(
        action,
        actor=actor,
        object_type=kw.pop("object_type", "cases.case"),
        object_id=kw.pop("object_id", 1),
        object_agency=obj_agency,
        outcome=outcome,
        **kw,
    )


@pytest.fixture
def log(region: dict[str, Any]) -> dict[str, Any]:
    operator = factories.agency("OPS", kind="operator", country="PA")
    platform_admin = factories.user(operator, "agency_admin", username="ops-admin", staff=True)
    jca = region["jca"]
    entries = {
        "jca_own": _entry("case.viewed", region["jca_analyst"], obj_agency=jca, object_id=11),
        "diran_on_jca": _entry(
            "case.viewed", region["diran_analyst"], obj_agency=jca, object_id=12
        ),
        "diran_denied_on_jca": _entry(
            "case.viewed", region["diran_analyst"], obj_agency=jca, object_id=13, outcome="denied"
        ),
        "diran_own": _entry(
            "auth.login", region["diran_liaison"], object_type="auth.user", object_id=5
        ),
    }
    return {**region, "operator": operator, "platform_admin": platform_admin, "entries": entries}


def _ids(payload: dict[str, Any]) -> set[int]:
    return {row["id"] for row in payload["results"]}


def _csv_ids(response: Any) -> set[int]:
    text = b"".join(response.streaming_content).decode()
    rows = list(csv.DictReader(io.StringIO(text)))
    return {int(row["id"]) for row in rows}


# --- who sees what --------------------------------------------------------------------------


def test_a_platform_admin_reads_every_entry(log: dict[str, Any], signed_in: Any) -> None:
    client = signed_in(log["platform_admin"])
    response = client.get("/api/v1/audit/", {"page_size": 200})
    assert response.status_code == 200
    assert {e.pk for e in log["entries"].values()} <= _ids(response.json())


def test_an_agency_admin_reads_their_people_and_every_access_to_their_records(
    log: dict[str, Any], signed_in: Any
) -> None:
    entries = log["entries"]
    jca_admin = signed_in(log["jca_agency_admin"]).get("/api/v1/audit/", {"page_size": 200}).json()
    assert {
        entries["jca_own"].pk,
        entries["diran_on_jca"].pk,
        entries["diran_denied_on_jca"].pk,
    } <= _ids(jca_admin)
    assert entries["diran_own"].pk not in _ids(jca_admin)

    diran_admin = (
        signed_in(log["diran_agency_admin"]).get("/api/v1/audit/", {"page_size": 200}).json()
    )
    assert {
        entries["diran_on_jca"].pk,
        entries["diran_denied_on_jca"].pk,
        entries["diran_own"].pk,
    } <= _ids(diran_admin)
    assert entries["jca_own"].pk not in _ids(diran_admin)


def test_who_looked_at_our_case_shows_the_other_agency_but_not_its_network_details(
    log: dict[str, Any], signed_in: Any
) -> None:
    client = signed_in(log["jca_agency_admin"])
    response = client.get("/api/v1/audit/", {"object_type": "cases.case", "object_id": "12"}).json()
    [row] = response["results"]
    assert (row["actor_username"], row["agency_acronym"], row["action"]) == (
        "diran-analyst",
        "DIRAN",
        "case.viewed",
    )
    assert row["object_agency_acronym"] == "JCA"
    assert row["source_ip"] is None and row["request_id"] is None


def test_a_refused_reader_s_admin_does_not_learn_who_owns_the_record(
    log: dict[str, Any], signed_in: Any
) -> None:
    denied = log["entries"]["diran_denied_on_jca"]
    diran = signed_in(log["diran_agency_admin"]).get(f"/api/v1/audit/{denied.pk}/").json()
    assert diran["outcome"] == "denied"
    assert diran["object_agency"] is None and diran["object_agency_acronym"] is None
    jca = signed_in(log["jca_agency_admin"]).get(f"/api/v1/audit/{denied.pk}/").json()
    assert jca["object_agency_acronym"] == "JCA"


@pytest.mark.parametrize("role", ("analyst", "liaison"))
@pytest.mark.parametrize("agency", ("jca", "diran"))
def test_people_who_are_not_admins_see_no_audit_route(
    log: dict[str, Any], signed_in: Any, role: str, agency: str
) -> None:
    client = signed_in(log[f"{agency}_{role}"])
    own = log["entries"]["jca_own"] if agency == "jca" else log["entries"]["diran_own"]
    for url in (
        "/audit/",
        f"/audit/{own.pk}/",
        "/audit/export.csv",
        "/api/v1/audit/",
        f"/api/v1/audit/{own.pk}/",
        "/api/v1/audit/export/",
    ):
        assert client.get(url).status_code == 404, url


@pytest.mark.parametrize("role", ROLES)
def test_another_agency_cannot_read_change_or_delete_our_audit_entries(
    log: dict[str, Any], signed_in: Any, role: str
) -> None:
    # given JCA's own entry and a DIRAN user of each role
    ours = log["entries"]["jca_own"]
    before = AuditEntry.objects.values().get(pk=ours.pk)
    client = signed_in(log[f"diran_{role}"])
    # when they try every route
    page = client.get(f"/audit/{ours.pk}/")
    api = client.get(f"/api/v1/audit/{ours.pk}/")
    writes = [
        client.put(
            f"/api/v1/audit/{ours.pk}/", {"action": "auth.logout"}, content_type="application/json"
        ),
        client.patch(
            f"/api/v1/audit/{ours.pk}/", {"outcome": "failure"}, content_type="application/json"
        ),
        client.delete(f"/api/v1/audit/{ours.pk}/"),
        client.post("/api/v1/audit/", {"action": "auth.login"}, content_type="application/json"),
    ]
    listed = client.get("/api/v1/audit/", {"page_size": 200})
    exported = client.get("/audit/export.csv")
    exported_api = client.get("/api/v1/audit/export/")
    # then nothing is read, nothing changes
    assert page.status_code == 404
    assert api.status_code == 404
    for response in writes:
        # a non-admin is told nothing (404); an admin of another agency is told the log is
        # read-only (405) — for any id, so existence is not revealed
        assert response.status_code in {404, 405}
        assert "jca" not in response.content.decode().lower()
    if role == "agency_admin":
        assert listed.status_code == 200 and ours.pk not in _ids(listed.json())
        assert exported.status_code == 200 and ours.pk not in _csv_ids(exported)
        assert exported_api.status_code == 200 and ours.pk not in _csv_ids(exported_api)
        assert client.get(f"/api/v1/audit/{ours.pk + 100000}/").status_code == 404
        assert client.put(f"/api/v1/audit/{ours.pk + 100000}/", {}).status_code == 405
    else:
        assert listed.status_code == exported.status_code == exported_api.status_code == 404
    assert AuditEntry.objects.values().get(pk=ours.pk) == before


def test_nobody_signed_out_reads_the_audit_log(log: dict[str, Any]) -> None:
    client = Client()
    assert client.get("/api/v1/audit/").status_code in {401, 403}
    assert client.get("/audit/").status_code == 302
    assert client.get("/audit/export.csv").status_code == 302


def test_a_signed_in_admin_without_second_factor_is_sent_to_verify(log: dict[str, Any]) -> None:
    client = Client()
    client.force_login(log["jca_agency_admin"])
    assert client.get("/audit/").status_code == 302
    assert client.get("/api/v1/audit/").status_code in {401, 403}


# --- filters, pages, export -----------------------------------------------------------------


def test_filters_by_actor_action_object_outcome_and_dates(
    log: dict[str, Any], signed_in: Any
) -> None:
    client = signed_in(log["platform_admin"])
    entries = log["entries"]

    def ids(**params: Any) -> set[int]:
        return _ids(client.get("/api/v1/audit/", {"page_size": 200, **params}).json())

    assert ids(actor="DIRAN-analyst") == {
        entries["diran_on_jca"].pk,
        entries["diran_denied_on_jca"].pk,
    }
    assert entries["diran_own"].pk in ids(action="auth.")
    assert entries["jca_own"].pk not in ids(action="auth.")
    assert ids(object_type="cases.case", object_id="13") == {entries["diran_denied_on_jca"].pk}
    assert entries["diran_denied_on_jca"].pk in ids(outcome="denied")
    assert entries["diran_on_jca"].pk not in ids(outcome="denied")
    today = timezone.now().date()
    assert entries["jca_own"].pk in ids(since=today.isoformat(), until=today.isoformat())
    assert ids(until=(today - timedelta(days=1)).isoformat()) == set()
    bad = client.get("/api/v1/audit/", {"since": "not-a-date"})
    assert bad.status_code == 400 and "since" in bad.json()


def test_the_audit_page_lists_filters_and_shows_an_entry(
    log: dict[str, Any], signed_in: Any
) -> None:
    client = signed_in(log["jca_agency_admin"])
    page = client.get("/audit/", {"actor": "diran-analyst"})
    assert page.status_code == 200
    body = page.content.decode()
    assert "diran-analyst" in body and "jca-analyst" not in body
    assert 'for="id_actor"' in body
    detail = client.get(f"/audit/{log['entries']['diran_on_jca'].pk}/")
    assert detail.status_code == 200 and "case.viewed" in detail.content.decode()
    assert client.get(f"/audit/{log['entries']['diran_own'].pk}/").status_code == 404


def test_a_csv_export_is_itself_audited_with_its_filters_and_row_count(
    log: dict[str, Any], signed_in: Any
) -> None:
    client = signed_in(log["jca_agency_admin"])
    response = client.get("/audit/export.csv", {"action": "case.viewed"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    ids = _csv_ids(response)
    assert ids == {e.pk for k, e in log["entries"].items() if k != "diran_own"}
    exported = AuditEntry.objects.filter(action="audit.exported").latest("id")
    assert exported.actor == log["jca_agency_admin"]
    assert exported.details["filters"] == {"action": "case.viewed"}
    assert exported.details["rows"] == 3


def test_csv_cells_cannot_become_spreadsheet_formulas(log: dict[str, Any], signed_in: Any) -> None:
    record("auth.login_failed", username='=HYPERLINK("x")', outcome="failure")
    response = signed_in(log["platform_admin"]).get(
        "/api/v1/audit/export/", {"action": "auth.login_failed"}
    )
    text = b"".join(response.streaming_content).decode()
    assert "'=HYPERLINK" in text
    assert ",=HYPERLINK" not in text


def test_the_api_list_costs_a_fixed_number_of_queries(log: dict[str, Any], signed_in: Any) -> None:
    client = signed_in(log["jca_agency_admin"])
    client.get("/api/v1/audit/")  # warm the session and membership caches
    with CaptureQueriesContext(connection) as few:
        client.get("/api/v1/audit/")
    for n in range(20):
        record(
            "case.viewed",
            actor=log["diran_analyst"],
            object_type="cases.case",
            object_id=n,
            object_agency=log["jca"],
        )
    with CaptureQueriesContext(connection) as many:
        assert len(client.get("/api/v1/audit/").json()["results"]) > 20
    assert len(many) == len(few)
