"""Sharing in the demo region, made the way people make it: through ``sharing.actions``, so the
audit trail, the notifications and the access rows are the real ones.

- approved sharing in both directions: JCA's reefer case with DIRAN, DIRAN's Cartagena
  containers case with JCA (each offered by one liaison officer, approved by another);
- a team share: DIRAN's Guajira go-fast case with a Caribbean working group (DIRAN, DNCD, JCA);
- an expired grant: DIRAN's precursor case was shared with SENAN for a month that has passed;
- pending requests in both queues: DNCD and DIRAN asking JCA for more, an offer of JCA's
  waiting for the second liaison officer, and an urgent request for information from JCA to
  DIRAN with a due date.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from agencies import actions as agency_actions
from agencies.models import Agency, Team
from cases.models import Case
from sharing import actions
from sharing.models import CaseGroupAccess, Grant, Level, ShareRequest

WORKING_GROUP = "Caribbean go-fast working group (demo)"


def _case(acronym: str, title: str) -> Case:
    return Case.objects.select_related("owner_agency").get(
        owner_agency__acronym=acronym, title=title
    )


def _share(offerer: User, approver: User, record: Case, level: int, **kwargs: Any) -> Grant:
    note = kwargs.pop("note", "Approved: operational need confirmed.")
    offered = actions.offer(offerer, record, level=level, **kwargs)
    (grant,) = actions.approve(approver, offered, note=note)
    return grant


def _let_expire(grant: Grant, days_ago: int) -> None:
    """Time passes: the grant ended ``days_ago`` days ago, and the expiry task runs."""
    ended = timezone.now() - timedelta(days=days_ago)
    Grant.objects.filter(pk=grant.pk).update(expires_at=ended)
    CaseGroupAccess.objects.filter(grant=grant).update(expires_at=ended)
    actions.expire_due_grants()


@transaction.atomic
def load(password: str) -> None:
    people = {user.username: user for user in User.objects.filter(membership__isnull=False)}
    agencies = {agency.acronym: agency for agency in Agency.objects.all()}
    soon = timezone.now() + timedelta(days=90)

    # Approved, both directions.
    _share(
        people["leo.liaison"],
        people["lia.liaison"],
        _case("JCA", "Operation Coral Reef"),
        Level.FULL,
        recipient_agency=agencies["DIRAN"],
        expires_at=soon,
        justification="Guayaquil reefers transshipped at Kingston: DIRAN holds the exporters.",
    )
    _share(
        people["lucia.enlace"],
        people["andres.enlace"],
        _case("DIRAN", "Contaminación Cartagena"),
        Level.FULL,
        recipient_agency=agencies["JCA"],
        justification="Contaminated containers from Cartagena call at Kingston.",
    )

    # A team share.
    team = Team.objects.filter(name=WORKING_GROUP).first() or agency_actions.create_team(
        people["admin"],
        name=WORKING_GROUP,
        purpose="Go-fast departures from La Guajira towards Hispaniola and Jamaica.",
        agencies=[agencies["DIRAN"], agencies["DNCD"], agencies["JCA"]],
        active_from=date(2026, 1, 1),
    )
    _share(
        people["lucia.enlace"],
        people["andres.enlace"],
        _case("DIRAN", "Operación Guajira"),
        Level.FULL,
        recipient_team=team,
        justification="Shared with the working group for joint interdiction.",
    )

    # An expired grant.
    precursors = _case("DIRAN", "Precursores Buenaventura")
    expired = _share(
        people["lucia.enlace"],
        people["andres.enlace"],
        precursors,
        Level.FULL,
        recipient_agency=agencies["SENAN"],
        expires_at=timezone.now() + timedelta(days=1),
        justification="Permanganate transshipped at Colón: one month of sharing.",
    )
    _let_expire(expired, days_ago=5)

    # Partners see some JCA records in summary, and ask for more.
    couriers = _case("JCA", "Sangster couriers")
    _share(
        people["leo.liaison"],
        people["lia.liaison"],
        couriers,
        Level.SUMMARY,
        recipient_agency=agencies["DNCD"],
        justification="Couriers on the Santo Domingo route.",
    )
    actions.request_access(
        people["pedro.analista"],
        couriers,
        level=Level.FULL,
        justification="Two of the couriers flew from Las Américas last month.",
    )
    go_fasts = _case("JCA", "Pedro Banks go-fasts")
    _share(
        people["lia.liaison"],
        people["leo.liaison"],
        go_fasts,
        Level.SUMMARY,
        recipient_agency=agencies["DIRAN"],
        justification="Go-fasts leaving La Guajira.",
    )
    actions.request_access(
        people["carlos.analista"],
        go_fasts,
        level=Level.FULL,
        expires_at=timezone.now() + timedelta(days=60),
        justification="The boats match departures we are watching in La Guajira.",
    )

    # An offer waiting for the second liaison officer (four-eyes).
    actions.offer(
        people["leo.liaison"],
        _case("JCA", "Florida barrels"),
        level=Level.SUMMARY,
        recipient_agency=agencies["IMPACS"],
        justification="For the regional firearms picture.",
    )

    # An urgent request for information, due in two days.
    actions.send_rfi(
        people["ana.analyst"],
        _case("DIRAN", "Contaminación Cartagena"),
        question="Was the same consignee used for the Kingston call in March?",
        justification="The container is due at Kingston on Friday.",
        priority=ShareRequest.Priority.URGENT,
        due_date=timezone.localdate() + timedelta(days=2),
    )
