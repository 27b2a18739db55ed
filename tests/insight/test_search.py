"""Search: text in four languages and exact identifiers over what the reader may see, ranked;
pointers (owner agency and kind only) for identifier matches the reader may not see, none for
"do not reveal"; request access from a pointer; audited with the terms digested; the API."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest
from django.core import signing
from django.db import connection
from django.test import Client

from audit.models import AuditEntry
from cases import actions
from cases.models import Case, Flight, Organisation, SeizureReport, Vehicle, Vessel
from insight import search as search_module
from insight import text
from insight.search import POINTER_SALT
from notifications.models import Event
from sharing.models import Level, ShareRequest
from tests.cases.builders import grant
from tests.insight.conftest import drug, report

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True, params=["probe", "walk", "walk-parsing"])
def regime(request: Any, monkeypatch: Any) -> str:
    """Every test runs three times: words checked match by match (rare words), and words so
    common that search walks the reader's visible records newest first, one record, then two,
    four... (``PROBE`` = 0: every word counts as common), matching each slice through the
    indexes or (``walk-parsing``, as for a word in most rows) by parsing its rows' text."""
    if request.param.startswith("walk"):
        monkeypatch.setattr(search_module, "PROBE", 0)
        monkeypatch.setattr(search_module, "WALK_FIRST", 1)
        monkeypatch.setattr(search_module, "WALK_FIRST_MOST", 1)
    if request.param == "walk-parsing":
        monkeypatch.setattr(search_module, "PARSE_ABOVE", -1)
    return str(request.param)


@pytest.fixture
def world(insight: dict[str, Any]) -> dict[str, Any]:
    """Identifiers and words spread over JCA's and DIRAN's records."""
    diran, jca = insight["diran_analyst"], insight["jca_analyst"]
    d1, d2 = insight["d1"], insight["d2"]
    actions.update_seizure(
        diran,
        d1.pk,
        {"concealment": "Caleta en el casco; cargamento de cocaína"},
        {"persons": [{"full_name": "Ignacio Ferreira", "passport_number": "PA1234567"}]},
        version=d1.version,
    )
    actions.update_seizure(
        diran,
        d2.pk,
        {"summary": "Heroin hidden in banana crates"},
        {
            "persons": [{"full_name": "Rosa Quintero", "passport_number": "X9876543"}],
            "organisations": [{"name": "Frutas del Caribe S.A.", "country": "PA"}],
        },
        version=d2.version,
    )
    insight["secret"] = report(
        diran,
        date(2026, 2, 20),
        country="CO",
        place="Turbo",
        do_not_reveal=True,
        containers=[{"number": "MSCU 123456 6"}],
        items=[drug("cocaine_hcl", "50")],
    )
    insight["open_case"] = actions.create_case(
        diran, {"title": "Operación Caimán: contenedores refrigerados", "tlp": "AMBER"}
    )
    actions.post_message(
        diran, insight["open_case"].pk, "El cargamento sale el martes desde Buenaventura"
    )
    insight["jca_case"] = actions.create_case(
        jca, {"title": "Reefer containers through Kingston", "summary": "Rip-on rip-off"}
    )
    return insight


def search(client: Client, **params: str) -> str:
    response = client.get("/search/", params)
    assert response.status_code == 200, response.content[:500]
    return response.content.decode()


def api_search(client: Client, **params: str) -> dict[str, Any]:
    response = client.get("/api/v1/search/", params)
    assert response.status_code == 200, response.content[:500]
    body: dict[str, Any] = response.json()
    return body


def refs(body: dict[str, Any]) -> list[str]:
    return [result["reference"] for result in body["results"]]


# --- text --------------------------------------------------------------------------------------


def test_text_search_finds_own_shared_and_clear_records_never_invisible_ones(
    world: dict[str, Any], signed_in: Any
) -> None:
    jca = signed_in(world["jca_analyst"])
    assert refs(api_search(jca, q="Buenaventura")) == []  # DIRAN's d1, not shared
    assert refs(api_search(signed_in(world["diran_analyst"]), q="Buenaventura")) == [
        world["d1"].reference,  # its place
        world["open_case"].reference,  # a message in the case (ranked below)
    ]
    assert refs(api_search(jca, q="banana")) == [world["d2"].reference]  # shared at summary
    assert refs(api_search(jca, q="Santa Marta")) == [world["d3"].reference]  # TLP:CLEAR
    assert refs(api_search(signed_in(world["senan_analyst"]), q="banana")) == []


def test_words_match_across_languages_accents_and_inflections(
    world: dict[str, Any], signed_in: Any
) -> None:
    diran = signed_in(world["diran_analyst"])
    case = world["open_case"].reference
    assert case in refs(api_search(diran, q="caiman"))  # accent left out
    assert case in refs(api_search(diran, q="contenedor refrigerado"))  # Spanish singular
    jca = signed_in(world["jca_analyst"])
    assert world["jca_case"].reference in refs(api_search(jca, q="container"))  # English
    report(
        world["jca_analyst"],
        date(2026, 2, 2),
        summary="Les conteneurs étaient scellés",
        concealment="Navios de pesca",
    )
    assert len(refs(api_search(jca, q="conteneur scelle"))) == 1  # French
    assert len(refs(api_search(jca, q="navio"))) == 1  # Portuguese


def test_non_personal_entities_are_searched_through_their_report(
    world: dict[str, Any], signed_in: Any
) -> None:
    jca = signed_in(world["jca_analyst"])
    body = api_search(jca, q="Frutas del Caribe")
    assert refs(body) == [world["d2"].reference]
    assert any("organisation" in m for m in body["results"][0]["matched"])
    assert refs(api_search(jca, q="Hidden Star")) == []  # DIRAN's vessel on unshared d1
    assert refs(api_search(signed_in(world["diran_analyst"]), q="Hidden Star")) == [
        world["d1"].reference
    ]


def test_person_names_are_never_searched(world: dict[str, Any], signed_in: Any) -> None:
    diran = signed_in(world["diran_analyst"])
    assert refs(api_search(diran, q="Ignacio Ferreira")) == []


def test_messages_are_found_only_at_contribute_level(world: dict[str, Any], signed_in: Any) -> None:
    case = world["open_case"]
    jca = signed_in(world["jca_analyst"])
    assert refs(api_search(signed_in(world["diran_analyst"]), q="cargamentos martes")) == [
        case.reference
    ]
    grant(case, world["jca"], Level.FULL, by=world["diran_liaison"])
    found = api_search(jca, q="martes cargamento")  # full level does not read messages
    assert case.reference not in refs(found)
    assert "martes" not in json.dumps(found)
    case_grant = grant(case, world["jca"], Level.CONTRIBUTE, by=world["diran_liaison"])
    assert case_grant.level == Level.CONTRIBUTE
    found = api_search(jca, q="martes cargamento")
    message_results = [r for r in found["results"] if "message" in r["matched"]]
    assert [r["reference"] for r in message_results] == [case.reference]
    assert "martes" in message_results[0]["snippet"]


def test_results_are_ranked_identifiers_first(world: dict[str, Any], signed_in: Any) -> None:
    jca = signed_in(world["jca_analyst"])
    report(
        world["jca_analyst"],
        date(2026, 2, 7),
        summary="Follow-up on container CSQU3054383 and its consignee",
    )
    body = api_search(jca, q="CSQU 305438 3")
    assert body["results"][0]["reference"] == world["s1"].reference
    assert body["results"][0]["matched"] == ["container number"]
    assert body["results"][0]["rank"] > body["results"][-1]["rank"] or len(body["results"]) == 1


# --- identifiers and pointers --------------------------------------------------------------------


def test_an_identifier_in_a_record_i_may_not_see_is_a_pointer_without_content(
    world: dict[str, Any], signed_in: Any
) -> None:
    jca = signed_in(world["jca_analyst"])
    body = api_search(jca, q="IMO 9074729")  # DIRAN's vessel on unshared d1
    assert body["results"] == []
    assert len(body["pointers"]) == 1
    pointer = body["pointers"][0]
    assert pointer["agency"]["acronym"] == "DIRAN"
    assert pointer["matched_on"] == ["imo"]
    raw = json.dumps(body)
    for secret in (world["d1"].reference, "Buenaventura", "Hidden Star", str(world["d1"].pk)):
        assert secret not in raw
    html = search(jca, q="IMO 9074729")
    assert "A record held by DIRAN agency (DIRAN) matches on: IMO number." in html
    assert world["d1"].reference not in html and "Buenaventura" not in html


def test_a_passport_in_a_record_seen_at_summary_is_a_pointer_not_a_result(
    world: dict[str, Any], signed_in: Any
) -> None:
    jca = signed_in(world["jca_analyst"])
    body = api_search(jca, q="X 987 6543")
    assert body["results"] == []  # d2 is seen at summary: its passports are not shown
    assert [p["matched_on"] for p in body["pointers"]] == [["passport"]]
    diran = api_search(signed_in(world["diran_analyst"]), q="X9876543")
    assert refs(diran) == [world["d2"].reference] and diran["pointers"] == []


def test_do_not_reveal_records_give_no_pointer(world: dict[str, Any], signed_in: Any) -> None:
    body = api_search(signed_in(world["jca_analyst"]), q="MSCU1234566")
    assert body["results"] == [] and body["pointers"] == []
    assert refs(api_search(signed_in(world["diran_analyst"]), q="MSCU1234566")) == [
        world["secret"].reference
    ]


def test_plates_match_whatever_their_country_and_serials_need_the_make(
    world: dict[str, Any], signed_in: Any
) -> None:
    diran_user = world["diran_analyst"]
    seizure = report(
        diran_user,
        date(2026, 2, 9),
        country="CO",
        vehicles=[{"plate": "ABC-123", "country": "CO"}],
        items=[
            {
                "kind": "firearm",
                "firearm_type": "pistol",
                "make": "Smith & Wesson",
                "calibre": "9 mm",
                "serial_number": "DFK1234",
            }
        ],
    )
    diran = signed_in(diran_user)
    assert refs(api_search(diran, q="abc 123")) == [seizure.reference]
    assert refs(api_search(diran, q="DFK1234")) == []  # a serial alone is not an identifier
    found = api_search(diran, q="DFK1234", kind="firearm", make="S&W")
    assert refs(found) == [seizure.reference]
    missing_make = diran.get("/api/v1/search/", {"q": "DFK1234", "kind": "firearm"})
    assert missing_make.status_code == 400 and "make" in missing_make.json()


def test_request_access_from_a_pointer_asks_the_owner_and_shows_nothing(
    world: dict[str, Any], signed_in: Any
) -> None:
    jca = signed_in(world["jca_analyst"])
    token = api_search(jca, q="PA1234567")["pointers"][0]["token"]
    response = jca.post(
        "/search/request-access/",
        {"token": token, "level": "full", "justification": "Same passport in our case"},
    )
    assert response.status_code == 302
    created = ShareRequest.objects.get()
    assert created.seizure == world["d1"]
    assert created.owner_agency == world["diran"]
    assert created.requesting_agency == world["jca"]
    assert created.level == Level.FULL and created.status == ShareRequest.Status.PENDING
    assert Event.objects.filter(kind="share_request.created").exists()
    entry = AuditEntry.objects.filter(action="share_request.created").latest("id")
    assert entry.actor == world["jca_analyst"]
    again = jca.post(
        "/search/request-access/",
        {"token": token, "level": "full", "justification": "once more"},
    )
    assert again.status_code == 400
    assert "already has a pending request" in again.content.decode()
    assert world["d1"].reference not in again.content.decode()


def test_a_pointer_token_is_personal_fresh_and_unforgeable(
    world: dict[str, Any], signed_in: Any
) -> None:
    token = api_search(signed_in(world["jca_analyst"]), q="PA1234567")["pointers"][0]["token"]
    body = {"token": token, "level": "full", "justification": "x"}
    other = signed_in(world["jca_liaison"])
    assert other.post("/search/request-access/", body).status_code == 404
    forged = signing.dumps(
        {"u": world["jca_analyst"].pk, "i": 1}, salt="another salt", compress=True
    )
    jca = signed_in(world["jca_analyst"])
    assert jca.post("/search/request-access/", {**body, "token": forged}).status_code == 404
    assert jca.post("/search/request-access/", {**body, "token": "nonsense"}).status_code == 404
    assert signing.loads(token, salt=POINTER_SALT)["u"] == world["jca_analyst"].pk
    SeizureReport.objects.filter(pk=world["d1"].pk).update(do_not_reveal=True)
    assert jca.post("/search/request-access/", body).status_code == 404
    assert not ShareRequest.objects.exists()


def test_the_api_requests_access_from_a_pointer(world: dict[str, Any], signed_in: Any) -> None:
    jca = signed_in(world["jca_analyst"])
    token = api_search(jca, q="IMO 9074729")["pointers"][0]["token"]
    response = jca.post(
        "/api/v1/search/request-access/",
        json.dumps({"token": token, "level": "summary", "justification": "Same vessel"}),
        content_type="application/json",
    )
    assert response.status_code == 201
    assert ShareRequest.objects.get(pk=response.json()["id"]).seizure == world["d1"]
    bad = jca.post(
        "/api/v1/search/request-access/",
        json.dumps({"token": token, "level": "owner", "justification": ""}),
        content_type="application/json",
    )
    assert bad.status_code == 400 and {"level", "justification"} <= set(bad.json())


# --- audit and cost --------------------------------------------------------------------------


def test_every_search_is_audited_with_its_terms_digested(
    world: dict[str, Any], signed_in: Any
) -> None:
    jca = signed_in(world["jca_analyst"])
    search(jca, q="PA1234567")
    api_search(jca, q="banana")
    entries = list(AuditEntry.objects.filter(action="search.performed").order_by("id"))
    assert len(entries) == 2
    page, api = entries
    assert page.actor == world["jca_analyst"]
    assert page.details["filters"]["q"].startswith("hmac:")
    assert "PA1234567" not in json.dumps(page.details)
    assert page.details["rows"] == 0 and page.details["pointers"] == 1
    assert api.details["rows"] == 1 and "banana" not in json.dumps(api.details)


def test_the_search_takes_a_fixed_number_of_queries(
    world: dict[str, Any], signed_in: Any, django_assert_max_num_queries: Any, monkeypatch: Any
) -> None:
    monkeypatch.setattr(search_module, "WALK_FIRST", 4000)  # one slice: the region is small
    monkeypatch.setattr(search_module, "WALK_FIRST_MOST", 4000)
    jca = signed_in(world["jca_analyst"])
    report(world["jca_analyst"], date(2026, 1, 1), summary="cocaine batch 0 of 2026")
    api_search(jca, q="cocaine 2026")
    with django_assert_max_num_queries(80) as few:
        api_search(jca, q="cocaine 2026")
    for day in range(1, 11):
        report(
            world["jca_analyst"],
            date(2026, 1, day),
            summary=f"cocaine batch {day} of 2026",
            containers=[{"number": "CSQU3054383"}],
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(api_search(jca, q="cocaine 2026")["results"]) >= 10


@pytest.mark.parametrize(
    ("model", "table"),
    [
        (Case, "cases_case"),
        (SeizureReport, "cases_seizurereport"),
        (Organisation, "cases_organisation"),
        (Vessel, "cases_vessel"),
        (Vehicle, "cases_vehicle"),
        (Flight, "cases_flight"),
    ],
)
def test_search_uses_the_full_text_indexes(model: Any, table: str) -> None:
    sql, params = (
        model.objects.filter(text.matches(table, "cocaína")).values("pk").query.sql_with_params()
    )
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert f"{table}_fts" in plan, plan


def test_an_empty_search_does_nothing(world: dict[str, Any], signed_in: Any) -> None:
    page = signed_in(world["jca_analyst"]).get("/search/", {"q": "  "})
    assert page.status_code == 200
    assert not AuditEntry.objects.filter(action="search.performed").exists()
    assert signed_in(world["jca_analyst"]).get("/api/v1/search/").status_code == 400


# --- bounded ranking -------------------------------------------------------------------------


def test_common_words_are_ranked_among_the_newest_matches_the_reader_may_see(
    world: dict[str, Any], signed_in: Any, monkeypatch: Any
) -> None:
    monkeypatch.setattr(search_module, "CANDIDATES", 3)
    jca_user, diran_user = world["jca_analyst"], world["diran_analyst"]
    oldest = actions.create_case(jca_user, {"title": "Ptarmigan", "summary": "ptarmigan ptarmigan"})
    one = actions.create_case(jca_user, {"title": "Ptarmigan one"})
    two = actions.create_case(jca_user, {"title": "Ptarmigan two", "summary": "ptarmigan"})
    three = actions.create_case(jca_user, {"title": "Ptarmigan three"})
    hidden = actions.create_case(diran_user, {"title": "Ptarmigan", "summary": "ptarmigan " * 5})
    jca = signed_in(jca_user)
    body = api_search(jca, q="ptarmigan")
    # the three newest JCA may see, best-ranked first (ties newest first); the oldest ranks
    # higher than all of them but is not among the newest three; DIRAN's is never seen
    assert refs(body) == [two.reference, three.reference, one.reference]
    assert body["ranked_among"] == 3 and body["walked"] == 0
    assert oldest.reference not in json.dumps(body) and hidden.reference not in json.dumps(body)
    page = search(jca, q="ptarmigan")
    assert "Ranked among the newest 3 matches of each kind you may see." in page
    mine = api_search(signed_in(diran_user), q="ptarmigan")
    assert refs(mine) == [hidden.reference]  # alone among DIRAN's: ranked among all
    assert mine["ranked_among"] == 0


def test_a_word_too_common_is_looked_for_in_the_readers_newest_records_only(
    world: dict[str, Any], signed_in: Any, monkeypatch: Any
) -> None:
    monkeypatch.setattr(search_module, "PROBE", 0)
    monkeypatch.setattr(search_module, "WALK_FIRST", 1)
    monkeypatch.setattr(search_module, "WALK_FIRST_MOST", 1)
    monkeypatch.setattr(search_module, "WALK_MOST", 2)
    jca_user = world["jca_analyst"]
    old = actions.create_case(jca_user, {"title": "Ptarmigan flight"})
    actions.create_case(jca_user, {"title": "Unrelated"})
    new = actions.create_case(jca_user, {"title": "Ptarmigan again"})
    body = api_search(signed_in(jca_user), q="ptarmigan")
    assert refs(body) == [new.reference]  # the old one is the third newest JCA sees
    assert body["walked"] == 2
    assert old.reference not in json.dumps(body)
    page = search(signed_in(jca_user), q="ptarmigan")
    assert "only your newest 2 records of each kind were searched for it" in page


def test_levels_come_from_the_door_in_both_regimes(
    world: dict[str, Any], signed_in: Any, regime: str
) -> None:
    """What each result says of the reader's level is the door's, however it was found."""
    from sharing.access import access_level

    jca_user = world["jca_analyst"]
    found = search_module.search(jca_user, search_module.Query(q="Santa OR banana OR Kingston"))
    assert found.results, regime
    for result in found.results:
        assert result.level == access_level(jca_user, result.record), result.record.reference
        assert result.level >= Level.SUMMARY


def test_the_planner_settings_a_search_changes_are_put_back(
    world: dict[str, Any], regime: str
) -> None:
    """The walk turns plain index scans off for its own statements only: the rest of the
    request's transaction plans as usual."""
    with connection.cursor() as cursor:
        cursor.execute("SHOW enable_indexscan")
        assert cursor.fetchone()[0] == "on"
        found = search_module.search(world["diran_analyst"], search_module.Query(q="cocaine"))
        assert found.results, regime
        cursor.execute("SELECT current_setting('enable_indexscan'), current_setting('work_mem')")
        assert cursor.fetchone() == ("on", "4MB")


def test_the_ranking_query_is_valid_whatever_the_stems() -> None:
    query = text.prefix_query([["o'neil", "back\\slash"], [], ["sant", "santo"]])
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT %s::tsquery, to_tsvector('simple', 'santos o''neill') @@ %s::tsquery",
            [query, query],
        )
        parsed, matches = cursor.fetchone()
    assert "'sant':*" in parsed and matches is True
    assert text.prefix_query([[]]) == ""


@pytest.mark.parametrize(
    "words", ["cocaína", "contenedor refrigerado", "banana OR Kingston", '"Santa Marta"', "-x y"]
)
def test_the_deduplicated_query_matches_the_same_rows(world: dict[str, Any], words: str) -> None:
    """Search ORs each language's query once (``query_parts``): the rows are those of the
    query ORed in all four languages (``matches``)."""
    with connection.cursor() as cursor:
        parts = text.query_parts(cursor, words)
    assert len(parts) == len(set(parts)) <= len(text.CONFIGS)
    for model, table in ((Case, "cases_case"), (SeizureReport, "cases_seizurereport")):
        every = set(model.objects.filter(text.matches(table, words)).values_list("pk", flat=True))
        once = set(
            model.objects.filter(text.matches_parts(table, parts)).values_list("pk", flat=True)
        )
        assert every == once, (words, table)
