"""Record pages: lists through the door with filters and capped counts, case and seizure pages
rendered by access level, forms with per-field errors, optimistic locking, htmx helpers."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from audit.models import AuditEntry
from cases.models import Case, CaseMessage, Identifier, SeizureItem, SeizureReport
from notifications.models import Event
from sharing.models import Level
from tests import factories
from tests.cases.builders import grant, seizure_payload

pytestmark = pytest.mark.django_db

NESTED = ("items", "persons", "organisations", "vessels", "containers", "flights", "vehicles")


def api_post(client: Client, path: str, data: dict[str, Any]) -> Any:
    return client.post(path, data=json.dumps(data), content_type="application/json").json()


def form_data(payload: dict[str, Any], **rows_existing: int) -> dict[str, Any]:
    """A seizure payload as the seizure form posts it (management forms and rows)."""
    data: dict[str, Any] = {"handling_code": "H0"}
    for name, value in payload.items():
        if name in NESTED:
            continue
        if name == "transit_countries":
            value = " ".join(value)
        if value is None:
            value = ""
        data[name] = value
    for kind in NESTED:
        rows = payload.get(kind) or []
        data[f"{kind}-TOTAL_FORMS"] = len(rows)
        data[f"{kind}-INITIAL_FORMS"] = rows_existing.get(kind, 0)
        for index, row in enumerate(rows):
            for name, value in row.items():
                data[f"{kind}-{index}-{name}"] = "" if value is None else value
    return data


@pytest.fixture
def owner(signed_in: Any, jca_analyst: Any) -> Client:
    return signed_in(jca_analyst)


@pytest.fixture
def shared_case(owner: Client) -> dict[str, Any]:
    case = api_post(owner, "/api/v1/cases/", {"title": "Operation Coral", "tlp": "AMBER"})
    seizure = api_post(owner, "/api/v1/seizures/", seizure_payload(case=case["id"]))
    return {"case": case, "seizure": seizure}


# --- lists ---------------------------------------------------------------------------------------


def test_the_case_list_filters_searches_and_audits(owner: Client, shared_case: Any) -> None:
    api_post(owner, "/api/v1/cases/", {"title": "Operation Dune", "status": "closed"})
    page = owner.get("/cases/?q=coral").content.decode()
    assert "Operation Coral" in page and "Operation Dune" not in page
    assert "1 found" in page
    page = owner.get("/cases/?status=closed").content.decode()
    assert "Operation Dune" in page and "Operation Coral" not in page
    page = owner.get("/cases/?substance=cocaine_hcl&country=JM").content.decode()
    assert "Operation Coral" in page
    entry = AuditEntry.objects.filter(action="case.listed").order_by("-id").first()
    assert entry is not None and entry.details["filters"] == {
        "substance": "cocaine_hcl",
        "country": "JM",
    }
    # a bad filter is an error on its field, not a crash
    page = owner.get("/cases/?country=XX").content.decode()
    assert "invalid-feedback" in page


def test_the_list_shows_a_capped_count(
    owner: Client, region: Any, jca_analyst: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sharing.access

    monkeypatch.setattr(
        sharing.access.count_visible,
        "__kwdefaults__",
        {"filter_fn": None, "cap": 3, "drive": "auto"},
    )
    for _ in range(5):
        factories.case(region["jca"], by=jca_analyst)
    page = owner.get("/cases/").content.decode()
    assert "3+ found" in page


def test_the_seizure_list_pages_newest_first(owner: Client, region: Any) -> None:
    made = [factories.seizure(region["jca"]) for _ in range(27)]
    first = owner.get("/cases/seizures/").content.decode()
    assert made[-1].reference in first and made[0].reference not in first
    assert 'rel="next"' in first
    second = owner.get("/cases/seizures/?page=2").content.decode()
    assert made[0].reference in second and 'rel="next"' not in second


# the API's 8/9 queries and the page's context processor (audit-reader check)
@pytest.mark.parametrize(("path", "expected"), [("/cases/", 9), ("/cases/seizures/", 10)])
def test_list_page_query_counts_are_pinned(
    owner: Client,
    region: Any,
    jca_analyst: Any,
    path: str,
    expected: int,
    django_assert_num_queries: Any,
) -> None:
    for _ in range(3):
        factories.case(region["jca"], by=jca_analyst)
        factories.seizure(region["jca"])
    owner.get(path)
    with django_assert_num_queries(expected):
        owner.get(path)
    for _ in range(20):
        factories.case(region["jca"], by=jca_analyst)
        factories.seizure(region["jca"])
    with django_assert_num_queries(expected):
        owner.get(path)


# --- case pages ---------------------------------------------------------------------------------


def test_the_owner_sees_everything_on_the_case_page(owner: Client, shared_case: Any) -> None:
    case = shared_case["case"]
    page = owner.get(f"/cases/{case['id']}/").content.decode()
    assert case["reference"] in page
    assert 'class="tlp tlp-AMBER"' in page
    assert shared_case["seizure"]["reference"] in page
    assert "Anna Maria Eriksson" in page and "CSQU3054383" in page
    assert f"/cases/{case['id']}/edit/" in page
    assert 'id="thread"' in page
    assert AuditEntry.objects.filter(action="case.viewed", object_id=str(case["id"])).exists()


def test_summary_level_shows_no_personal_data_and_no_attachments(
    owner: Client, shared_case: Any, region: Any, signed_in: Any, jca_analyst: Any
) -> None:
    grant(Case.objects.get(), region["diran"], Level.SUMMARY, by=jca_analyst)
    reader = signed_in(region["diran_analyst"])
    case_id = shared_case["case"]["id"]
    for path in (f"/cases/{case_id}/", f"/cases/seizures/{shared_case['seizure']['id']}/"):
        page = reader.get(path).content.decode()
        for secret in ("Eriksson", "L898902C3", "+18765550100", "5412HX", "1974-08-12"):
            assert secret not in page, (path, secret)
        assert "CSQU3054383" in page
        assert "not shown at summary level" in page
        assert "/edit/" not in page
    assert reader.get(f"/cases/{case_id}/edit/").status_code == 403


def test_full_level_sees_personal_data_and_attachments_but_not_the_thread(
    owner: Client, shared_case: Any, region: Any, signed_in: Any, jca_analyst: Any
) -> None:
    grant(Case.objects.get(), region["diran"], Level.FULL, by=jca_analyst)
    reader = signed_in(region["diran_analyst"])
    page = reader.get(f"/cases/{shared_case['case']['id']}/").content.decode()
    assert "Anna Maria Eriksson" in page
    assert 'id="attachments"' in page and "Upload" not in page
    assert 'id="thread"' not in page
    response = reader.post(f"/cases/{shared_case['case']['id']}/messages/", {"body": "hello"})
    assert response.status_code == 404
    assert not CaseMessage.objects.exists()


def test_a_contributor_posts_to_the_thread_and_the_owner_is_told(
    owner: Client, shared_case: Any, region: Any, signed_in: Any, jca_analyst: Any
) -> None:
    grant(Case.objects.get(), region["diran"], Level.CONTRIBUTE, by=jca_analyst)
    reader = signed_in(region["diran_analyst"])
    path = f"/cases/{shared_case['case']['id']}/messages/"
    response = reader.post(
        path, {"body": "Same consignee seen in Cartagena."}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    assert "Same consignee seen in Cartagena." in response.content.decode()
    message = CaseMessage.objects.get()
    assert message.agency == region["diran"]
    event = Event.objects.get(kind="case.message")
    assert set(event.agencies.values_list("acronym", flat=True)) == {"JCA", "DIRAN"}
    assert "Cartagena" not in json.dumps(event.data)
    assert AuditEntry.objects.filter(action="message.created").exists()
    # empty messages are refused on the field
    response = reader.post(path, {"body": "  "}, HTTP_HX_REQUEST="true")
    assert "This field is required" in response.content.decode()
    assert CaseMessage.objects.count() == 1


def test_a_case_is_created_and_edited_on_pages(owner: Client) -> None:
    response = owner.post(
        "/cases/new/",
        {"title": "Go-fast at Morant Point", "status": "open", "tlp": "GREEN",
         "handling_code": "H0", "crime_types": ["drug_trafficking"]},
    )  # fmt: skip
    case = Case.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/cases/{case.pk}/"
    assert case.crime_types == ["drug_trafficking"]
    form = owner.get(f"/cases/{case.pk}/edit/").content.decode()
    assert 'name="version" value="1"' in form


def test_case_form_errors_are_shown_by_field_and_nothing_is_saved(owner: Client) -> None:
    page = owner.post(
        "/cases/new/",
        {"title": "", "status": "open", "tlp": "AMBER", "handling_code": "H3",
         "source_reliability": "A"},
    ).content.decode()  # fmt: skip
    assert page.count("invalid-feedback") >= 3
    assert "H3 needs a handling note" in page
    assert not Case.objects.exists()


def test_two_page_edits_of_one_case_conflict(owner: Client, region: Any, signed_in: Any) -> None:
    colleague = signed_in(factories.user(region["jca"], "analyst"))
    case = api_post(owner, "/api/v1/cases/", {"title": "Original"})
    base = {"status": "open", "tlp": "AMBER", "handling_code": "H0", "version": 1}
    first = owner.post(f"/cases/{case['id']}/edit/", {**base, "title": "First"})
    second = colleague.post(f"/cases/{case['id']}/edit/", {**base, "title": "Second"})
    assert first.status_code == 302
    assert second.status_code == 200
    assert "Someone else saved this record" in second.content.decode()
    assert Case.objects.get().title == "First"


# --- seizure form -------------------------------------------------------------------------------


def test_the_seizure_form_creates_a_report_with_rows(owner: Client, shared_case: Any) -> None:
    payload = seizure_payload(case=shared_case["case"]["id"])
    response = owner.post("/cases/seizures/new/", form_data(payload))
    assert response.status_code == 302, response.content.decode()[:3000]
    seizure = SeizureReport.objects.order_by("-id").first()
    assert seizure is not None and seizure.case_id == shared_case["case"]["id"]
    assert seizure.items.count() == 3 and seizure.persons.get().phone == "+18765550100"
    assert seizure.transit_countries == ["PA"]
    assert Identifier.objects.filter(seizure=seizure, kind="container").exists()


def test_seizure_form_errors_are_shown_on_their_rows_and_nothing_is_saved(owner: Client) -> None:
    payload = seizure_payload(
        containers=[{"number": "CSQU3054384"}],
        items=[{"kind": "drug", "substance": "cannabis_plants", "quantity": "3", "unit": "kg"}],
        transit_countries=["PA", "QQ"],
    )
    page = owner.post("/cases/seizures/new/", form_data(payload)).content.decode()
    assert "should be 3 (ISO 6346)" in page
    assert "Cannabis plants is counted in: plants" in page
    assert "QQ is not an ISO 3166 country code" in page
    assert not SeizureReport.objects.exists() and not SeizureItem.objects.exists()


def test_the_seizure_form_edits_rows_and_removes_them(owner: Client, shared_case: Any) -> None:
    seizure = SeizureReport.objects.get()
    stored = shared_case["seizure"]
    payload = seizure_payload(case=stored["case"], version=1)
    payload["items"] = [dict(item) for item in stored["items"]]
    payload["items"][0]["quantity"] = "450"
    payload["items"][1]["DELETE"] = "on"
    for kind in NESTED[1:]:
        payload[kind] = [dict(row) for row in stored[kind]]
    data = form_data(payload, **{kind: len(stored[kind]) for kind in NESTED})
    response = owner.post(f"/cases/seizures/{seizure.pk}/edit/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert sorted(seizure.items.values_list("kind", flat=True)) == ["cash", "drug"]
    assert seizure.items.get(kind="drug").quantity_normalised == 450
    seizure.refresh_from_db()
    assert seizure.version == 2
    # a second save with the old version conflicts
    stale = owner.post(f"/cases/seizures/{seizure.pk}/edit/", data).content.decode()
    assert "Someone else saved this record" in stale


def test_htmx_adds_rows_with_the_next_index(owner: Client) -> None:
    html = owner.get("/cases/seizures/rows/containers/?containers-TOTAL_FORMS=2").content.decode()
    assert 'name="containers-2-number"' in html
    assert 'name="containers-2-DELETE"' in html
    assert 'id="id_containers-TOTAL_FORMS" hx-swap-oob="true"' in html and 'value="3"' in html
    assert owner.get("/cases/seizures/rows/bombs/").status_code == 404


@pytest.mark.parametrize(
    ("path", "says"),
    [
        ("/cases/check/container/?x=CSQU3054384", "should be 3"),
        ("/cases/check/container/?x=csqu 305438 3", "Valid: CSQU3054383"),
        ("/cases/check/imo/?x=9074728", "should be 9"),
        ("/cases/check/flight/?x=cm 0431", "Valid: CM431"),
        ("/cases/check/locode/?locode=PAONX&country=JM", "not in the seizure country"),
        ("/cases/check/date/?x=2999-01-01", "future"),
        ("/cases/check/phone/?x=555-0100", "international format"),
        ("/cases/check/countries/?x=PA QQ", "QQ is not"),
    ],
)
def test_fields_are_checked_as_they_are_typed(owner: Client, path: str, says: str) -> None:
    assert says in owner.get(path).content.decode()


def test_the_unit_picker_follows_the_substance(owner: Client) -> None:
    html = owner.get("/cases/units/?items-0-substance=cannabis_plants").content.decode()
    assert 'value="plants"' in html and 'value="kg"' not in html
    html = owner.get("/cases/units/?items-0-substance=acetic_anhydride").content.decode()
    assert 'value="l"' in html and 'value="tablets"' not in html
