"""The demo region's sharing: made through sharing.actions (audit, notifications, access rows
are real), with something in every page for the people who try the demo."""

from __future__ import annotations

from collections.abc import Callable
from io import StringIO
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.test import Client

from audit.models import AuditEntry
from notifications.models import Event
from sharing import access
from sharing.models import Grant, Level, ShareRequest

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


def person(username: str) -> User:
    return User.objects.get(username=username)


def test_it_loads_shares_both_ways_a_team_share_an_expired_grant_and_pending_requests(
    signed_in: Callable[..., Client], settings: Any
) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("load_demo", stdout=StringIO())
    active = Grant.objects.filter(status=Grant.Status.ACTIVE)
    pairs = set(
        active.filter(recipient_agency__isnull=False).values_list(
            "owner_agency__acronym", "recipient_agency__acronym"
        )
    )
    assert {("JCA", "DIRAN"), ("DIRAN", "JCA")} <= pairs
    team_grant = active.get(recipient_team__isnull=False)
    assert team_grant.recipient_team is not None
    assert "working group" in team_grant.recipient_team.name
    expired = Grant.objects.get(status=Grant.Status.EXPIRED)
    assert expired.owner_agency.acronym == "DIRAN"
    # each grant was approved by someone other than the person who offered it
    for grant in Grant.objects.select_related("share_request"):
        assert grant.share_request is not None
        assert grant.share_request.requested_by_id != grant.granted_by_id

    pending = ShareRequest.objects.filter(status=ShareRequest.Status.PENDING)
    kinds = {
        (r.owner_agency.acronym, r.kind, r.priority) for r in pending.select_related("owner_agency")
    }
    assert ("DIRAN", "rfi", "urgent") in kinds
    assert ("JCA", "access", "routine") in kinds and ("JCA", "offer", "routine") in kinds

    # the trail is the real one
    for action in (
        "share_request.created",
        "share_request.decided",
        "grant.created",
        "grant.expired",
    ):
        assert AuditEntry.objects.filter(action=action).exists(), action
    assert Event.objects.filter(kind="share_request.created").exists()
    assert Event.objects.filter(kind="grant.expired").exists()

    # the door agrees: DNCD sees the team's case, SENAN no longer sees the expired one
    guajira = team_grant.record
    assert access.access_level(person("pedro.analista"), guajira) == Level.FULL
    assert access.access_level(person("marcos.analista"), expired.record) == Level.NONE

    # and the pages show it: the urgent RFI first in DIRAN's queue, JCA's case shared with DIRAN
    queue = signed_in(person("lucia.enlace")).get("/sharing/queue/").content.decode()
    rfi = pending.get(kind="rfi")
    assert f"#{rfi.pk}<" in queue and "Urgent" in queue
    shared = signed_in(person("carlos.analista")).get("/sharing/shared-with-us/").content.decode()
    assert "Operation Coral Reef" in shared
    jca_queue = signed_in(person("lia.liaison")).get("/sharing/queue/").content.decode()
    offer = pending.get(kind="offer")
    assert f"/sharing/requests/{offer.pk}/approve/" in jca_queue  # lia did not make the offer
    leo_queue = signed_in(person("leo.liaison")).get("/sharing/queue/").content.decode()
    assert f"/sharing/requests/{offer.pk}/approve/" not in leo_queue  # four-eyes

    # loading again adds nothing
    before = ShareRequest.objects.count()
    call_command("load_demo", stdout=StringIO())
    assert ShareRequest.objects.count() == before
