"""A small demo region for the browser tests: the demo's agencies, people, trust and teams
(portal.demo), and a handful of records made by the demo's own record maker — a JCA case
with container seizures, a DIRAN case shared with JCA, a message, a webhook, notifications.
The full demo (300 reports) takes most of a minute to load; this takes a few seconds."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.contrib.auth.models import User
from django.utils import timezone

from agencies.models import Agency, Team
from cases import actions as records
from cases.models import Case, SeizureReport
from hits.models import Hit
from imports import actions as imports
from imports.models import SeizureImport
from notifications import actions as notifications
from notifications.models import WebhookEndpoint
from portal.demo import agencies as demo_agencies
from portal.demo import trust as demo_trust
from portal.demo.records import NESTED, Maker
from sharing import actions as sharing
from sharing.models import Grant, Level, ShareRequest
from tests import factories
from tests.imports.helpers import GOOD, csv_file
from tests.notifications.helpers import deliver_all


@dataclass
class World:
    users: dict[str, User]  # analyst, liaison, agency_admin, platform_admin (JCA's, and admin)
    jca: Agency
    diran: Agency
    case: Case  # JCA's own
    seizure: SeizureReport  # JCA's own, inside ``case``
    shared_case: Case  # DIRAN's, shared with JCA at full level
    shared_seizure: SeizureReport  # inside ``shared_case``
    hidden_seizure: SeizureReport  # DIRAN's, shared with nobody (search finds a pointer)
    grant: Grant  # DIRAN's case shared with JCA
    given_grant: Grant  # JCA's case shared with DIRAN (summary)
    pending: ShareRequest  # DIRAN asks JCA for full access to ``case``
    hit: Hit  # JCA's and DIRAN's reports name the same container
    team: Team
    webhook: WebhookEndpoint
    seizure_import: SeizureImport  # an uploaded table, not yet checked

    def user(self, username: str) -> User:
        return User.objects.get(username=username)


def _seizure(
    maker: Maker, user: User, scenario: str, agency: str, case: Case | None, **rows: Any
) -> SeizureReport:
    payload: dict[str, Any] = {**maker.make(scenario, agency), **rows}
    payload.update(
        case=case.pk if case else None,
        tlp=case.tlp if case else "AMBER",
        seized_on=timezone.localdate() - timedelta(days=9),
    )
    for flight in payload.get("flights") or []:
        flight.setdefault("flight_date", payload["seized_on"])
    nested = {kind: payload.pop(kind, None) or [] for kind in NESTED}
    return records.create_seizure(user, payload, nested)


def demo_world() -> World:
    demo_agencies.load(factories.PASSWORD)
    demo_trust.load(factories.PASSWORD)
    maker = Maker(random.Random(20260301))
    ana, carlos = (
        User.objects.get(username="ana.analyst"),
        User.objects.get(username="carlos.analista"),
    )
    case = records.create_case(
        ana,
        {
            "title": "Operation Coral Reef",
            "summary": "Reefer containers from Guayaquil transshipped at Kingston for Rotterdam.",
            "status": "investigation",
            "crime_types": ["drug_trafficking"],
            "tlp": "AMBER",
            "source_reliability": "B",
            "information_credibility": "2",
        },
    )
    seizure = _seizure(maker, ana, "container", "JCA", case)
    _seizure(maker, ana, "firearms", "JCA", case)
    records.post_message(ana, case.pk, "Container profiled by the Port Control Unit; x-ray next.")
    shared_case = records.create_case(
        carlos,
        {
            "title": "Operación Pacífico Sur",
            "summary": "Semi-submersibles and go-fasts leaving Tumaco and Buenaventura.",
            "status": "investigation",
            "crime_types": ["drug_trafficking"],
            "tlp": "AMBER",
        },
    )
    shared_seizure = _seizure(maker, carlos, "gofast", "DIRAN", shared_case)
    # DIRAN's unshared report on JCA's container: a deconfliction hit on both sides
    container = seizure.containers.values("number").first()
    hidden_seizure = _seizure(maker, carlos, "container", "DIRAN", None, containers=[container])
    offer = sharing.offer(
        User.objects.get(username="lucia.enlace"),
        shared_case,
        level=Level.FULL,
        justification="Go-fasts landing in Jamaica: joint targeting.",
        recipient_agency=ana.membership.agency,
    )
    (grant,) = sharing.approve(
        User.objects.get(username="andres.enlace"), offer, note="Approved under the MoU."
    )
    # JCA shares its case with DIRAN at summary level; DIRAN asks for more (JCA's queue)
    given = sharing.offer(
        User.objects.get(username="lia.liaison"),
        case,
        level=Level.SUMMARY,
        justification="Containers bound for Europe: DIRAN targets the shipper.",
        recipient_agency=shared_case.owner_agency,
    )
    (given_grant,) = sharing.approve(
        User.objects.get(username="leo.liaison"), given, note="Summary only for now."
    )
    pending = sharing.request_access(
        carlos, case, level=Level.FULL, justification="The shipper is under investigation here."
    )
    webhook, _secret = notifications.register_webhook(
        User.objects.get(username="ada.admin"),
        url="http://127.0.0.1:9/enlace/hook",  # no delivery runs in these tests
        description="JCA case management system",
    )
    seizure_import = imports.upload(ana, csv_file([GOOD, [*GOOD[:4], "lots", *GOOD[5:]]]))
    deliver_all()
    return World(
        users={
            "analyst": ana,
            "liaison": User.objects.get(username="leo.liaison"),
            "agency_admin": User.objects.get(username="ada.admin"),
            "platform_admin": User.objects.get(username="admin"),
        },
        jca=Agency.objects.get(acronym="JCA"),
        diran=Agency.objects.get(acronym="DIRAN"),
        case=case,
        seizure=seizure,
        shared_case=shared_case,
        shared_seizure=shared_seizure,
        hidden_seizure=hidden_seizure,
        grant=grant,
        given_grant=given_grant,
        pending=pending,
        hit=Hit.objects.filter(our_agency__acronym="JCA").latest("id"),
        team=Team.objects.get(name="Kingston Port Control Unit"),
        webhook=webhook,
        seizure_import=seizure_import,
    )
