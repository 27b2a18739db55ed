"""The access matrix: every role x relation to a record x endpoint → expected status, and no
response ever carries what its reader may not see.

Universal checks on every response, whatever the endpoint:
- a record the viewer may not see: neither its title nor its reference appears;
- a record the viewer sees below ``full``: neither its person's name nor its evidence file
  name appears (summary is non-nominal: no personal data, no attachments).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

import pytest
from django.contrib.auth.models import User
from django.test import Client

from sharing.models import Level
from tests.access.endpoints import ENDPOINTS, Endpoint
from tests.access.world import RELATIONS, ROLES, Viewer, World, levels_on, sentinels

pytestmark = pytest.mark.django_db


def assert_discloses_nothing_unseen(viewer: Viewer, body: str) -> None:
    for record, level in levels_on(viewer).items():
        marks = sentinels(viewer.world, record)
        if level < Level.SUMMARY:
            for mark in (marks["title"], marks["reference"], marks["seizure_reference"]):
                assert mark not in body, f"{viewer} can read {mark!r} of the {record} record"
        if level < Level.FULL:
            for mark in (marks["person"], marks["file"]):
                assert mark not in body, f"{viewer} (level {level}) can read {mark!r}"


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=str)
@pytest.mark.parametrize("relation", list(RELATIONS))
@pytest.mark.parametrize("role", ROLES)
def test_access_matrix(
    world: World,
    client_for: Callable[[User], Client],
    endpoint: Endpoint,
    role: str,
    relation: str,
) -> None:
    viewer = world.viewer(role, relation)
    url = endpoint.url(viewer)
    if url is None:
        pytest.skip(f"{endpoint} has nothing to show for {viewer}")
    client = client_for(viewer.user)
    kwargs: dict[str, Any] = {}
    if endpoint.data is not None and endpoint.form:
        kwargs = {"data": urlencode(endpoint.data(viewer), doseq=True),
                  "content_type": "application/x-www-form-urlencoded"}  # fmt: skip
    elif endpoint.data is not None:
        kwargs = _encode({"data": endpoint.data(viewer), "content_type": "application/json"})
    response = client.generic(endpoint.method, url, **kwargs)
    expected = endpoint.expect(viewer)
    assert response.status_code == expected, (
        f"{endpoint} for {viewer}: {response.status_code} (expected {expected}) "
        f"{response.content[:300]!r}"
    )
    streamed: Any = response  # CSV downloads stream
    raw = b"".join(streamed.streaming_content) if response.streaming else response.content
    body = raw.decode(errors="replace")
    assert_discloses_nothing_unseen(viewer, body)
    if endpoint.summary_lacks and viewer.level < Level.FULL and response.status_code < 300:
        payload = response.json()
        for key in endpoint.summary_lacks:
            assert key not in payload, f"{endpoint} shows {key!r} to {viewer}"
    if endpoint.check is not None:
        endpoint.check(viewer, response)


def _encode(kwargs: dict[str, Any]) -> dict[str, Any]:
    import json

    if "data" in kwargs:
        return {"data": json.dumps(kwargs["data"]), "content_type": kwargs["content_type"]}
    return {}
