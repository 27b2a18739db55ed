"""``/api/v1/agencies/``, ``users/``, ``trust-levels/``, ``teams/``: every role against every
endpoint, bad input as per-field 400s that change nothing, and fixed query counts."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from agencies import actions
from agencies.models import Agency, Membership, Team, TrustLevel, TrustLevelChange
from tests import factories
from tests.agencies.conftest import enrolled, password_step
from tests.conftest import verify

pytestmark = pytest.mark.django_db

ROLES = ["platform_admin", "jca_agency_admin", "jca_liaison", "jca_analyst"]
NEW_PASSWORD = "a-long-enough-passphrase-91"


def snapshot() -> dict[str, list[tuple[Any, ...]]]:
    """Every row this issue's endpoints could touch, to prove a refusal changed nothing."""
    return {
        "agencies": list(Agency.objects.order_by("pk").values_list()),
        # every column but last_login, which signing in to make the request moves
        "users": list(
            User.objects.order_by("pk").values_list(
                *[f.attname for f in User._meta.concrete_fields if f.name != "last_login"]
            )
        ),
        "memberships": list(Membership.objects.order_by("pk").values_list()),
        "trust": list(TrustLevel.objects.order_by("pk").values_list()),
        "trust_changes": list(TrustLevelChange.objects.order_by("pk").values_list()),
        "teams": list(Team.objects.order_by("pk").values_list()),
        "team_agencies": list(Team.agencies.through.objects.order_by("pk").values_list()),
        "team_users": list(Team.users.through.objects.order_by("pk").values_list()),
    }


class JsonClient(Client):
    """A verified browser session speaking JSON to the API."""

    def post(self, path: str, data: Any = None, **extra: Any) -> Any:  # type: ignore[override]
        return super().post(path, data, content_type="application/json", **extra)

    def patch(self, path: str, data: Any = None, **extra: Any) -> Any:  # type: ignore[override]
        return super().patch(path, data, content_type="application/json", **extra)


@pytest.fixture
def api(people: dict[str, Any]) -> dict[str, Client]:
    return {role: verify(JsonClient(), people[role]) for role in ROLES}


@pytest.fixture
def jca_team(people: dict[str, Any]) -> Team:
    return actions.create_team(
        people["jca_agency_admin"],
        name="Kingston Port Control Unit",
        agencies=[people["jca"]],
        users=[people["jca_analyst"]],
    )


def expect(status: int, response: Any, what: str) -> None:
    assert response.status_code == status, f"{what}: {response.status_code} {response.content!r}"


# --- who may do what ----------------------------------------------------------------------------


def test_a_password_alone_or_nobody_gets_no_api(people: dict[str, Any]) -> None:
    enrolled(people["jca_analyst"])
    half = Client()
    password_step(half, people["jca_analyst"].username)
    for path in ("/api/v1/agencies/", "/api/v1/users/", "/api/v1/trust-levels/", "/api/v1/teams/"):
        assert Client().get(path).status_code == 401, path
        assert half.get(path).status_code in (401, 403), path


@pytest.mark.parametrize("role", ROLES)
def test_everyone_reads_agencies_and_teams(
    role: str, api: dict[str, Client], people: dict[str, Any], jca_team: Team
) -> None:
    client = api[role]
    listing = client.get("/api/v1/agencies/")
    expect(200, listing, "agency list")
    assert {a["acronym"] for a in listing.json()["results"]} >= {"JCA", "DIRAN"}
    expect(200, client.get(f"/api/v1/agencies/{people['diran'].pk}/"), "agency detail")
    teams = client.get("/api/v1/teams/")
    expect(200, teams, "team list")
    assert [t["name"] for t in teams.json()["results"]] == ["Kingston Port Control Unit"]
    expect(200, client.get(f"/api/v1/teams/{jca_team.pk}/"), "team detail")


@pytest.mark.parametrize("role", ROLES)
def test_only_platform_admins_create_and_change_agencies(
    role: str, api: dict[str, Client], people: dict[str, Any]
) -> None:
    before = snapshot()
    created = api[role].post(
        "/api/v1/agencies/",
        {"name": "Guardia Costera", "acronym": "GC-CR", "kind": "coast_guard", "country": "CR"},
    )
    changed = api[role].patch(f"/api/v1/agencies/{people['diran'].pk}/", {"liaison_phone": "+57 1"})
    if role == "platform_admin":
        expect(201, created, "create")
        assert created.json()["acronym"] == "GC-CR"
        expect(200, changed, "update")
        assert Agency.objects.get(acronym="GC-CR").group.name == "agency:GC-CR"
    else:
        expect(403, created, "create")
        expect(403, changed, "update")
        assert snapshot() == before
    expect(405, api[role].delete(f"/api/v1/agencies/{people['diran'].pk}/"), "delete")


@pytest.mark.parametrize(
    ("role", "visible"),
    [
        ("platform_admin", {"jca-analyst", "jca-liaison", "jca-agency_admin", "diran-analyst"}),
        ("jca_agency_admin", {"jca-analyst", "jca-liaison", "jca-agency_admin"}),
        ("jca_liaison", {"jca-liaison"}),
        ("jca_analyst", {"jca-analyst"}),
    ],
)
def test_people_see_only_whom_they_may(
    role: str, visible: set[str], api: dict[str, Client], people: dict[str, Any]
) -> None:
    names = {u["username"] for u in api[role].get("/api/v1/users/?page_size=200").json()["results"]}
    assert visible <= names
    if role != "platform_admin":
        assert names == visible
    # another agency's people answer 404 to everyone but platform admins
    other = api[role].get(f"/api/v1/users/{people['diran_analyst'].pk}/")
    expect(200 if role == "platform_admin" else 404, other, "other agency's user")
    # never a password, not even hashed
    assert all("password" not in u for u in api[role].get("/api/v1/users/").json()["results"])


@pytest.mark.parametrize("role", ROLES)
def test_platform_and_agency_admins_create_people_of_their_scope(
    role: str, api: dict[str, Client], people: dict[str, Any]
) -> None:
    before = snapshot()
    response = api[role].post(
        "/api/v1/users/",
        {
            "username": "new.officer",
            "password": NEW_PASSWORD,
            "email": "new.officer@jca.example.org",
            "agency": people["jca"].pk,
            "role": "liaison",
        },
    )
    if role in ("platform_admin", "jca_agency_admin"):
        expect(201, response, "create user")
        made = User.objects.get(username="new.officer")
        assert made.membership.agency == people["jca"] and made.membership.role == "liaison"
        assert made.groups.filter(pk=people["jca"].group_id).exists()
        assert made.password.startswith("argon2$") and made.check_password(NEW_PASSWORD)
        assert not made.is_staff
    else:
        expect(403, response, "create user")
        assert snapshot() == before


def test_an_agency_admin_manages_only_their_agency(
    api: dict[str, Client], people: dict[str, Any]
) -> None:
    admin = api["jca_agency_admin"]
    before = snapshot()
    elsewhere = admin.post(
        "/api/v1/users/",
        {
            "username": "spy",
            "password": NEW_PASSWORD,
            "email": "spy@example.org",
            "agency": people["diran"].pk,
            "role": "analyst",
        },
    )
    expect(400, elsewhere, "create in another agency")
    assert "agency" in elsewhere.json()
    expect(
        404, admin.patch(f"/api/v1/users/{people['diran_analyst'].pk}/", {"role": "liaison"}), "x"
    )
    expect(404, admin.post(f"/api/v1/users/{people['diran_analyst'].pk}/unlock/"), "unlock other")
    expect(404, admin.get(f"/api/v1/users/{people['platform_admin'].pk}/"), "platform admin")
    assert snapshot() == before
    # their own people: role change, audited
    own = admin.patch(f"/api/v1/users/{people['jca_analyst'].pk}/", {"role": "liaison"})
    expect(200, own, "change role")
    assert Membership.objects.get(user=people["jca_analyst"]).role == "liaison"
    from audit.models import AuditEntry

    entry = AuditEntry.objects.get(action="user.changed", object_id=str(people["jca_analyst"].pk))
    assert entry.details["fields"] == ["role"]


@pytest.mark.parametrize("role", ["jca_liaison", "jca_analyst"])
def test_others_cannot_change_even_themselves(
    role: str, api: dict[str, Client], people: dict[str, Any]
) -> None:
    before = snapshot()
    me = people[role]
    expect(403, api[role].patch(f"/api/v1/users/{me.pk}/", {"role": "agency_admin"}), "self")
    expect(
        404,
        api[role].patch(f"/api/v1/users/{people['jca_agency_admin'].pk}/", {"email": "x@y.z"}),
        "x",
    )
    assert snapshot() == before


def test_only_platform_admins_make_platform_admins(
    api: dict[str, Client], people: dict[str, Any]
) -> None:
    before = snapshot()
    refused = api["jca_agency_admin"].post(
        "/api/v1/users/",
        {
            "username": "sneaky",
            "password": NEW_PASSWORD,
            "email": "s@example.org",
            "agency": people["jca"].pk,
            "role": "agency_admin",
            "platform_admin": True,
        },
    )
    expect(400, refused, "agency admin making a platform admin")
    assert "platform_admin" in refused.json()
    wrong_agency = api["platform_admin"].post(
        "/api/v1/users/",
        {
            "username": "wrong",
            "password": NEW_PASSWORD,
            "email": "w@example.org",
            "agency": people["jca"].pk,
            "role": "agency_admin",
            "platform_admin": True,
        },
    )
    expect(400, wrong_agency, "platform admin outside the operator")
    assert snapshot() == before
    made = api["platform_admin"].post(
        "/api/v1/users/",
        {
            "username": "second.admin",
            "password": NEW_PASSWORD,
            "email": "a2@example.org",
            "agency": people["operator"].pk,
            "role": "analyst",
            "platform_admin": True,
        },
    )
    expect(201, made, "platform admin")
    assert made.json()["platform_admin"] is True and made.json()["role"] == "agency_admin"


@pytest.mark.parametrize("role", ROLES)
def test_trust_levels_are_set_by_platform_admins_and_read_by_the_parties(
    role: str, api: dict[str, Client], people: dict[str, Any]
) -> None:
    jca, diran = people["jca"], people["diran"]
    third = factories.agency("DNCD", country="DO", kind="drug_control")
    actions.set_trust_level(people["platform_admin"], diran, third, 2, "Caribbean patrols")
    actions.set_trust_level(people["platform_admin"], diran, jca, 1, "First contact")
    before = snapshot()
    body = {"from_agency": jca.pk, "to_agency": diran.pk, "level": 2, "reason": "MoU"}
    response = api[role].post("/api/v1/trust-levels/", body)
    pairs = {
        (t["from_agency"], t["to_agency"])
        for t in api[role].get("/api/v1/trust-levels/").json()["results"]
    }
    if role == "platform_admin":
        expect(201, response, "set trust")
        assert actions.trust_level(jca, diran) == 2
        again = api[role].post("/api/v1/trust-levels/", {**body, "level": 3, "reason": "Closer"})
        expect(200, again, "change trust")
        trust = TrustLevel.objects.get(from_agency=jca, to_agency=diran)
        history = api[role].get(f"/api/v1/trust-levels/{trust.pk}/history/").json()["results"]
        assert [h["new_level"] for h in history] == [3, 2]
        assert history[0]["reason"] == "Closer" and history[0]["old_level"] == 2
        assert (diran.pk, third.pk) in pairs
    else:
        expect(403, response, "set trust")
        assert snapshot() == before
        # the pairs involving their agency, not DIRAN's trust in DNCD
        assert pairs == {(diran.pk, jca.pk)}
        trust = TrustLevel.objects.get(from_agency=diran, to_agency=jca)
        patch = api[role].patch(f"/api/v1/trust-levels/{trust.pk}/", {"level": 3, "reason": "?"})
        expect(403, patch, "change trust")
        assert snapshot() == before


@pytest.mark.parametrize("role", ROLES)
def test_teams_are_created_by_admins_and_managed_by_their_agency(
    role: str, api: dict[str, Client], people: dict[str, Any], jca_team: Team
) -> None:
    before = snapshot()
    created = api[role].post(
        "/api/v1/teams/",
        {
            "name": "Airport Interdiction Task Force",
            "purpose": "Couriers at the international airport",
            "agencies": [people["jca"].pk, people["diran"].pk],
            "managing_agency": people["diran"].pk,
        },
    )
    patch = api[role].patch(f"/api/v1/teams/{jca_team.pk}/", {"purpose": "Containers"})
    if role in ("platform_admin", "jca_agency_admin"):
        expect(201, created, "create team")
        team = Team.objects.get(name="Airport Interdiction Task Force")
        # an agency admin's team is managed by their own agency, whatever they asked
        expected = people["diran"] if role == "platform_admin" else people["jca"]
        assert team.managing_agency == expected
        assert team.created_by == people[role]
        expect(200, patch, "manage team")
        assert Team.objects.get(pk=jca_team.pk).purpose == "Containers"
    else:
        expect(403, created, "create team")
        expect(403, patch, "manage team")
        assert snapshot() == before


def test_an_agency_admin_does_not_manage_another_agencys_team(
    api: dict[str, Client], people: dict[str, Any], signed_in: Any
) -> None:
    diran_team = actions.create_team(people["diran_agency_admin"], name="DIRAN unit")
    before = snapshot()
    expect(
        403, api["jca_agency_admin"].patch(f"/api/v1/teams/{diran_team.pk}/", {"purpose": "x"}), "x"
    )
    assert snapshot() == before


def test_team_members_of_other_agencies_stay_hidden_and_kept(
    api: dict[str, Client], people: dict[str, Any], jca_team: Team
) -> None:
    actions.update_team(
        people["platform_admin"],
        jca_team,
        users=[people["jca_analyst"], people["diran_analyst"]],
    )
    seen = api["jca_agency_admin"].get(f"/api/v1/teams/{jca_team.pk}/").json()
    assert seen["users"] == [people["jca_analyst"].pk] and seen["user_count"] == 2
    everyone = api["platform_admin"].get(f"/api/v1/teams/{jca_team.pk}/").json()
    assert set(everyone["users"]) == {people["jca_analyst"].pk, people["diran_analyst"].pk}
    # the agency admin swaps their own member; the DIRAN member stays
    response = api["jca_agency_admin"].patch(
        f"/api/v1/teams/{jca_team.pk}/", {"users": [people["jca_liaison"].pk]}
    )
    expect(200, response, "members")
    assert set(jca_team.users.values_list("pk", flat=True)) == {
        people["jca_liaison"].pk,
        people["diran_analyst"].pk,
    }
    # and cannot add another agency's people (they do not exist for them)
    before = snapshot()
    refused = api["jca_agency_admin"].patch(
        f"/api/v1/teams/{jca_team.pk}/", {"users": [people["diran_liaison"].pk]}
    )
    expect(400, refused, "other agency's person")
    assert "users" in refused.json()
    assert snapshot() == before


# --- bad input: a per-field 400 that changes nothing -------------------------------------------


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"name": "X", "acronym": "XX1", "kind": "police", "country": "XX"}, "country"),
        ({"name": "X", "acronym": "XX2", "kind": "police", "country": "ZZ"}, "country"),
        ({"name": "Dup", "acronym": "JCA", "kind": "police", "country": "JM"}, "acronym"),
        ({"name": "Dup", "acronym": "jca", "kind": "police", "country": "JM"}, "acronym"),
        ({"name": "X", "acronym": "XX3", "kind": "militia", "country": "JM"}, "kind"),
        ({"name": "Op2", "acronym": "OP2", "kind": "operator", "country": "PA"}, "kind"),
        ({"name": "", "acronym": "XX4", "kind": "police", "country": "JM"}, "name"),
    ],
)
def test_bad_agencies_are_refused_field_by_field(
    body: dict[str, Any], field: str, api: dict[str, Client]
) -> None:
    before = snapshot()
    response = api["platform_admin"].post("/api/v1/agencies/", body)
    expect(400, response, "bad agency")
    assert field in response.json(), response.json()
    assert snapshot() == before


def test_renaming_an_agency_to_a_taken_acronym_is_refused(
    api: dict[str, Client], people: dict[str, Any]
) -> None:
    before = snapshot()
    response = api["platform_admin"].patch(
        f"/api/v1/agencies/{people['diran'].pk}/", {"acronym": "JCA"}
    )
    expect(400, response, "duplicate acronym")
    assert "acronym" in response.json()
    assert snapshot() == before


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"to_agency": "from"}, "to_agency"),  # trust in oneself
        ({"level": 7}, "level"),
        ({"level": -1}, "level"),
        ({"level": "high"}, "level"),
        ({"reason": ""}, "reason"),
        ({"to_agency": 999999}, "to_agency"),
    ],
)
def test_bad_trust_levels_are_refused_field_by_field(
    change: dict[str, Any], field: str, api: dict[str, Client], people: dict[str, Any]
) -> None:
    body = {"from_agency": people["jca"].pk, "to_agency": people["diran"].pk, "level": 2}
    body["reason"] = "Reason"
    body.update(change)
    if body["to_agency"] == "from":
        body["to_agency"] = people["jca"].pk
    before = snapshot()
    response = api["platform_admin"].post("/api/v1/trust-levels/", body)
    expect(400, response, "bad trust")
    assert field in response.json(), response.json()
    assert snapshot() == before


def test_changing_a_trust_level_without_a_reason_is_refused(
    api: dict[str, Client], people: dict[str, Any]
) -> None:
    actions.set_trust_level(people["platform_admin"], people["jca"], people["diran"], 2, "MoU")
    trust = TrustLevel.objects.get()
    before = snapshot()
    response = api["platform_admin"].patch(f"/api/v1/trust-levels/{trust.pk}/", {"level": 1})
    expect(400, response, "no reason")
    assert "reason" in response.json()
    assert snapshot() == before


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"username": "diran-analyst"}, "username"),  # a person already in another agency
        ({"username": "DIRAN-ANALYST"}, "username"),
        ({"role": "superuser"}, "role"),
        ({"password": "short"}, "password"),
        ({"password": ""}, "password"),
        ({"email": "not-an-address"}, "email"),
        ({"agency": 999999}, "agency"),
    ],
)
def test_bad_people_are_refused_field_by_field(
    change: dict[str, Any], field: str, api: dict[str, Client], people: dict[str, Any]
) -> None:
    body = {
        "username": "fresh.person",
        "password": NEW_PASSWORD,
        "email": "fresh@example.org",
        "agency": people["jca"].pk,
        "role": "analyst",
    }
    body.update(change)
    before = snapshot()
    response = api["platform_admin"].post("/api/v1/users/", body)
    expect(400, response, "bad person")
    assert field in response.json(), response.json()
    assert snapshot() == before


def test_a_person_cannot_move_to_a_second_agency(
    api: dict[str, Client], people: dict[str, Any]
) -> None:
    before = snapshot()
    response = api["platform_admin"].patch(
        f"/api/v1/users/{people['jca_analyst'].pk}/", {"agency": people["diran"].pk}
    )
    expect(400, response, "second agency")
    assert "agency" in response.json()
    assert snapshot() == before


def test_a_team_cannot_end_before_it_starts(api: dict[str, Client], people: dict[str, Any]) -> None:
    before = snapshot()
    response = api["platform_admin"].post(
        "/api/v1/teams/",
        {"name": "Backwards", "active_from": "2026-05-01", "active_until": "2026-04-01"},
    )
    expect(400, response, "backwards team")
    assert "active_until" in response.json()
    duplicate = api["platform_admin"].post("/api/v1/teams/", {"name": "Backwards"})
    expect(201, duplicate, "first")
    again = api["platform_admin"].post("/api/v1/teams/", {"name": "backwards"})
    expect(400, again, "duplicate name")
    assert "name" in again.json()
    assert Team.objects.count() == len(before["teams"]) + 1


# --- lists cost the same however long -----------------------------------------------------------


def _count_queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured)


def test_list_endpoints_cost_the_same_for_few_or_many_rows(
    api: dict[str, Client], people: dict[str, Any]
) -> None:
    urls = ["/api/v1/agencies/", "/api/v1/users/", "/api/v1/trust-levels/", "/api/v1/teams/"]

    def grow(n: int, offset: int) -> None:
        for i in range(offset, offset + n):
            agency = factories.agency(f"GR{i}", country="BR", kind="police")
            factories.user(agency, "analyst")
            factories.user(people["jca"], "analyst")
            actions.set_trust_level(people["platform_admin"], people["jca"], agency, 1, "r")
            actions.create_team(
                people["platform_admin"],
                name=f"Team {i}",
                agencies=[agency, people["jca"]],
                users=[people["jca_analyst"], people["diran_analyst"]],
            )

    grow(2, 0)
    for client in api.values():
        client.get("/api/v1/agencies/")  # warm the session
    before = {(role, url): _count_queries(c, url) for role, c in api.items() for url in urls}
    grow(10, 2)
    after = {(role, url): _count_queries(c, url) for role, c in api.items() for url in urls}
    assert after == before
    assert max(after.values()) <= 12
