"""The access door itself, for every role x relation: the level on each record of the world,
and every entry point of ``sharing.access`` agreeing with it."""

from __future__ import annotations

import pytest
from django.http import Http404

from cases.models import Case, SeizureReport
from sharing import access
from sharing.models import Level
from tests.access.world import RELATIONS, ROLES, World, levels_on

pytestmark = pytest.mark.django_db

THRESHOLDS = [Level.SUMMARY, Level.FULL, Level.CONTRIBUTE, Level.OWNER]


@pytest.mark.parametrize("relation", list(RELATIONS))
@pytest.mark.parametrize("role", ROLES)
def test_every_entry_of_the_door_agrees_on_the_viewer_s_level(
    world: World, role: str, relation: str
) -> None:
    viewer = world.viewer(role, relation)
    user = viewer.user
    levels = levels_on(viewer)
    newest_cases = {c.pk: c.access_level for c in access.newest_visible(Case, user, limit=100)}  # type: ignore[attr-defined]
    newest_seizures = {
        s.pk: s.access_level  # type: ignore[attr-defined]
        for s in access.newest_visible(SeizureReport, user, limit=100)
    }
    bare = {
        Case: dict(access.newest_visible_levels(Case, user, limit=100)),
        SeizureReport: dict(access.newest_visible_levels(SeizureReport, user, limit=100)),
    }
    for label, expected in levels.items():
        scene = world.records[label]
        for record, newest in ((scene.case, newest_cases), (scene.seizure, newest_seizures)):
            what = f"{viewer} on the {label} {type(record).__name__}"
            assert access.access_level(user, record) == expected, what
            assert newest.get(record.pk, Level.NONE) == expected, what
            assert bare[type(record)].get(record.pk, Level.NONE) == expected, what
            for threshold in THRESHOLDS:
                given = access.levels_of(type(record), user, [record.pk], threshold)
                assert given.get(record.pk, (Level.NONE,))[0] == (
                    expected if expected >= threshold else Level.NONE
                ), f"{what} at {threshold}"
            for threshold in THRESHOLDS:
                listed = access.visible(type(record), user, threshold).filter(pk=record.pk)
                assert listed.exists() == (expected >= threshold), f"{what} at {threshold}"
            if expected >= Level.SUMMARY:
                found = access.get_visible_or_404(user, type(record), pk=record.pk)
                assert found.access_level == expected  # type: ignore[attr-defined]
            else:
                with pytest.raises(Http404):
                    access.get_visible_or_404(user, type(record), pk=record.pk)
    visible_cases = sum(1 for level in levels.values() if level >= Level.SUMMARY)
    assert access.count_visible(Case, user).value == visible_cases
    assert len(newest_cases) == visible_cases
