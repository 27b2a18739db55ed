"""Demo step: deconfliction hits in the demo region (docs/HITS.md).

Reports saved by the records step already matched one another as they were saved (the linked
pairs: a container, a vessel, a courier, a go-fast crew, a pistol, a front company). This step
matches any report recorded before matching existed (``match_record`` creates nothing twice),
then adds an undercover case: DIRAN's go-fast report is marked "do not reveal on match" and
carries a crew member's phone that DNCD also recorded. DIRAN's liaison officer is told; DNCD
learns nothing.
"""

from __future__ import annotations

import random
from datetime import timedelta

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from cases import actions
from cases.models import SeizureReport
from hits.matching import match_record
from portal.demo.records import NESTED, RECORDERS, SEED, Maker

UNDERCOVER_PLACE = "Bahía Solano (operación encubierta)"


def _report(maker: Maker, user: User, scenario: str, agency: str, **extra: object) -> None:
    payload = maker.make(scenario, agency)
    day = timezone.localdate() - timedelta(days=12)
    payload.update(seized_on=day, tlp="AMBER", case=None, **extra)
    for flight in payload.get("flights") or []:
        flight.setdefault("flight_date", day)
    nested = {kind: payload.pop(kind, None) or [] for kind in NESTED}
    actions.create_seizure(user, payload, nested)


@transaction.atomic
def load(password: str) -> None:
    for seizure in (
        SeizureReport.objects.filter(identifiers__isnull=False).distinct().order_by("pk")
    ):
        match_record(seizure)
    if SeizureReport.objects.filter(place=UNDERCOVER_PLACE).exists():
        return
    rng = random.Random(SEED + 7)  # noqa: S311 # nosec B311 - synthetic demo data
    maker = Maker(rng)
    users = {acr: User.objects.get(username=name) for acr, name in RECORDERS.items()}
    crew = maker.person("crew", "CO", documents=False)
    crew["phone"] = maker.phone("CO")
    _report(maker, users["DNCD"], "gofast", "DNCD", persons=[crew])
    _report(
        maker,
        users["DIRAN"],
        "gofast",
        "DIRAN",
        persons=[dict(crew)],
        do_not_reveal=True,
        place=UNDERCOVER_PLACE,
    )
