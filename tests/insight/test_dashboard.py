"""The dashboard: charts count only what their reader may see, filters narrow them, each
chart downloads as an audited, formula-safe CSV; pending items and recent shares per user."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from audit.models import AuditEntry
from hits.models import Hit
from sharing.models import ShareRequest
from tests import factories
from tests.insight.conftest import firearm, report

pytestmark = pytest.mark.django_db


def chart(client: Client, key: str, **params: str) -> dict[str, Any]:
    response = client.get(f"/insight/charts/{key}.json", params)
    assert response.status_code == 200, response.content
    data: dict[str, Any] = response.json()
    return data


def totals(data: dict[str, Any]) -> dict[str, float]:
    """Series label -> sum over periods."""
    return {dataset["label"]: round(sum(dataset["data"]), 3) for dataset in data["datasets"]}


# --- what a chart counts ---------------------------------------------------------------------


def test_a_chart_counts_the_readers_own_shared_and_clear_seizures_only(
    insight: dict[str, Any], signed_in: Any
) -> None:
    jca = signed_in(insight["jca_analyst"])
    diran = signed_in(insight["diran_analyst"])
    stranger = signed_in(insight["senan_analyst"])

    assert totals(chart(jca, "substances")) == {
        "Cocaine hydrochloride": 102.0,  # 100 kg + 2,000 g of its own; not DIRAN's 500 kg
        "Heroin": 10.0,  # shared with JCA at summary level
        "Cannabis herb": 30.0,  # TLP:CLEAR
    }
    assert totals(chart(diran, "substances")) == {
        "Cocaine hydrochloride": 500.0,
        "Heroin": 10.0,
        "Cannabis herb": 30.0,
    }
    assert totals(chart(stranger, "substances")) == {"Cannabis herb": 30.0}


def test_a_strangers_every_chart_excludes_the_seizures_it_may_not_see(
    insight: dict[str, Any], signed_in: Any
) -> None:
    stranger = signed_in(insight["senan_analyst"])
    countries = chart(stranger, "countries")
    assert countries["labels"] == ["Colombia"]
    assert countries["datasets"][0]["data"] == [1]  # only the CLEAR report
    assert chart(stranger, "routes")["labels"] == []  # the CLEAR report has no route
    assert chart(stranger, "firearms")["labels"] == []
    assert totals(chart(stranger, "transport")) == {"Land — vehicle": 30.0}


def test_substances_are_drawn_per_month_with_normalised_quantities(
    insight: dict[str, Any], signed_in: Any
) -> None:
    data = chart(signed_in(insight["jca_analyst"]), "substances")
    assert data["labels"] == ["2026-01", "2026-02", "2026-03"]
    by_label = {d["label"]: d["data"] for d in data["datasets"]}
    assert by_label["Cocaine hydrochloride"] == [100.0, 2.0, 0.0]
    assert by_label["Heroin"] == [0.0, 10.0, 0.0]
    assert data["unit"] == "kg" and data["stacked"] is True
    yearly = chart(signed_in(insight["jca_analyst"]), "substances", period="year")
    assert yearly["labels"] == ["2026"]


def test_transport_modes_over_time(insight: dict[str, Any], signed_in: Any) -> None:
    data = chart(signed_in(insight["jca_analyst"]), "transport")
    assert totals(data) == {
        "Sea — container": 110.0,
        "Air — passenger / courier": 2.0,
        "Land — vehicle": 30.0,
    }


def test_top_routes_are_origin_to_destination_flows(
    insight: dict[str, Any], signed_in: Any
) -> None:
    data = chart(signed_in(insight["jca_analyst"]), "routes")
    # as many reports on each: the larger quantity first
    assert data["labels"] == ["CO → NL", "EC → BE", "CO → ES"]
    assert data["datasets"][0]["data"] == [1, 1, 1]
    assert data["columns"][:2] == ["Origin", "Origin country"]
    assert ["CO", "Colombia", "NL", "Netherlands", 1, 100.0, "kg"] in data["rows"]
    diran = chart(signed_in(insight["diran_analyst"]), "routes")
    assert "CO → US" in diran["labels"] and "CO → NL" not in diran["labels"]


def test_firearms_are_counted_by_make_with_aliases_folded_and_by_calibre(
    insight: dict[str, Any], signed_in: Any
) -> None:
    diran = chart(signed_in(insight["diran_analyst"]), "firearms")
    # "Smith & Wesson" and "S&W" are one make; 9mm and .38 Special are two calibres
    assert diran["labels"] == ["S&W"]
    assert sorted(totals(diran).items()) == [(".38 Special", 1.0), ("9mm", 1.0)]
    jca = chart(signed_in(insight["jca_analyst"]), "firearms")
    assert jca["labels"] == ["Glock", "S&W"]  # its Glock, and DIRAN's S&W shared with it
    assert totals(jca) == {"9 mm": 1.0, ".38 Special": 1.0}


def test_filters_narrow_every_chart(insight: dict[str, Any], signed_in: Any) -> None:
    jca = signed_in(insight["jca_analyst"])
    assert totals(chart(jca, "substances", seized_from="2026-02-01", seized_to="2026-02-28")) == {
        "Cocaine hydrochloride": 2.0,
        "Heroin": 10.0,
    }
    assert totals(chart(jca, "substances", country="JM")) == {"Cocaine hydrochloride": 102.0}
    assert totals(chart(jca, "substances", transport_mode="air_passenger")) == {
        "Cocaine hydrochloride": 2.0
    }
    assert chart(jca, "countries", country="CO")["labels"] == ["Colombia"]


def test_quantities_in_another_unit_are_never_added_to_kilograms(
    insight: dict[str, Any], signed_in: Any
) -> None:
    report(
        insight["jca_analyst"],
        date(2026, 1, 12),
        items=[{"kind": "drug", "substance": "mdma", "quantity": "5000", "unit": "tablets"}],
    )
    jca = signed_in(insight["jca_analyst"])
    assert "MDMA (ecstasy)" not in totals(chart(jca, "substances"))
    assert totals(chart(jca, "substances", unit="units")) == {"MDMA (ecstasy)": 5000.0}


def test_bad_filters_answer_400_with_the_field(insight: dict[str, Any], signed_in: Any) -> None:
    jca = signed_in(insight["jca_analyst"])
    response = jca.get(
        "/insight/charts/substances.json", {"seized_from": "2026-03-01", "seized_to": "2026-01-01"}
    )
    assert response.status_code == 400
    assert "seized_to" in response.json()["errors"]
    assert jca.get("/insight/charts/substances.json", {"country": "XX"}).status_code == 400
    assert jca.get("/insight/charts/nonsense.json").status_code == 404


def test_a_chart_is_one_statement_whatever_the_number_of_seizures(
    insight: dict[str, Any], signed_in: Any, django_assert_num_queries: Any
) -> None:
    jca = signed_in(insight["jca_analyst"])
    chart(jca, "substances")  # warm the session
    for key in ("substances", "transport", "routes", "countries", "firearms"):
        # session, user with membership and agency, second factor, the reader's principals,
        # the GROUP BY
        with django_assert_num_queries(5):
            chart(jca, key)
    for day in range(1, 6):
        report(insight["jca_analyst"], date(2026, 1, day), items=[firearm("Ruger", ".22")])
    with django_assert_num_queries(5):
        chart(jca, "firearms")


# --- CSV downloads -----------------------------------------------------------------------------


def _csv(response: Any) -> list[list[str]]:
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(body)))


def test_each_chart_downloads_as_an_audited_csv(insight: dict[str, Any], signed_in: Any) -> None:
    jca = signed_in(insight["jca_analyst"])
    response = jca.get("/insight/charts/countries.csv", {"seized_from": "2026-01-01"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = _csv(response)
    assert rows[0] == ["Country code", "Country", "Seizure reports", "Drugs", "Unit"]
    assert sorted(r[0] for r in rows[1:]) == ["CO", "JM"]
    entry = AuditEntry.objects.filter(action="export.csv").latest("id")
    assert entry.actor == insight["jca_analyst"]
    assert entry.details["chart"] == "countries"
    assert entry.details["rows"] == 2
    assert entry.details["filters"] == {
        "period": "month",
        "seized_from": "2026-01-01",
        "unit": "kg",
    }


def test_chart_csv_cells_are_never_formulas(insight: dict[str, Any], signed_in: Any) -> None:
    report(
        insight["jca_analyst"],
        date(2026, 1, 5),
        items=[firearm('=HYPERLINK("http://evil.example","x")', "-1+1")],
    )
    rows = _csv(signed_in(insight["jca_analyst"]).get("/insight/charts/firearms.csv"))
    cells = [cell for row in rows for cell in row]
    assert '\'=HYPERLINK("http://evil.example","x")' in cells
    assert "'-1+1" in cells
    assert not any(cell.startswith(("=", "+", "-", "@")) for cell in cells)


# --- the page ----------------------------------------------------------------------------------


def test_the_dashboard_links_each_chart_to_its_data_and_csv_with_the_filters(
    insight: dict[str, Any], signed_in: Any
) -> None:
    page = signed_in(insight["jca_analyst"]).get("/", {"country": "JM"})
    html = page.content.decode()
    assert page.status_code == 200
    for key in ("substances", "transport", "routes", "countries", "firearms"):
        assert f'data-chart-url="/insight/charts/{key}.json?country=JM"' in html
        assert f'href="/insight/charts/{key}.csv?country=JM"' in html
    assert "vendor/chartjs/chart.umd.min.js" in html
    assert 'role="img"' in html


def test_an_unverified_session_is_sent_to_sign_in(insight: dict[str, Any]) -> None:
    client = Client()
    client.force_login(insight["jca_analyst"])  # password only, no second factor
    response = client.get("/insight/charts/countries.json")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/")
    assert Client().get("/").status_code == 302


def test_someone_of_no_agency_gets_404(db: Any, signed_in: Any) -> None:
    nobody = factories.user(None, username="nobody")
    assert signed_in(nobody).get("/insight/charts/countries.json").status_code == 404


# --- waiting for you ---------------------------------------------------------------------------


def _request(owner: Any, requester: Any, record: Any, **fields: Any) -> ShareRequest:
    return ShareRequest.objects.create(
        seizure=record,
        owner_agency=owner,
        requested_by=requester,
        requesting_agency=requester.membership.agency,
        recipient_agency=requester.membership.agency,
        level=2,
        justification="test",
        **fields,
    )


def test_a_liaison_officer_sees_the_approval_queue_count_and_its_oldest(
    insight: dict[str, Any], signed_in: Any
) -> None:
    old = _request(insight["diran"], insight["jca_analyst"], insight["d1"])
    ShareRequest.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=3))
    _request(insight["diran"], insight["jca_liaison"], insight["d3"], priority="urgent")
    _request(insight["jca"], insight["diran_analyst"], insight["s1"])  # JCA's queue, not DIRAN's
    page = signed_in(insight["diran_liaison"]).get("/").content.decode()
    assert 'id="pending-approvals">2<' in page
    assert "1 urgent" in page
    assert "3\xa0days" in page
    analyst_page = signed_in(insight["diran_analyst"]).get("/").content.decode()
    assert 'id="pending-approvals"' not in analyst_page  # only liaison officers decide


def test_requests_for_information_due_are_counted_for_the_agency_that_must_answer(
    insight: dict[str, Any], signed_in: Any
) -> None:
    today = timezone.localdate()
    for due in (today - timedelta(days=1), today + timedelta(days=2), today + timedelta(days=30)):
        _request(insight["diran"], insight["jca_analyst"], insight["d2"], kind="rfi", due_date=due)
    page = signed_in(insight["diran_analyst"]).get("/").content.decode()
    assert 'id="pending-rfis">3<' in page
    assert "1 overdue" in page
    assert "1 due within a week" in page
    assert 'id="pending-rfis">0<' in signed_in(insight["jca_analyst"]).get("/").content.decode()


def test_new_hits_of_the_agency_are_counted(insight: dict[str, Any], signed_in: Any) -> None:
    fields = {f.name for f in Hit._meta.get_fields()}
    matched_on = {"kinds": ["container"]} if "kinds" in fields else {"kind": "container"}
    Hit.objects.create(
        our_seizure=insight["s1"],
        our_agency=insight["jca"],
        their_seizure=insight["d1"],
        their_agency=insight["diran"],
        **matched_on,
    )
    assert 'id="pending-hits">1<' in signed_in(insight["jca_liaison"]).get("/").content.decode()
    assert 'id="pending-hits">0<' in signed_in(insight["diran_liaison"]).get("/").content.decode()


def test_recently_shared_lists_records_shared_with_my_agency_only(
    insight: dict[str, Any], signed_in: Any
) -> None:
    jca_page = signed_in(insight["jca_analyst"]).get("/").content.decode()
    assert insight["d2"].reference in jca_page
    assert insight["d1"].reference not in jca_page
    stranger_page = signed_in(insight["senan_analyst"]).get("/").content.decode()
    assert insight["d2"].reference not in stranger_page
    assert "Nothing has been shared with your agency recently." in stranger_page


def test_the_dashboard_takes_a_fixed_number_of_queries(
    insight: dict[str, Any], signed_in: Any, django_assert_max_num_queries: Any
) -> None:
    client = signed_in(insight["jca_liaison"])
    client.get("/")
    with django_assert_max_num_queries(16) as first:
        client.get("/")
    for _ in range(5):
        report(insight["diran_analyst"], date(2026, 1, 3), tlp="CLEAR", items=[])
    with django_assert_max_num_queries(len(first.captured_queries)):
        client.get("/")
