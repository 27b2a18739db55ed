"""The agencies, people and team pages: every role against every page, forms that refuse bad
input with per-field errors and save nothing, role-aware navigation, fixed query counts."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from agencies import actions
from agencies.models import Agency, Membership, Team
from audit.models import AuditEntry
from tests import factories
from tests.agencies.test_api import snapshot

pytestmark = pytest.mark.django_db

ROLES = ["platform_admin", "jca_agency_admin", "jca_liaison", "jca_analyst"]
ADMINS = {"platform_admin", "jca_agency_admin"}


@pytest.fixture
def world(people: dict[str, Any]) -> dict[str, Any]:
    people["jca_team"] = actions.create_team(
        people["jca_agency_admin"], name="Kingston Port Control Unit", agencies=[people["jca"]]
    )
    people["diran_team"] = actions.create_team(people["diran_agency_admin"], name="DIRAN unit")
    return people


def pages(w: dict[str, Any]) -> list[tuple[str, dict[str, int]]]:
    """(path, expected status per role); roles not named get the default in ``default``."""
    everyone = dict.fromkeys(ROLES, 200)
    platform_only = {r: 200 if r == "platform_admin" else 403 for r in ROLES}
    admins = {r: 200 if r in ADMINS else 403 for r in ROLES}
    jca, diran = w["jca"], w["diran"]
    return [
        ("/agencies/", everyone),
        (f"/agencies/{jca.pk}/", everyone),
        (f"/agencies/{diran.pk}/", everyone),
        ("/agencies/new/", platform_only),
        (f"/agencies/{jca.pk}/edit/", platform_only),
        ("/agencies/trust/", platform_only),
        (f"/agencies/trust/{jca.pk}/{diran.pk}/", platform_only),
        (f"/agencies/trust/{jca.pk}/{diran.pk}/edit/", platform_only),
        ("/agencies/people/", admins),
        ("/agencies/people/new/", admins),
        (f"/agencies/people/{w['jca_analyst'].pk}/", admins),
        (
            f"/agencies/people/{w['diran_analyst'].pk}/",
            {**admins, "jca_agency_admin": 404},
        ),
        (
            f"/agencies/people/{w['platform_admin'].pk}/",
            {**admins, "jca_agency_admin": 404},
        ),
        ("/agencies/teams/", everyone),
        (f"/agencies/teams/{w['jca_team'].pk}/", everyone),
        ("/agencies/teams/new/", admins),
        (f"/agencies/teams/{w['jca_team'].pk}/edit/", admins),
        (f"/agencies/teams/{w['diran_team'].pk}/edit/", platform_only),
        ("/accounts/security/", everyone),
        ("/accounts/password/", everyone),
        ("/accounts/api-token/", everyone),
    ]


@pytest.mark.parametrize("role", ROLES)
def test_every_page_answers_each_role_as_it_should(
    role: str, world: dict[str, Any], signed_in: Any
) -> None:
    client = signed_in(world[role])
    for path, expected in pages(world):
        response = client.get(path)
        assert response.status_code == expected[role], (role, path, response.status_code)


def test_every_page_sends_a_stranger_to_sign_in(world: dict[str, Any]) -> None:
    for path, _ in pages(world):
        response = Client().get(path)
        assert response.status_code == 302, path
        assert response["Location"].startswith("/accounts/login/?next="), path


@pytest.mark.parametrize(
    ("path_of", "data"),
    [
        (lambda w: f"/agencies/people/{w['jca_analyst'].pk}/unlock/", {}),
        (lambda w: f"/agencies/people/{w['jca_analyst'].pk}/reset-second-factor/", {}),
        (lambda w: f"/agencies/people/{w['jca_analyst'].pk}/", {"role": "agency_admin"}),
        (lambda w: "/agencies/new/", {"name": "X", "acronym": "XX", "kind": "police"}),
        (lambda w: f"/agencies/teams/{w['jca_team'].pk}/edit/", {"name": "Renamed"}),
    ],
)
@pytest.mark.parametrize("role", ["jca_liaison", "jca_analyst"])
def test_posts_from_people_without_the_role_change_nothing(
    role: str, path_of: Any, data: dict[str, Any], world: dict[str, Any], signed_in: Any
) -> None:
    before = snapshot()
    response = signed_in(world[role]).post(path_of(world), data)
    assert response.status_code == 403
    assert snapshot() == before


def test_navigation_shows_each_role_its_pages(world: dict[str, Any], signed_in: Any) -> None:
    def nav(role: str) -> str:
        return signed_in(world[role]).get("/agencies/").content.decode().split("</nav>")[0]

    analyst = nav("jca_analyst")
    assert 'href="/agencies/"' in analyst and 'href="/agencies/teams/"' in analyst
    assert 'href="/agencies/trust/"' not in analyst and 'href="/agencies/people/"' not in analyst
    assert 'href="/accounts/security/"' in analyst
    admin = nav("jca_agency_admin")
    assert 'href="/agencies/people/"' in admin and 'href="/agencies/trust/"' not in admin
    platform = nav("platform_admin")
    assert 'href="/agencies/trust/"' in platform and 'href="/agencies/people/"' in platform


# --- agencies -------------------------------------------------------------------------------------


def test_a_platform_admin_onboards_an_agency(world: dict[str, Any], signed_in: Any) -> None:
    client = signed_in(world["platform_admin"])
    response = client.post(
        "/agencies/new/",
        {
            "name": "Policía Nacional de Costa Rica",
            "acronym": "pcd-cr",
            "kind": "police",
            "country": "CR",
            "active": "on",
        },
    )
    agency = Agency.objects.get(acronym="PCD-CR")
    assert response.status_code == 302 and response["Location"] == f"/agencies/{agency.pk}/"
    assert agency.group.name == "agency:PCD-CR"
    assert AuditEntry.objects.filter(action="agency.created", object_id=str(agency.pk)).exists()


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"country": "XX"}, "country", "Select a valid choice"),
        ({"acronym": "JCA"}, "acronym", "already uses the acronym"),
        ({"acronym": "jca"}, "acronym", "already uses the acronym"),
        ({"kind": "operator"}, "kind", "already a platform operator"),
    ],
)
def test_a_bad_agency_form_shows_the_error_and_saves_nothing(
    data: dict[str, str], field: str, message: str, world: dict[str, Any], signed_in: Any
) -> None:
    before = snapshot()
    body = {"name": "New", "acronym": "NEW", "kind": "police", "country": "CR", **data}
    response = signed_in(world["platform_admin"]).post("/agencies/new/", body)
    assert response.status_code == 200
    html = response.content.decode()
    assert f'id="id_{field}_errors"' in html and message in html
    assert snapshot() == before


# --- people ---------------------------------------------------------------------------------------


def test_an_agency_admin_creates_a_person_of_their_agency(
    world: dict[str, Any], signed_in: Any
) -> None:
    client = signed_in(world["jca_agency_admin"])
    form = client.get("/agencies/people/new/").content.decode()
    assert f'value="{world["diran"].pk}"' not in form  # other agencies are not offered
    response = client.post(
        "/agencies/people/new/",
        {
            "username": "kim.analyst",
            "email": "kim@jca.example.org",
            "agency": world["jca"].pk,
            "role": "analyst",
            "password": "a-long-enough-passphrase-91",
        },
    )
    assert response.status_code == 302
    kim = User.objects.get(username="kim.analyst")
    assert kim.membership.agency == world["jca"] and kim.membership.role == "analyst"
    assert AuditEntry.objects.filter(action="user.created", object_id=str(kim.pk)).exists()


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"username": "diran-liaison"}, "username"),  # already a person of DIRAN
        ({"agency": "diran"}, "agency"),
        ({"password": "short"}, "password"),
        ({"role": "root"}, "role"),
        ({"email": "nope"}, "email"),
    ],
)
def test_a_bad_person_form_shows_the_error_and_saves_nothing(
    data: dict[str, Any], field: str, world: dict[str, Any], signed_in: Any
) -> None:
    body: dict[str, Any] = {
        "username": "kim.analyst",
        "email": "kim@jca.example.org",
        "agency": world["jca"].pk,
        "role": "analyst",
        "password": "a-long-enough-passphrase-91",
        **data,
    }
    if body["agency"] == "diran":
        body["agency"] = world["diran"].pk
    before = snapshot()
    response = signed_in(world["jca_agency_admin"]).post("/agencies/people/new/", body)
    assert response.status_code == 200
    assert f'id="id_{field}_errors"' in response.content.decode()
    assert snapshot() == before


def test_an_agency_admin_changes_a_role_and_resets_a_password(
    world: dict[str, Any], signed_in: Any
) -> None:
    analyst = world["jca_analyst"]
    client = signed_in(world["jca_agency_admin"])
    response = client.post(
        f"/agencies/people/{analyst.pk}/",
        {
            "email": analyst.email,
            "role": "liaison",
            "is_active": "on",
            "password": "another-long-passphrase-55",
        },
    )
    assert response.status_code == 302
    analyst.refresh_from_db()
    assert Membership.objects.get(user=analyst).role == "liaison"
    assert analyst.check_password("another-long-passphrase-55")
    entry = AuditEntry.objects.get(action="user.changed", object_id=str(analyst.pk))
    assert entry.details["fields"] == ["password", "role"]
    from notifications.models import Event

    assert Event.objects.filter(kind="security.password_changed", users=analyst).exists()


def test_an_admin_cannot_deactivate_themselves(world: dict[str, Any], signed_in: Any) -> None:
    admin = world["jca_agency_admin"]
    before = snapshot()
    response = signed_in(admin).post(
        f"/agencies/people/{admin.pk}/", {"email": admin.email, "role": "agency_admin"}
    )
    assert response.status_code == 200 and b'id="id_is_active_errors"' in response.content
    assert snapshot() == before


def test_the_people_page_lists_only_the_agencys_people(
    world: dict[str, Any], signed_in: Any
) -> None:
    html = signed_in(world["jca_agency_admin"]).get("/agencies/people/").content.decode()
    assert "jca-analyst" in html and "diran-analyst" not in html and "platform-admin" not in html
    everyone = signed_in(world["platform_admin"]).get("/agencies/people/").content.decode()
    assert "jca-analyst" in everyone and "diran-analyst" in everyone


# --- teams ----------------------------------------------------------------------------------------


def test_an_agency_admin_creates_a_team_managed_by_their_agency(
    world: dict[str, Any], signed_in: Any
) -> None:
    client = signed_in(world["jca_agency_admin"])
    form = client.get("/agencies/teams/new/").content.decode()
    assert 'name="managing_agency"' not in form
    assert "diran-analyst" not in form  # only their own people are offered
    response = client.post(
        "/agencies/teams/new/",
        {
            "name": "Airport Interdiction Task Force",
            "purpose": "Couriers at Norman Manley International",
            "active_from": "2026-01-01",
            "agencies": [world["jca"].pk, world["diran"].pk],
            "users": [world["jca_liaison"].pk],
        },
    )
    team = Team.objects.get(name="Airport Interdiction Task Force")
    assert response.status_code == 302 and response["Location"] == f"/agencies/teams/{team.pk}/"
    assert team.managing_agency == world["jca"]
    assert set(team.agencies.all()) == {world["jca"], world["diran"]}
    assert list(team.users.all()) == [world["jca_liaison"]]
    assert AuditEntry.objects.filter(action="team.created", object_id=str(team.pk)).exists()


def test_a_team_that_ends_before_it_starts_is_refused(
    world: dict[str, Any], signed_in: Any
) -> None:
    before = snapshot()
    response = signed_in(world["platform_admin"]).post(
        "/agencies/teams/new/",
        {"name": "Backwards", "active_from": "2026-05-01", "active_until": "2026-04-01"},
    )
    assert response.status_code == 200
    assert b'id="id_active_until_errors"' in response.content
    assert snapshot() == before


def test_editing_a_team_keeps_the_members_an_agency_admin_cannot_see(
    world: dict[str, Any], signed_in: Any
) -> None:
    team = world["jca_team"]
    actions.update_team(world["platform_admin"], team, users=[world["diran_analyst"]])
    client = signed_in(world["jca_agency_admin"])
    detail = client.get(f"/agencies/teams/{team.pk}/").content.decode()
    assert "diran-analyst" not in detail and "1 person of other agencies" in detail
    response = client.post(
        f"/agencies/teams/{team.pk}/edit/",
        {
            "name": team.name,
            "active_from": "2026-01-01",
            "agencies": [world["jca"].pk],
            "users": [world["jca_analyst"].pk],
        },
    )
    assert response.status_code == 302
    assert set(team.users.all()) == {world["jca_analyst"], world["diran_analyst"]}
    entry = AuditEntry.objects.filter(action="team.changed", object_id=str(team.pk)).last()
    assert entry is not None and "users" in entry.details["fields"]


# --- list pages cost the same however long --------------------------------------------------------


def test_list_pages_cost_the_same_for_few_or_many_rows(
    world: dict[str, Any], signed_in: Any
) -> None:
    admin = signed_in(world["platform_admin"])
    urls = ["/agencies/", "/agencies/people/", "/agencies/teams/", "/agencies/trust/"]

    def grow(start: int, n: int) -> None:
        for i in range(start, start + n):
            agency = factories.agency(f"P{i}", country="BR", kind="police")
            factories.user(agency, "analyst")
            actions.create_team(
                world["platform_admin"], name=f"T{i}", agencies=[agency, world["jca"]]
            )

    def cost() -> dict[str, int]:
        counts = {}
        for url in urls:
            with CaptureQueriesContext(connection) as captured:
                assert admin.get(url).status_code == 200
            counts[url] = len(captured)
        return counts

    grow(0, 2)
    before = cost()
    grow(2, 10)
    assert cost() == before


@pytest.mark.parametrize(
    ("language", "heading", "level"),
    [
        ("es", "Matriz de confianza", "2 — de confianza (hasta AMBER+STRICT)"),
        ("fr", "Matrice de confiance", "2 — de confiance (jusqu&#x27;à AMBER+STRICT)"),
        ("pt", "Matriz de confiança", "2 — de confiança (até AMBER+STRICT)"),
    ],
)
def test_the_pages_speak_the_readers_language(
    language: str, heading: str, level: str, world: dict[str, Any], signed_in: Any
) -> None:
    from django.conf import settings

    client = signed_in(world["platform_admin"])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    assert heading in client.get("/agencies/trust/").content.decode()
    edit = client.get(f"/agencies/trust/{world['jca'].pk}/{world['diran'].pk}/edit/")
    assert level in edit.content.decode()


def test_a_deactivated_or_repassworded_person_is_signed_out_everywhere(
    world: dict[str, Any], signed_in: Any
) -> None:
    analyst, liaison = world["jca_analyst"], world["jca_liaison"]
    analyst_session, liaison_session = signed_in(analyst), signed_in(liaison)
    admin = signed_in(world["jca_agency_admin"])
    admin.post(f"/agencies/people/{analyst.pk}/", {"email": analyst.email, "role": "analyst"})
    admin.post(
        f"/agencies/people/{liaison.pk}/",
        {
            "email": liaison.email,
            "role": "liaison",
            "is_active": "on",
            "password": "another-long-passphrase-55",
        },
    )
    assert not User.objects.get(pk=analyst.pk).is_active
    for session in (analyst_session, liaison_session):
        response = session.get("/agencies/")
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
