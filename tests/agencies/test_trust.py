"""Trust levels: set only by platform admins with a reason, history kept and shown, the matrix
page edited in place, and lowering trust suspends the grants above the new ceiling."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import Permission, User
from django.core.exceptions import PermissionDenied, ValidationError

from agencies import actions
from agencies.models import Agency, Team, TrustLevel, TrustLevelChange
from audit.models import AuditEntry
from cases.models import Case, SeizureReport
from notifications.models import Event
from sharing import access
from sharing.models import (
    CASE_PERMISSION,
    SEIZURE_PERMISSION,
    CaseGroupAccess,
    CaseUserAccess,
    Grant,
    Level,
    SeizureGroupAccess,
    SeizureUserAccess,
)
from tests import factories

pytestmark = pytest.mark.django_db


def grant(
    record: Case | SeizureReport,
    *,
    by: User,
    agency: Agency | None = None,
    team: Team | None = None,
    user: User | None = None,
    level: int = Level.FULL,
) -> Grant:
    """An active grant with its access row, as the sharing approval flow writes them."""
    is_case = isinstance(record, Case)
    made = Grant.objects.create(
        case=record if isinstance(record, Case) else None,
        seizure=record if isinstance(record, SeizureReport) else None,
        owner_agency=record.owner_agency,
        recipient_agency=agency,
        recipient_team=team,
        recipient_user=user,
        level=level,
        granted_by=by,
    )
    codename = (CASE_PERMISSION if is_case else SEIZURE_PERMISSION)[Level(level)]
    permission = Permission.objects.get(codename=codename, content_type__app_label="cases")
    row = {
        "grant": made,
        "level": level,
        "created": record.created_at,
        "permission": permission,
        "content_object": record,
    }
    if user is not None:
        (CaseUserAccess if is_case else SeizureUserAccess).objects.create(user=user, **row)
    else:
        group = agency.group if agency is not None else team.group  # type: ignore[union-attr]
        (CaseGroupAccess if is_case else SeizureGroupAccess).objects.create(group=group, **row)
    return made


def sees(user: User, record: Case | SeizureReport) -> bool:
    model = type(record)
    access.forget_principals(user)
    return access.visible(model, user).filter(pk=record.pk).exists()


def set_trust(people: dict[str, Any], src: Agency, dst: Agency, level: int) -> TrustLevelChange:
    return actions.set_trust_level(people["platform_admin"], src, dst, level, "test setup")


# --- the rules of trust ---------------------------------------------------------------------------


def test_only_platform_admins_set_trust(people: dict[str, Any]) -> None:
    for role in ("jca_analyst", "jca_liaison", "jca_agency_admin"):
        with pytest.raises(PermissionDenied):
            actions.set_trust_level(people[role], people["jca"], people["diran"], 2, "why not")
    assert not TrustLevel.objects.exists() and not TrustLevelChange.objects.exists()


def test_a_reason_is_mandatory_and_levels_are_0_to_3(people: dict[str, Any]) -> None:
    admin = people["platform_admin"]
    with pytest.raises(ValidationError) as no_reason:
        actions.set_trust_level(admin, people["jca"], people["diran"], 2, "  ")
    assert "reason" in no_reason.value.message_dict
    with pytest.raises(ValidationError) as seven:
        actions.set_trust_level(admin, people["jca"], people["diran"], 7, "typo")
    assert "level" in seven.value.message_dict
    with pytest.raises(ValidationError) as itself:
        actions.set_trust_level(admin, people["jca"], people["jca"], 2, "self")
    assert "to_agency" in itself.value.message_dict
    assert not TrustLevel.objects.exists() and not TrustLevelChange.objects.exists()


def test_trust_is_directed_and_every_change_is_kept_audited_and_told(
    people: dict[str, Any],
) -> None:
    jca, diran = people["jca"], people["diran"]
    set_trust(people, jca, diran, 3)
    change = actions.set_trust_level(people["platform_admin"], jca, diran, 1, "Leak inquiry")
    assert actions.trust_level(jca, diran) == 1
    assert actions.trust_level(diran, jca) == 0  # directed: never set the other way
    assert change.old_level == 3 and change.new_level == 1 and change.reason == "Leak inquiry"
    assert TrustLevelChange.objects.filter(from_agency=jca, to_agency=diran).count() == 2
    assert AuditEntry.objects.filter(action="trust.changed").count() == 2
    event = Event.objects.filter(kind="trust.changed").order_by("created_at").last()
    assert event is not None
    assert set(event.agencies.values_list("acronym", flat=True)) == {"JCA", "DIRAN"}
    assert sorted(event.roles) == ["agency_admin", "liaison"]


# --- suspension when trust is lowered -------------------------------------------------------------


def test_lowering_trust_suspends_grants_above_the_new_ceiling(people: dict[str, Any]) -> None:
    # given JCA shared an AMBER and a GREEN case with DIRAN under trust 2
    jca, diran = people["jca"], people["diran"]
    owner = people["jca_liaison"]
    set_trust(people, jca, diran, 2)
    amber = factories.case(jca, tlp="AMBER", title="Amber case")
    green = factories.case(jca, tlp="GREEN", title="Green case")
    amber_grant = grant(amber, by=owner, agency=diran)
    green_grant = grant(green, by=owner, agency=diran)
    reader = people["diran_analyst"]
    assert sees(reader, amber) and sees(reader, green)
    # when a platform admin lowers JCA's trust in DIRAN to 1 (up to GREEN)
    change = actions.set_trust_level(people["platform_admin"], jca, diran, 1, "Review")
    # then the AMBER grant is suspended, its access row gone, and DIRAN no longer sees it
    assert change.grants_suspended == 1
    amber_grant.refresh_from_db()
    green_grant.refresh_from_db()
    assert amber_grant.status == Grant.Status.SUSPENDED and amber_grant.ended_at is not None
    assert green_grant.status == Grant.Status.ACTIVE
    assert not CaseGroupAccess.objects.filter(grant=amber_grant).exists()
    assert CaseGroupAccess.objects.filter(grant=green_grant).exists()
    assert not sees(reader, amber)
    assert sees(reader, green)
    # audited, and both the recipients and the owner's liaison officers are told
    assert AuditEntry.objects.filter(
        action="grant.suspended", object_id=str(amber_grant.pk)
    ).exists()
    events = Event.objects.filter(kind="grant.suspended", object_id=str(amber_grant.pk))
    assert {e.data["audience"] for e in events} == {"recipients", "owner"}
    owner_event = events.get(data__audience="owner")
    assert list(owner_event.agencies.all()) == [jca] and owner_event.roles == ["liaison"]
    assert list(events.get(data__audience="recipients").agencies.all()) == [diran]


def test_lowering_trust_reaches_team_and_named_user_grants(people: dict[str, Any]) -> None:
    jca, diran = people["jca"], people["diran"]
    owner = people["jca_liaison"]
    set_trust(people, jca, diran, 3)
    team = Team.objects.create(name="Joint task force")
    team.agencies.add(diran)
    to_team = grant(factories.case(jca, tlp="AMBER"), by=owner, team=team)
    red = factories.case(jca, tlp="RED")
    to_person = grant(red, by=owner, user=people["diran_liaison"])
    assert sees(people["diran_liaison"], red)
    # to 2: RED needs 3, so the named-user grant goes; AMBER needs 2, so the team one stays
    assert (
        actions.set_trust_level(people["platform_admin"], jca, diran, 2, "x").grants_suspended == 1
    )
    to_person.refresh_from_db()
    to_team.refresh_from_db()
    assert to_person.status == Grant.Status.SUSPENDED and to_team.status == Grant.Status.ACTIVE
    assert not CaseUserAccess.objects.filter(grant=to_person).exists()
    assert not sees(people["diran_liaison"], red)
    # to 0: the team grant goes too
    assert (
        actions.set_trust_level(people["platform_admin"], jca, diran, 0, "y").grants_suspended == 1
    )
    to_team.refresh_from_db()
    assert to_team.status == Grant.Status.SUSPENDED


def test_lowering_trust_leaves_other_owners_and_recipients_alone(people: dict[str, Any]) -> None:
    jca, diran = people["jca"], people["diran"]
    third = factories.agency("DNCD", country="DO", kind="drug_control")
    set_trust(people, jca, diran, 2)
    set_trust(people, jca, third, 2)
    set_trust(people, diran, jca, 2)
    to_third = grant(factories.case(jca, tlp="AMBER"), by=people["jca_liaison"], agency=third)
    from_diran = grant(factories.case(diran, tlp="AMBER"), by=people["diran_liaison"], agency=jca)
    assert (
        actions.set_trust_level(people["platform_admin"], jca, diran, 0, "z").grants_suspended == 0
    )
    for untouched in (to_third, from_diran):
        untouched.refresh_from_db()
        assert untouched.status == Grant.Status.ACTIVE


def test_seizure_grants_are_suspended_too(people: dict[str, Any]) -> None:
    jca, diran = people["jca"], people["diran"]
    set_trust(people, jca, diran, 2)
    seizure = factories.seizure(jca, tlp="AMBER")
    made = grant(seizure, by=people["jca_liaison"], agency=diran)
    assert sees(people["diran_analyst"], seizure)
    assert (
        actions.set_trust_level(people["platform_admin"], jca, diran, 1, "w").grants_suspended == 1
    )
    made.refresh_from_db()
    assert made.status == Grant.Status.SUSPENDED
    assert not sees(people["diran_analyst"], seizure)


def test_adding_an_untrusted_agency_to_a_team_suspends_its_grants(people: dict[str, Any]) -> None:
    # given JCA shared an AMBER case with a team of which DIRAN (trusted 2) is a member
    jca, diran = people["jca"], people["diran"]
    stranger = factories.agency("SENAD", country="PY", kind="drug_control")
    stranger_analyst = factories.user(stranger, "analyst")
    set_trust(people, jca, diran, 2)
    team = actions.create_team(people["platform_admin"], name="Task force", agencies=[diran])
    case = factories.case(jca, tlp="AMBER")
    made = grant(case, by=people["jca_liaison"], team=team)
    assert sees(people["diran_analyst"], case)
    # when a platform admin adds SENAD, whom JCA never trusted
    actions.update_team(people["platform_admin"], team, agencies=[diran, stranger])
    # then the grant is suspended before SENAD sees anything
    made.refresh_from_db()
    assert made.status == Grant.Status.SUSPENDED
    assert not sees(stranger_analyst, case)
    entry = AuditEntry.objects.get(action="team.changed")
    assert entry.details["grants_suspended"] == 1


# --- pages ----------------------------------------------------------------------------------------


def test_the_matrix_is_for_platform_admins_only(people: dict[str, Any], signed_in: Any) -> None:
    jca, diran = people["jca"], people["diran"]
    for role in ("jca_analyst", "jca_liaison", "jca_agency_admin"):
        client = signed_in(people[role])
        assert client.get("/agencies/trust/").status_code == 403
        assert client.get(f"/agencies/trust/{jca.pk}/{diran.pk}/edit/").status_code == 403
        denied = client.post(
            f"/agencies/trust/{jca.pk}/{diran.pk}/edit/", {"level": 3, "reason": "please"}
        )
        assert denied.status_code == 403
    assert not TrustLevel.objects.exists()


def test_the_matrix_shows_a_colour_per_level(
    people: dict[str, Any], signed_in: Any, django_assert_max_num_queries: Any
) -> None:
    jca, diran = people["jca"], people["diran"]
    set_trust(people, jca, diran, 2)
    client = signed_in(people["platform_admin"])
    with django_assert_max_num_queries(12):
        page = client.get("/agencies/trust/")
    html = page.content.decode()
    assert page.status_code == 200
    assert f'id="trust-{jca.pk}-{diran.pk}" class="trust-cell trust-2' in html
    assert f'id="trust-{diran.pk}-{jca.pk}" class="trust-cell trust-0' in html
    assert 'class="trust-self' in html


def test_the_matrix_query_count_does_not_grow_with_agencies(
    people: dict[str, Any], signed_in: Any, django_assert_max_num_queries: Any
) -> None:
    for n in range(15):
        factories.agency(f"X{n}", country="BR", kind="police")
    client = signed_in(people["platform_admin"])
    with django_assert_max_num_queries(12):
        assert client.get("/agencies/trust/").status_code == 200


def test_the_matrix_filters_by_country_and_kind(people: dict[str, Any], signed_in: Any) -> None:
    factories.agency("DIAN", country="CO", kind="customs")
    client = signed_in(people["platform_admin"])
    html = client.get("/agencies/trust/?country=CO&kind=customs").content.decode()
    rows = html.split("<tbody>")[1]
    assert ">DIAN</a>" in rows and ">DIRAN</a>" not in rows and ">JCA</a>" not in rows
    columns = client.get("/agencies/trust/?to_country=JM").content.decode().split("<tbody>")[0]
    assert ">JCA</abbr>" in columns and ">DIRAN</abbr>" not in columns


def test_a_cell_is_edited_in_place_with_its_reason(people: dict[str, Any], signed_in: Any) -> None:
    jca, diran = people["jca"], people["diran"]
    client = signed_in(people["platform_admin"])
    url = f"/agencies/trust/{jca.pk}/{diran.pk}/edit/"
    # the cell becomes a form
    form = client.get(url, HTTP_HX_REQUEST="true")
    assert form.status_code == 200
    assert form.content.decode().startswith("<td") and 'name="reason"' in form.content.decode()
    # without a reason: the form comes back with the error and nothing changes
    refused = client.post(url, {"level": 2, "reason": ""}, HTTP_HX_REQUEST="true")
    assert refused.status_code == 200 and b"required" in refused.content
    assert not TrustLevel.objects.exists()
    # with a reason: the cell comes back with its new colour
    saved = client.post(url, {"level": 2, "reason": "MoU signed"}, HTTP_HX_REQUEST="true")
    assert saved.status_code == 200
    assert f'id="trust-{jca.pk}-{diran.pk}" class="trust-cell trust-2' in saved.content.decode()
    assert actions.trust_level(jca, diran) == 2
    assert TrustLevelChange.objects.get().reason == "MoU signed"
    # level 7 is refused
    bad = client.post(url, {"level": 7, "reason": "typo"}, HTTP_HX_REQUEST="true")
    assert b"Select a valid choice" in bad.content
    assert actions.trust_level(jca, diran) == 2
    # trust in oneself has no cell
    assert client.get(f"/agencies/trust/{jca.pk}/{jca.pk}/edit/").status_code == 404


def test_a_cell_can_be_edited_without_javascript(people: dict[str, Any], signed_in: Any) -> None:
    jca, diran = people["jca"], people["diran"]
    client = signed_in(people["platform_admin"])
    url = f"/agencies/trust/{jca.pk}/{diran.pk}/edit/"
    assert b"<html" in client.get(url).content
    response = client.post(url, {"level": 1, "reason": "First contact"})
    assert response.status_code == 302 and response["Location"] == "/agencies/trust/"
    assert actions.trust_level(jca, diran) == 1


def test_the_agency_page_shows_trust_both_ways_and_the_history(
    people: dict[str, Any], signed_in: Any
) -> None:
    jca, diran = people["jca"], people["diran"]
    set_trust(people, jca, diran, 3)
    actions.set_trust_level(people["platform_admin"], jca, diran, 2, "Downgraded after audit")
    set_trust(people, diran, jca, 1)
    for viewer in ("jca_analyst", "platform_admin"):
        html = signed_in(people[viewer]).get(f"/agencies/{jca.pk}/").content.decode()
        assert "JCA's trust in others" in html and "Others' trust in JCA" in html
        assert "Downgraded after audit" in html
        assert people["jca_liaison"].username in html  # members
        assert "2 — trusted" in html and "1 — basic" in html
    # another agency's people see the public profile only
    outsider = signed_in(people["diran_analyst"]).get(f"/agencies/{jca.pk}/").content.decode()
    assert "Downgraded after audit" not in outsider
    assert people["jca_liaison"].username not in outsider
    assert "Customs" in outsider
