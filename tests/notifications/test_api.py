"""``/api/v1/notifications/``: list, read/, read_all/, unread_count/ — the caller's own only."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client

from notifications.models import Notification
from tests import factories
from tests.notifications.helpers import deliver_all, share_case

pytestmark = pytest.mark.django_db

SignedIn = Callable[[User], Client]


def _share_n(region: dict[str, Any], n: int) -> None:
    for i in range(n):
        share_case(
            factories.case(region["jca"], title=f"Case {i}"), region["diran"], region["jca_liaison"]
        )
    deliver_all()


def test_the_list_is_paginated_newest_first_with_what_the_reader_may_see(
    region: dict[str, Any], signed_in: SignedIn
) -> None:
    _share_n(region, 3)
    body = signed_in(region["diran_analyst"]).get("/api/v1/notifications/").json()
    assert body["count"] == 3 and body["next"] is None
    first = body["results"][0]
    assert first["kind"] == "grant.created"
    assert first["label"] == "Record shared with you"
    assert first["available"] is True and first["record"].endswith("Case 2")
    assert first["text"] == f"JCA shared {first['record']} with you."
    assert first["url"].startswith("http://testserver/notifications/")
    assert first["read_at"] is None


def test_read_marks_one_and_unread_count_follows(
    region: dict[str, Any], signed_in: SignedIn
) -> None:
    _share_n(region, 2)
    client = signed_in(region["diran_analyst"])
    assert client.get("/api/v1/notifications/unread_count/").json() == {"unread_count": 2}
    one = Notification.objects.filter(user=region["diran_analyst"]).first()
    assert one is not None
    response = client.post(f"/api/v1/notifications/{one.pk}/read/")
    assert response.status_code == 200 and response.json()["read_at"] is not None
    assert client.get("/api/v1/notifications/unread_count/").json() == {"unread_count": 1}
    assert client.get("/api/v1/notifications/?unread=true").json()["count"] == 1
    assert client.post("/api/v1/notifications/read_all/").json() == {"marked": 1}
    assert client.get("/api/v1/notifications/unread_count/").json() == {"unread_count": 0}


def test_another_users_notification_is_a_404(region: dict[str, Any], signed_in: SignedIn) -> None:
    _share_n(region, 1)
    theirs = Notification.objects.get(user=region["diran_analyst"])
    client = signed_in(region["diran_liaison"])
    assert client.get(f"/api/v1/notifications/{theirs.pk}/").status_code == 404
    assert client.post(f"/api/v1/notifications/{theirs.pk}/read/").status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_the_list_costs_a_fixed_number_of_queries(
    region: dict[str, Any], signed_in: SignedIn, django_assert_num_queries: Any
) -> None:
    _share_n(region, 12)
    client = signed_in(region["diran_analyst"])
    client.get("/api/v1/notifications/")
    # session, user with membership and agency, otp device, count, page, principals,
    # visible cases, agencies
    with django_assert_num_queries(8):
        response = client.get("/api/v1/notifications/")
    assert response.json()["count"] == 12
