"""``sharing.access.agency_levels``: what an agency as a whole sees of each record — the same
level the door gives one of its members who holds no grant of their own."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from cases.models import Case, SeizureReport
from sharing.access import access_level, agency_levels
from sharing.models import CaseGroupAccess, Level
from tests import factories
from tests.cases.builders import grant


def test_an_agency_sees_each_record_as_its_members_see_it_through_the_door(db: Any) -> None:
    owner, partner, teammate, stranger = (factories.agency(a) for a in ("OWN", "PAR", "TMT", "STR"))
    by = factories.user(owner, "liaison")
    members = {a.pk: factories.user(a) for a in (owner, partner, teammate, stranger)}
    team = factories.team(agencies=[partner, teammate])
    past = timezone.now() - timedelta(days=1)
    cases = {
        "granted": factories.case(owner, tlp="AMBER"),
        "clear": factories.case(owner, tlp="CLEAR"),
        "to the team": factories.case(owner, tlp="GREEN"),
        "expired": factories.case(owner, tlp="AMBER"),
        "nobody": factories.case(owner, tlp="RED"),
    }
    grant(cases["granted"], partner, Level.CONTRIBUTE, by=by)
    grant(cases["expired"], partner, Level.FULL, by=by, expires_at=past)
    team_grant = grant(cases["to the team"], partner, Level.SUMMARY, by=by)
    # the grant's row moved to the team's group, as a share to a team writes it
    CaseGroupAccess.objects.filter(grant=team_grant).update(group=team.group)
    reports = {
        "in the granted case": factories.seizure(owner, case=cases["granted"], tlp="AMBER"),
        "alone": factories.seizure(owner, tlp="AMBER"),
    }
    grant(reports["alone"], teammate, Level.FULL, by=by)
    agencies = list(members)

    for model, records in ((Case, cases), (SeizureReport, reports)):
        ids = [r.pk for r in records.values()]
        found = agency_levels(model, ids, agencies, "tlp")
        for name, record in records.items():
            expected = {a: access_level(members[a], record) for a in agencies}
            assert found[record.pk]["levels"] == expected, (model.__name__, name)
            assert found[record.pk]["tlp"] == record.tlp
    # and the figures are the ones the rules give
    assert agency_levels(Case, [cases["granted"].pk], [partner.pk])[cases["granted"].pk][
        "levels"
    ] == {partner.pk: Level.CONTRIBUTE}
    assert agency_levels(Case, [cases["expired"].pk], [partner.pk])[cases["expired"].pk][
        "levels"
    ] == {partner.pk: Level.NONE}
    team_levels = agency_levels(Case, [cases["to the team"].pk], [teammate.pk, stranger.pk])
    assert team_levels[cases["to the team"].pk]["levels"] == {
        teammate.pk: Level.SUMMARY,
        stranger.pk: Level.NONE,
    }
    reached = agency_levels(SeizureReport, [reports["in the granted case"].pk], [partner.pk])
    assert reached[reports["in the granted case"].pk]["levels"][partner.pk] >= Level.SUMMARY
    assert agency_levels(Case, [cases["clear"].pk], [stranger.pk])[cases["clear"].pk]["levels"] == {
        stranger.pk: Level.FULL
    }
    assert agency_levels(Case, [cases["nobody"].pk], [owner.pk])[cases["nobody"].pk]["levels"] == {
        owner.pk: Level.OWNER
    }
    # a record asked about with no agency still comes back with its fields
    assert agency_levels(Case, [cases["clear"].pk], [], "tlp") == {
        cases["clear"].pk: {"levels": {}, "tlp": "CLEAR"}
    }
