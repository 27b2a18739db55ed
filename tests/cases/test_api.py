"""The records API: nested writes all-or-nothing, per-field errors, optimistic locking,
filters, door-backed lists with pinned query counts, access-level rendering."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from audit.models import AuditEntry
from cases.models import (
    Case,
    Container,
    Identifier,
    Person,
    SeizureItem,
    SeizureReport,
)
from sharing.models import Level
from tests import factories
from tests.cases.builders import grant, seizure_payload

pytestmark = pytest.mark.django_db


def post(client: Client, path: str, data: dict[str, Any]) -> Any:
    return client.post(path, data=json.dumps(data), content_type="application/json")


def patch(client: Client, path: str, data: dict[str, Any], **headers: Any) -> Any:
    return client.patch(path, data=json.dumps(data), content_type="application/json", **headers)


# --- cases -------------------------------------------------------------------------------------


def test_a_case_is_created_with_a_reference_unique_per_agency_and_year(
    api: Any, jca_analyst: Any, diran_analyst: Any
) -> None:
    # given
    jca, diran = api(jca_analyst), api(diran_analyst)
    body = {
        "title": "Reefer cocaine, Kingston",
        "tlp": "AMBER",
        "crime_types": ["drug_trafficking"],
    }
    # when
    first = post(jca, "/api/v1/cases/", body).json()
    second = post(jca, "/api/v1/cases/", body).json()
    other = post(diran, "/api/v1/cases/", body).json()
    # then
    year = timezone.now().year
    assert first["reference"] == f"JM-JCA-{year}-00001"
    assert second["reference"] == f"JM-JCA-{year}-00002"
    assert other["reference"] == f"CO-DIRAN-{year}-00001"
    assert first["owner_agency"]["acronym"] == "JCA"
    assert first["created_by"] == "jca-analyst"
    assert first["version"] == 1
    assert first["access_level"] == "owner"
    assert AuditEntry.objects.filter(action="case.created", object_id=str(first["id"])).exists()


def test_owner_agency_reference_and_creator_are_read_only(
    api: Any, jca_analyst: Any, region: Any
) -> None:
    client = api(jca_analyst)
    body = {
        "title": "Go-fast off Portland Point",
        "owner_agency": region["diran"].pk,
        "reference": "XX-FAKE-1",
        "created_by": "someone",
    }
    created = post(client, "/api/v1/cases/", body).json()
    case = Case.objects.get(pk=created["id"])
    assert case.owner_agency == region["jca"]
    assert case.reference.startswith("JM-JCA-")
    assert case.created_by == jca_analyst


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"title": ""}, "title"),
        ({"title": "x", "tlp": "PURPLE"}, "tlp"),
        ({"title": "x", "handling_code": "H3"}, "handling_note"),
        ({"title": "x", "source_reliability": "B"}, "information_credibility"),
        (
            {"title": "x", "source_reliability": "G", "information_credibility": "2"},
            "source_reliability",
        ),
        (
            {"title": "x", "information_credibility": "7", "source_reliability": "A"},
            "information_credibility",
        ),
        ({"title": "x", "crime_types": ["tax_evasion"]}, "crime_types"),
        ({"title": "x", "status": "solved"}, "status"),
    ],
)
def test_bad_case_input_is_a_per_field_400_and_nothing_is_saved(
    api: Any, jca_analyst: Any, body: dict[str, Any], field: str
) -> None:
    response = post(api(jca_analyst), "/api/v1/cases/", body)
    assert response.status_code == 400
    assert field in response.json()
    assert not Case.objects.exists()


def test_h3_with_a_note_and_a_full_evaluation_are_accepted(api: Any, jca_analyst: Any) -> None:
    body = {
        "title": "Informant: vessel loading at Buenaventura",
        "handling_code": "H3",
        "handling_note": "Do not contact the shipping line.",
        "source_reliability": "B",
        "information_credibility": "2",
    }
    response = post(api(jca_analyst), "/api/v1/cases/", body)
    assert response.status_code == 201, response.json()
    assert Case.objects.get().evaluation == "B2"


def test_two_edits_of_one_case_conflict_clearly(api: Any, jca_analyst: Any, region: Any) -> None:
    # given two analysts of the owner agency who read version 1
    colleague = factories.user(region["jca"], "analyst")
    case = post(api(jca_analyst), "/api/v1/cases/", {"title": "Original"}).json()
    path = f"/api/v1/cases/{case['id']}/"
    # when the first saves
    first = patch(api(jca_analyst), path, {"title": "First edit", "version": 1})
    # then the second, still on version 1, gets a 409 and changes nothing
    second = patch(api(colleague), path, {"title": "Second edit", "version": 1})
    assert first.status_code == 200 and first.json()["version"] == 2
    assert second.status_code == 409
    assert second.json()["current_version"] == 2
    assert "version 2" in second.json()["detail"]
    assert Case.objects.get().title == "First edit"
    # an update must say which version it edits; If-Match works too
    assert patch(api(colleague), path, {"title": "No version"}).status_code == 400
    third = patch(api(colleague), path, {"title": "Third"}, HTTP_IF_MATCH='"2"')
    assert third.status_code == 200 and third.json()["version"] == 3


def test_a_case_change_is_audited_with_field_names_only(api: Any, jca_analyst: Any) -> None:
    case = post(api(jca_analyst), "/api/v1/cases/", {"title": "Original", "summary": "a"}).json()
    patch(
        api(jca_analyst),
        f"/api/v1/cases/{case['id']}/",
        {"title": "Renamed", "status": "closed", "version": 1},
    )
    entry = AuditEntry.objects.get(action="case.changed")
    assert sorted(entry.details["changed"]) == ["status", "title"]
    assert "Renamed" not in json.dumps(entry.details)
    assert Case.objects.get().closed_at is not None


# --- seizure reports ----------------------------------------------------------------------------


def test_a_seizure_report_is_created_with_items_and_entities_in_one_request(
    api: Any, jca_analyst: Any
) -> None:
    response = post(api(jca_analyst), "/api/v1/seizures/", seizure_payload())
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["reference"].startswith("JM-JCA-") and "-S0000" in body["reference"]
    drug = body["items"][0]
    assert (drug["quantity"], drug["unit"]) == ("412.500", "kg")
    assert (drug["quantity_normalised"], drug["normalised_unit"]) == ("412.500000", "kg")
    assert body["containers"][0]["number"] == "CSQU3054383"
    assert body["vessels"][0]["imo"] == "9074729"
    assert body["persons"][0]["phone"] == "+18765550100"
    assert body["items"][2]["currency"] == "USD"
    assert body["transit_countries"] == ["PA"]
    seizure = SeizureReport.objects.get()
    kinds = set(Identifier.objects.filter(seizure=seizure).values_list("kind", flat=True))
    assert kinds == {"container", "imo", "mmsi", "passport", "phone", "firearm", "plate", "company"}
    entry = AuditEntry.objects.get(action="seizure.created")
    assert entry.details["rows"]["items"] == 3


def test_one_bad_row_refuses_the_whole_report_with_errors_by_row_and_field(
    api: Any, jca_analyst: Any
) -> None:
    payload = seizure_payload(
        locode="PAONX",
        items=[
            {"kind": "drug", "substance": "cocaine_hcl", "quantity": "10", "unit": "kg"},
            {"kind": "drug", "substance": "cocaine_hcl", "quantity": "0", "unit": "tablets"},
        ],
        containers=[{"number": "CSQU3054384"}],
        vessels=[{"imo": "9074728"}],
        persons=[{"full_name": "X", "mrz": seizure_payload()["persons"][0]["mrz"][:-1] + "7"}],
    )
    response = post(api(jca_analyst), "/api/v1/seizures/", payload)
    assert response.status_code == 400
    errors = response.json()
    assert "not in the seizure country" in errors["locode"][0]
    assert "0" not in errors["items"]
    assert set(errors["items"]["1"]) == {"quantity", "unit"}
    assert "should be 3" in errors["containers"]["0"]["number"][0]
    assert "should be 9" in errors["vessels"]["0"]["imo"][0]
    assert "composite" in errors["persons"]["0"]["mrz"][0]
    assert not SeizureReport.objects.exists()
    assert not SeizureItem.objects.exists()
    assert not Identifier.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"seized_on": (timezone.localdate() + timedelta(days=2)).isoformat()}, "seized_on"),
        ({"latitude": "95", "longitude": "0"}, "latitude"),
        ({"latitude": "10", "longitude": None}, "longitude"),
        ({"country": "XX"}, "country"),
        ({"transit_countries": ["PA", "QQ"]}, "transit_countries"),
        ({"locode": "JM-KI"}, "locode"),
        ({"flights": [{"designator": "1234"}]}, "flights"),
        ({"flights": [{"designator": "CM 431", "flight_date": "2099-01-01"}]}, "flights"),
        ({"vehicles": [{"plate": "#"}]}, "vehicles"),
        ({"items": [{"kind": "cash", "amount": "100", "currency": "XYZ"}]}, "items"),
        ({"items": [{"kind": "ammunition", "calibre": "7.62", "rounds": 0}]}, "items"),
        ({"items": [{"kind": "firearm", "serial_number": "A1234"}]}, "items"),
        (
            {
                "items": [
                    {"kind": "precursor", "substance": "cocaine_hcl", "quantity": "5", "unit": "kg"}
                ]
            },
            "items",
        ),
        ({"persons": [{"full_name": "", "phone": "555-0100"}]}, "persons"),
        ({"persons": [{"full_name": "A B", "date_of_birth": "2199-01-01"}]}, "persons"),
        (
            {
                "persons": [
                    {
                        "full_name": "A B",
                        "passport_number": "X1234567",
                        "mrz": seizure_payload()["persons"][0]["mrz"],
                    }
                ]
            },
            "persons",
        ),
        ({"vessels": [{"mmsi": "12345"}]}, "vessels"),
        ({"vessels": [{"flag": "PA"}]}, "vessels"),
        ({"tlp": "RED", "case": None, "handling_code": "H3"}, "handling_note"),
    ],
)
def test_every_rule_is_a_per_field_400(
    api: Any, jca_analyst: Any, overrides: dict[str, Any], field: str
) -> None:
    response = post(api(jca_analyst), "/api/v1/seizures/", seizure_payload(**overrides))
    assert response.status_code == 400
    assert field in response.json(), response.json()
    assert not SeizureReport.objects.exists()


def test_mrz_fills_passport_number_and_date_of_birth(api: Any, jca_analyst: Any) -> None:
    person = {"full_name": "Anna Maria Eriksson", "mrz": seizure_payload()["persons"][0]["mrz"]}
    response = post(api(jca_analyst), "/api/v1/seizures/", seizure_payload(persons=[person]))
    assert response.status_code == 201, response.json()
    saved = Person.objects.get()
    assert (saved.passport_number, saved.date_of_birth) == ("L898902C3", "1974-08-12")


def test_nested_rows_are_updated_added_and_removed_in_one_request(
    api: Any, jca_analyst: Any
) -> None:
    client = api(jca_analyst)
    created = post(client, "/api/v1/seizures/", seizure_payload()).json()
    path = f"/api/v1/seizures/{created['id']}/"
    drug = created["items"][0]
    # keep the drug with a new quantity, drop the firearm and the cash, add ammunition
    items = [
        {**drug, "quantity": "500", "unit": "kg"},
        {"kind": "ammunition", "calibre": "5.56x45 mm", "rounds": 1200},
    ]
    response = patch(client, path, {"items": items, "version": 1})
    assert response.status_code == 200, response.json()
    body = response.json()
    assert [i["kind"] for i in body["items"]] == ["drug", "ammunition"]
    assert body["items"][0]["id"] == drug["id"]
    assert body["items"][0]["quantity_normalised"] == "500.000000"
    assert body["items"][1]["quantity_normalised"] == "1200.000000"
    assert body["version"] == 2
    # the firearm's blind index went with it; the other lists were not touched
    assert not Identifier.objects.filter(kind="firearm").exists()
    assert Container.objects.count() == 1
    entry = AuditEntry.objects.get(action="seizure.changed")
    assert entry.details["changed"] == ["items"]
    assert entry.details["removed"] == {"items": 2}  # the firearm and the cash: deletions


def test_a_row_id_from_another_report_is_refused(api: Any, jca_analyst: Any) -> None:
    client = api(jca_analyst)
    first = post(client, "/api/v1/seizures/", seizure_payload()).json()
    second = post(client, "/api/v1/seizures/", seizure_payload()).json()
    foreign = first["items"][0]
    response = patch(
        client, f"/api/v1/seizures/{second['id']}/", {"items": [foreign], "version": 1}
    )
    assert response.status_code == 400
    assert "id" in response.json()["items"]["0"]
    assert SeizureItem.objects.get(pk=foreign["id"]).seizure_id == first["id"]


def test_two_edits_of_one_seizure_report_conflict(api: Any, jca_analyst: Any) -> None:
    client = api(jca_analyst)
    created = post(client, "/api/v1/seizures/", seizure_payload()).json()
    path = f"/api/v1/seizures/{created['id']}/"
    assert patch(client, path, {"place": "Berth 4", "version": 1}).status_code == 200
    stale = patch(client, path, {"place": "Berth 7", "version": 1})
    assert stale.status_code == 409
    assert SeizureReport.objects.get().place == "Berth 4"


# --- TLP of a seizure report in a case --------------------------------------------------------


def test_a_seizure_report_may_not_be_marked_stricter_than_its_case(
    api: Any, jca_analyst: Any
) -> None:
    client = api(jca_analyst)
    case = post(client, "/api/v1/cases/", {"title": "Operation Coral", "tlp": "GREEN"}).json()
    refused = post(client, "/api/v1/seizures/", seizure_payload(case=case["id"], tlp="AMBER"))
    assert refused.status_code == 400
    assert "more restrictively than the case" in refused.json()["tlp"][0]
    accepted = post(client, "/api/v1/seizures/", seizure_payload(case=case["id"], tlp="GREEN"))
    assert accepted.status_code == 201
    assert accepted.json()["case_reference"] == case["reference"]
    # nor may the case then be lowered below what is inside it
    lowered = patch(client, f"/api/v1/cases/{case['id']}/", {"tlp": "CLEAR", "version": 1})
    assert lowered.status_code == 400
    assert accepted.json()["reference"] in lowered.json()["tlp"][0]


def test_a_seizure_report_goes_only_into_a_case_of_the_same_agency(
    api: Any, jca_analyst: Any, diran_analyst: Any
) -> None:
    theirs = post(api(diran_analyst), "/api/v1/cases/", {"title": "Theirs"}).json()
    response = post(api(jca_analyst), "/api/v1/seizures/", seizure_payload(case=theirs["id"]))
    assert response.status_code == 400
    assert response.json()["case"] == ["No such case of your agency."]
    missing = post(api(jca_analyst), "/api/v1/seizures/", seizure_payload(case=999999))
    assert missing.json()["case"] == ["No such case of your agency."]


def test_a_shared_case_cannot_be_marked_more_restrictively(
    api: Any, jca_analyst: Any, region: Any
) -> None:
    client = api(jca_analyst)
    created = post(client, "/api/v1/cases/", {"title": "Shared", "tlp": "GREEN"}).json()
    grant(Case.objects.get(), region["diran"], Level.FULL, by=jca_analyst)
    response = patch(client, f"/api/v1/cases/{created['id']}/", {"tlp": "RED", "version": 1})
    assert response.status_code == 400
    assert "1 active grant" in response.json()["tlp"][0]
    # lowering a shared case's TLP is fine
    assert (
        patch(client, f"/api/v1/cases/{created['id']}/", {"tlp": "CLEAR", "version": 1}).status_code
        == 200
    )


# --- reading: access levels ----------------------------------------------------------------------


def test_summary_level_sees_no_personal_data(api: Any, jca_analyst: Any, region: Any) -> None:
    created = post(api(jca_analyst), "/api/v1/seizures/", seizure_payload()).json()
    grant(SeizureReport.objects.get(), region["diran"], Level.SUMMARY, by=jca_analyst)
    body = api(region["diran_analyst"]).get(f"/api/v1/seizures/{created['id']}/").json()
    assert body["access_level"] == "summary"
    person = body["persons"][0]
    assert person["role"] == "suspect" and person["nationality"] == "SE"
    for name in ("full_name", "date_of_birth", "passport_number", "mrz", "phone"):
        assert person[name] is None
    assert body["vehicles"][0]["plate"] is None
    assert body["containers"][0]["number"] == "CSQU3054383"  # not personal data
    assert body["do_not_reveal"] is None
    text = json.dumps(body)
    for secret in ("Eriksson", "L898902C3", "8765550100", "5412HX", "1974-08-12"):
        assert secret not in text


def test_full_level_sees_personal_data_but_cannot_edit(
    api: Any, jca_analyst: Any, region: Any
) -> None:
    created = post(api(jca_analyst), "/api/v1/seizures/", seizure_payload()).json()
    grant(SeizureReport.objects.get(), region["diran"], Level.FULL, by=jca_analyst)
    reader = api(region["diran_analyst"])
    path = f"/api/v1/seizures/{created['id']}/"
    body = reader.get(path).json()
    assert body["access_level"] == "full"
    assert body["persons"][0]["full_name"] == "Anna Maria Eriksson"
    assert patch(reader, path, {"place": "x", "version": 1}).status_code == 403
    assert SeizureReport.objects.get().place == "Kingston Container Terminal"


def test_a_grant_on_a_case_reaches_its_seizure_reports(
    api: Any, jca_analyst: Any, region: Any
) -> None:
    client = api(jca_analyst)
    case = post(client, "/api/v1/cases/", {"title": "Coral", "tlp": "AMBER"}).json()
    seizure = post(client, "/api/v1/seizures/", seizure_payload(case=case["id"])).json()
    reader = api(region["diran_analyst"])
    assert reader.get(f"/api/v1/seizures/{seizure['id']}/").status_code == 404
    grant(Case.objects.get(), region["diran"], Level.FULL, by=jca_analyst)
    assert reader.get(f"/api/v1/seizures/{seizure['id']}/").json()["access_level"] == "full"
    assert reader.get("/api/v1/seizures/").json()["count"] == 1


def test_detail_reads_are_audited(api: Any, jca_analyst: Any) -> None:
    client = api(jca_analyst)
    case = post(client, "/api/v1/cases/", {"title": "Coral"}).json()
    seizure = post(client, "/api/v1/seizures/", seizure_payload()).json()
    client.get(f"/api/v1/cases/{case['id']}/")
    client.get(f"/api/v1/seizures/{seizure['id']}/")
    assert AuditEntry.objects.filter(action="case.viewed", object_id=str(case["id"])).count() == 1
    assert (
        AuditEntry.objects.filter(action="seizure.viewed", object_id=str(seizure["id"])).count()
        == 1
    )


# --- lists: filters, pagination, counts, query counts ----------------------------------------


def _many_seizures(owner: Any, user: Any, n: int, **extra: Any) -> list[SeizureReport]:
    made = []
    for _ in range(n):
        seizure = factories.seizure(owner, **extra)
        SeizureItem.objects.create(
            seizure=seizure, kind="drug", substance="cocaine_hcl", quantity=5, unit="kg",
            quantity_normalised=5, normalised_unit="kg",
        )  # fmt: skip
        made.append(seizure)
    return made


def test_seizure_filters(api: Any, jca_analyst: Any, region: Any) -> None:
    client = api(jca_analyst)
    a = post(client, "/api/v1/seizures/", seizure_payload()).json()
    b = post(
        client,
        "/api/v1/seizures/",
        seizure_payload(
            country="PA",
            locode="PAONX",
            transport_mode="sea_vessel",
            seized_on=(timezone.localdate() - timedelta(days=40)).isoformat(),
            items=[
                {"kind": "precursor", "substance": "potassium_permanganate", "quantity": "2",
                 "unit": "t"}
            ],
        ),
    ).json()  # fmt: skip

    def ids(query: str) -> set[int]:
        response = client.get(f"/api/v1/seizures/?{query}")
        assert response.status_code == 200, response.json()
        return {row["id"] for row in response.json()["results"]}

    assert ids("country=PA") == {b["id"]}
    assert ids("transport_mode=sea_container") == {a["id"]}
    assert ids("substance=cocaine_hcl") == {a["id"]}
    assert ids("substance=potassium_permanganate") == {b["id"]}
    since = (timezone.localdate() - timedelta(days=10)).isoformat()
    assert ids(f"seized_from={since}") == {a["id"]}
    assert ids(f"seized_to={since}") == {b["id"]}
    assert ids("route_country=NL") == {a["id"], b["id"]}
    assert ids("item_kind=precursor") == {b["id"]}
    assert client.get("/api/v1/seizures/?country=XX").status_code == 400
    assert client.get("/api/v1/seizures/?seized_from=yesterday").status_code == 400
    listed = AuditEntry.objects.filter(action="seizure.listed").order_by("id").first()
    assert listed is not None and listed.details["filters"] == {"country": "PA"}
    assert listed.details["rows"] == 1


def test_case_filters_and_search(api: Any, jca_analyst: Any) -> None:
    client = api(jca_analyst)
    coral = post(
        client, "/api/v1/cases/", {"title": "Operation Coral", "crime_types": ["drug_trafficking"]}
    ).json()
    dune_body = {
        "title": "Operation Dune",
        "status": "investigation",
        "crime_types": ["firearms_trafficking"],
    }
    dune = post(client, "/api/v1/cases/", dune_body).json()
    post(client, "/api/v1/seizures/", seizure_payload(case=coral["id"]))

    def ids(query: str) -> set[int]:
        return {row["id"] for row in client.get(f"/api/v1/cases/?{query}").json()["results"]}

    assert ids("q=coral") == {coral["id"]}
    assert ids(f"q={dune['reference'][-5:]}") == {dune["id"]}
    assert ids("status=investigation") == {dune["id"]}
    assert ids("crime_type=firearms_trafficking") == {dune["id"]}
    assert ids("country=JM&substance=cocaine_hcl") == {coral["id"]}
    assert ids("transport_mode=air_cargo") == set()


def test_lists_page_through_the_door_with_next_links(
    api: Any, jca_analyst: Any, region: Any
) -> None:
    _many_seizures(region["jca"], jca_analyst, 5)
    client = api(jca_analyst)
    first = client.get("/api/v1/seizures/?page_size=2").json()
    assert first["count"] == 5 and first["count_capped"] is False
    assert len(first["results"]) == 2 and first["previous"] is None
    third = client.get(first["next"].replace("page=2", "page=3")).json()
    assert len(third["results"]) == 1 and third["next"] is None
    assert client.get("/api/v1/seizures/?page=4&page_size=2").status_code == 404
    assert client.get("/api/v1/seizures/?page=0").status_code == 404
    seen = [r["id"] for r in first["results"]] + [
        r["id"] for r in client.get(first["next"]).json()["results"]
    ]
    assert len(set(seen)) == 4


def test_the_count_is_capped(
    api: Any, jca_analyst: Any, region: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sharing.access

    monkeypatch.setattr(sharing.access, "COUNT_CAP", 3)
    monkeypatch.setattr(
        sharing.access.count_visible,
        "__kwdefaults__",
        {"filter_fn": None, "cap": 3, "drive": "auto"},
    )
    _many_seizures(region["jca"], jca_analyst, 5)
    body = api(jca_analyst).get("/api/v1/seizures/?page_size=2").json()
    assert (body["count"], body["count_capped"]) == (3, True)
    assert body["next"] is not None


def _queries(client: Client, path: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return len(captured)


# session, user, OTP device, membership, principals, count, page (its ids and levels, a
# prepared statement; then those rows), (items), audit (1 INSERT)
@pytest.mark.parametrize(("path", "expected"), [("/api/v1/seizures/", 9), ("/api/v1/cases/", 8)])
def test_list_query_counts_are_pinned_and_do_not_grow_with_rows(
    api: Any,
    jca_analyst: Any,
    region: Any,
    path: str,
    expected: int,
    django_assert_num_queries: Any,
) -> None:
    client = api(jca_analyst)
    for _ in range(2):
        factories.case(region["jca"], by=jca_analyst)
    _many_seizures(region["jca"], jca_analyst, 2)
    client.get(path)  # warm the session
    with django_assert_num_queries(expected):
        client.get(path)
    for _ in range(20):
        factories.case(region["jca"], by=jca_analyst)
    _many_seizures(region["jca"], jca_analyst, 20)
    with django_assert_num_queries(expected):
        client.get(path)


# token, user, membership and agency (one query), principals, count, page (ids and levels by
# a prepared statement, then those rows), and the audit entry (one INSERT: it is chained
# later, by the chainer)
def test_a_token_costs_one_query_for_the_caller_and_their_agency(
    jca_analyst: Any, region: Any, django_assert_num_queries: Any
) -> None:
    from rest_framework.authtoken.models import Token

    token = Token.objects.create(user=jca_analyst)
    client = Client(HTTP_AUTHORIZATION=f"Token {token.key}")
    factories.case(region["jca"], by=jca_analyst)
    with CaptureQueriesContext(connection) as captured:
        assert client.get("/api/v1/cases/").status_code == 200
    assert len(captured) == 6, [q["sql"][:80] for q in captured]
    first = captured[0]["sql"]
    assert '"authtoken_token"' in first and '"agencies_membership"' in first
    assert '"agencies_agency"' in first
    # a deactivated agency's token is still refused with the joined rows
    region["jca"].active = False
    region["jca"].save()
    assert client.get("/api/v1/cases/").status_code in (401, 403)


def test_a_report_shared_on_its_own_does_not_disclose_its_case(
    api: Any, jca_analyst: Any, region: Any
) -> None:
    # given a report in a case, shared on its own with another agency
    client = api(jca_analyst)
    case = post(client, "/api/v1/cases/", {"title": "Hidden operation", "tlp": "AMBER"}).json()
    seizure = post(client, "/api/v1/seizures/", seizure_payload(case=case["id"])).json()
    grant(SeizureReport.objects.get(), region["diran"], Level.FULL, by=jca_analyst)
    reader = api(region["diran_analyst"])
    # then the reader sees the report but nothing of the case
    detail = reader.get(f"/api/v1/seizures/{seizure['id']}/").json()
    assert (detail["case"], detail["case_reference"]) == (None, None)
    listed = reader.get("/api/v1/seizures/").json()["results"][0]
    assert (listed["case"], listed["case_reference"]) == (None, None)
    assert reader.get(f"/api/v1/seizures/?case={case['id']}").json()["count"] == 0
    page = reader.get(f"/cases/seizures/{seizure['id']}/").content.decode()
    assert case["reference"] not in page
    assert case["reference"] not in reader.get("/cases/seizures/").content.decode()
    # once the case is shared too, it shows
    grant(Case.objects.get(), region["diran"], Level.SUMMARY, by=jca_analyst)
    detail = reader.get(f"/api/v1/seizures/{seizure['id']}/").json()
    assert detail["case_reference"] == case["reference"]
    assert reader.get(f"/api/v1/seizures/?case={case['id']}").json()["count"] == 1


@pytest.mark.parametrize("viewset_name", ["CaseViewSet", "SeizureViewSet"])
def test_a_list_without_filters_skips_a_filterset_that_would_change_nothing(
    viewset_name: str, api: Any, jca_analyst: Any, region: Any
) -> None:
    """The door lists skip their filterset when no filter is asked for; that is only right
    while an empty filterset leaves the records as they are."""
    from django.test import RequestFactory
    from rest_framework.request import Request

    from cases.api import views
    from sharing import access

    viewset = getattr(views, viewset_name)
    model = viewset.door_model
    empty = viewset.filterset_class(
        Request(RequestFactory().get("/")).query_params, queryset=model.objects.none()
    )
    assert empty.is_valid()
    assert access._is_noop(empty.filter_queryset, model)
    factories.case(region["jca"], by=jca_analyst)
    client = api(jca_analyst)
    path = "/api/v1/cases/" if model is Case else "/api/v1/seizures/"
    assert client.get(path).status_code == 200
    assert client.get(f"{path}?page=1&page_size=10").status_code == 200
    assert client.get(f"{path}?tlp=NOT-A-TLP").status_code == 400
