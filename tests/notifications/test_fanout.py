"""Fan-out: the outbox event becomes one notification per reader, in one statement, once."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import IntegrityError, transaction

from agencies.models import Team
from notifications.delivery import deliver
from notifications.events import emit
from notifications.kinds import EmailMode
from notifications.models import Event, Notification, Preference
from tests import factories
from tests.notifications.helpers import deliver_all, many_members, notified, share_case

pytestmark = pytest.mark.django_db


def test_a_share_notifies_every_member_of_the_recipient_agency_and_no_one_else(
    region: dict[str, Any],
) -> None:
    case = factories.case(region["jca"], by=region["jca_analyst"])
    share_case(case, region["diran"], by=region["jca_liaison"])
    deliver_all()
    for role in ("analyst", "liaison", "agency_admin"):
        assert notified(region[f"diran_{role}"]) == ["grant.created"]
    # the owner's side hears of the offer and its decision, not of the grant
    assert notified(region["jca_liaison"]) == ["share_request.created"]
    assert notified(region["jca_analyst"]) == notified(region["jca_agency_admin"]) == []


def test_roles_narrow_the_agency_audience(region: dict[str, Any]) -> None:
    case = factories.case(region["jca"])
    emit("share_request.created", obj=case, agencies=[region["jca"]], roles=["liaison"])
    deliver_all()
    assert notified(region["jca_liaison"]) == ["share_request.created"]
    assert notified(region["jca_analyst"]) == []
    assert notified(region["jca_agency_admin"]) == []


def test_a_team_reaches_its_named_people_and_every_member_of_its_member_agencies(
    region: dict[str, Any],
) -> None:
    third = factories.agency("CCP", country="PA")
    third_analyst = factories.user(third, "analyst")
    outsider = factories.user(factories.agency("OUT", country="TT"), "analyst")
    team = Team.objects.create(name="Port control unit")
    team.agencies.add(third)
    team.users.add(region["diran_analyst"])
    emit("grant.created", obj=factories.case(region["jca"]), teams=[team])
    deliver_all()
    assert notified(third_analyst) == ["grant.created"]
    assert notified(region["diran_analyst"]) == ["grant.created"]
    assert notified(region["diran_liaison"]) == []
    assert notified(outsider) == []


def test_an_inactive_team_notifies_no_one(region: dict[str, Any]) -> None:
    import datetime

    team = Team.objects.create(
        name="Finished operation",
        active_from=datetime.date(2020, 1, 1),
        active_until=datetime.date(2020, 12, 31),
    )
    team.users.add(region["diran_analyst"])
    emit("grant.created", obj=factories.case(region["jca"]), teams=[team])
    deliver_all()
    assert notified(region["diran_analyst"]) == []


def test_the_actor_is_not_told_of_their_own_action_but_is_told_of_security_events(
    region: dict[str, Any],
) -> None:
    liaison = region["jca_liaison"]
    emit("case.message", actor=liaison, obj=factories.case(region["jca"]), agencies=[region["jca"]])
    emit("security.password_changed", actor=liaison, users=[liaison])
    deliver_all()
    assert notified(liaison) == ["security.password_changed"]
    assert notified(region["jca_analyst"]) == ["case.message"]


def test_a_rolled_back_change_leaves_no_event(region: dict[str, Any]) -> None:
    with pytest.raises(RuntimeError), transaction.atomic():
        emit("grant.created", obj=factories.case(region["jca"]), agencies=[region["diran"]])
        raise RuntimeError("the change failed")
    assert not Event.objects.exists()


def test_an_unknown_kind_is_refused(region: dict[str, Any]) -> None:
    with pytest.raises(ValueError, match="unknown notification kind"):
        emit("grant.made", agencies=[region["diran"]])


def test_delivering_twice_shows_the_notification_once(region: dict[str, Any]) -> None:
    event = emit("grant.created", obj=factories.case(region["jca"]), agencies=[region["diran"]])
    first = deliver(str(event.pk))
    # a redelivery after the event was dispatched does nothing
    assert deliver(str(event.pk)).notified == 0
    # even a redelivery that ignores the dispatched mark cannot show it twice
    Event.objects.filter(pk=event.pk).update(dispatched_at=None)
    assert deliver(str(event.pk)).notified == 0
    assert first.notified == 3
    assert Notification.objects.filter(event=event).count() == 3
    with pytest.raises(IntegrityError), transaction.atomic():
        Notification.objects.create(user=region["diran_analyst"], event=event)


def test_fan_out_costs_the_same_queries_for_three_readers_or_sixty(
    region: dict[str, Any], django_assert_num_queries: Any
) -> None:
    small = emit("grant.created", obj=factories.case(region["jca"]), agencies=[region["diran"]])
    big_agency = factories.agency("BIG", country="BR")
    many_members(big_agency, 60)
    big = emit("grant.created", obj=factories.case(region["jca"]), agencies=[big_agency])
    # savepoint, lock the event, fan-out, webhooks, mark dispatched, release
    with django_assert_num_queries(6):
        assert deliver(str(small.pk)).notified == 3
    with django_assert_num_queries(6):
        assert deliver(str(big.pk)).notified == 60


def test_email_mode_follows_preferences_and_security_always_goes(region: dict[str, Any]) -> None:
    analyst = region["diran_analyst"]
    Preference.objects.create(user=analyst, kind="grant.created", email=EmailMode.OFF)
    # even a stored "off" for a security kind (the form refuses it) does not stop the e-mail
    Preference.objects.create(user=analyst, kind="security.locked", email=EmailMode.OFF)
    emit("grant.created", obj=factories.case(region["jca"]), agencies=[region["diran"]])
    emit("case.message", obj=factories.case(region["diran"]), users=[analyst])
    emit("security.locked", users=[analyst])
    deliver_all()
    modes = dict(Notification.objects.filter(user=analyst).values_list("event__kind", "email_mode"))
    assert modes == {
        "grant.created": EmailMode.OFF,
        "case.message": EmailMode.DIGEST,  # the kind's default
        "security.locked": EmailMode.IMMEDIATE,
    }
    assert (
        Notification.objects.get(user=region["diran_liaison"], event__kind="grant.created")
    ).email_mode == EmailMode.IMMEDIATE


def test_the_event_carries_ids_not_record_content(region: dict[str, Any]) -> None:
    case = factories.case(region["jca"], title="Operation Sábalo: 2 t cocaine")
    grant = share_case(case, region["diran"], by=region["jca_liaison"])
    for event in Event.objects.all():
        assert (event.record_type, event.record_id) == ("case", case.pk)
        assert "Sábalo" not in str(event.data) and case.reference not in str(event.data)
        for value in event.data.values():
            assert value is None or (isinstance(value, int | str) and len(str(value)) < 40)
    event = Event.objects.get(kind="grant.created")
    assert (event.object_type, event.object_id) == ("sharing.grant", str(grant.pk))
    assert event.data["agency_id"] == region["jca"].pk
