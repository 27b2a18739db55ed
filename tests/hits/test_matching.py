"""Matching on save: both sides told whichever saves first, once, nothing of the other record;
records already visible are links; "do not reveal on match" tells the owner only."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.core import mail

from cases.models import Case, SeizureReport
from hits.matching import match_record
from hits.models import Hit
from notifications import emails
from notifications.kinds import EmailMode
from notifications.models import Event, Notification
from tests.cases.builders import seizure_payload
from tests.hits.helpers import CONTAINER, SENTINELS, container_only, resave, save, secret_payload
from tests.notifications.helpers import deliver_all, notified

pytestmark = pytest.mark.django_db


def _pair(
    region: dict[str, Any], order: str, case: Case | None = None, **jca: Any
) -> tuple[SeizureReport, SeizureReport]:
    """JCA's secret report and DIRAN's report on the same container, saved in ``order``."""
    extra = {"case": case.pk} if case is not None else {}

    def jca_saves() -> SeizureReport:
        return save(region["jca_analyst"], secret_payload(**extra, **jca))

    def diran_saves() -> SeizureReport:
        return save(
            region["diran_analyst"], container_only("csqu 305438-3", country="CO", locode="")
        )

    if order == "jca_first":
        theirs = jca_saves()
        ours = diran_saves()
    else:
        ours = diran_saves()
        theirs = jca_saves()
    return theirs, ours


@pytest.mark.parametrize("order", ["jca_first", "diran_first"])
def test_it_tells_both_liaison_officers_whichever_side_saves_first(
    region: dict[str, Any], order: str
) -> None:
    jca_record, diran_record = _pair(region, order)
    rows = set(
        Hit.objects.values_list("our_agency__acronym", "our_seizure", "their_agency__acronym",
                                "their_seizure", "kind", "revealed")
    )  # fmt: skip
    assert rows == {
        ("DIRAN", diran_record.pk, "JCA", jca_record.pk, "container", True),
        ("JCA", jca_record.pk, "DIRAN", diran_record.pk, "container", True),
    }
    deliver_all()
    for side in ("jca", "diran"):
        assert notified(region[f"{side}_liaison"]) == ["hit.created"]
        assert notified(region[f"{side}_analyst"]) == []


def test_nothing_of_the_other_record_reaches_the_other_side(
    region: dict[str, Any], signed_in: Any, secret_case: Case
) -> None:
    # given JCA's report (in a case titled with a sentinel) and DIRAN's on the same container
    jca_record, diran_record = _pair(region, "jca_first", case=secret_case)
    (hit,) = Hit.objects.filter(our_agency=region["diran"])
    # when DIRAN reads everything the hit produced
    deliver_all()
    Notification.objects.update(email_mode=EmailMode.IMMEDIATE)
    for event_id in set(Notification.objects.values_list("event_id", flat=True)):
        emails.send_event_emails(str(event_id))
    diran_mail = [m for m in mail.outbox if any(region["diran_liaison"].email in t for t in m.to)]
    assert diran_mail, "DIRAN's liaison officer gets an e-mail"
    liaison = signed_in(region["diran_liaison"])
    outputs = {
        "hit payload": repr(Hit.objects.filter(pk=hit.pk).values().get()),
        "events": repr(list(Event.objects.filter(agencies=region["diran"]).values("data"))),
        "notifications api": liaison.get("/api/v1/notifications/").content.decode(),
        "hits api list": liaison.get("/api/v1/hits/").content.decode(),
        "hits api detail": liaison.get(f"/api/v1/hits/{hit.pk}/").content.decode(),
        "hits page": liaison.get("/hits/").content.decode(),
        "hit page": liaison.get(f"/hits/{hit.pk}/").content.decode(),
        "record page": liaison.get(f"/cases/seizures/{diran_record.pk}/").content.decode(),
        "e-mail": "\n".join(f"{m.subject}\n{m.body}" for m in diran_mail),
    }
    # (the sentinels are there to be found: JCA's own page shows them)
    own = signed_in(region["jca_analyst"]).get(f"/cases/seizures/{jca_record.pk}/")
    assert SENTINELS[1] in own.content.decode() and SENTINELS[3] in own.content.decode()
    # then none carries the other record's content, references or title
    secrets = (*SENTINELS, jca_record.reference, secret_case.reference)
    for name, body in outputs.items():
        for secret in secrets:
            assert secret not in body, f"{name} discloses {secret!r}"
    # and they do say what DIRAN may know: its own record, the agency, the kind, the contact
    assert "JCA" in outputs["hit page"] and "container number" in outputs["hit page"]
    assert diran_record.reference in outputs["e-mail"] and "JCA" in outputs["e-mail"]
    assert '"acronym":"JCA"' in outputs["hits api detail"].replace(" ", "")


def test_saving_again_never_duplicates_a_hit_or_its_notification(region: dict[str, Any]) -> None:
    jca_record, diran_record = _pair(region, "jca_first")
    events = Event.objects.filter(kind="hit.created").count()
    assert (Hit.objects.count(), events) == (2, 2)
    resave(region["diran_analyst"], diran_record, {"place": "Buenaventura"})
    resave(region["jca_analyst"], jca_record, {"containers": [{"number": CONTAINER}]})
    assert match_record(diran_record) == [] and match_record(jca_record) == []
    assert Hit.objects.count() == 2
    assert Event.objects.filter(kind="hit.created").count() == events


def test_every_identifier_kind_matches(region: dict[str, Any]) -> None:
    flights = [{"designator": "CM 431", "flight_date": "2026-03-02"}]
    save(region["jca_analyst"], seizure_payload(flights=flights))
    save(region["diran_analyst"], seizure_payload(flights=flights, country="CO", locode=""))
    kinds = set(Hit.objects.filter(our_agency=region["diran"]).values_list("kind", flat=True))
    assert kinds == {"container", "imo", "mmsi", "passport", "phone", "firearm", "plate",
                     "company", "flight"}  # fmt: skip


def test_a_different_identifier_or_the_same_agency_makes_no_hit(region: dict[str, Any]) -> None:
    jca, diran = region["jca_analyst"], region["diran_analyst"]
    save(jca, container_only())
    save(jca, container_only())  # the agency's own records: no hit (they are visible)
    save(diran, container_only("MSCU1234566", country="CO", locode=""))
    # the same flight on another day is another flight
    save(
        jca,
        container_only(
            "MSKU9070323", flights=[{"designator": "CM431", "flight_date": "2026-03-02"}]
        ),
    )
    save(diran, container_only("TGHU1234567", flights=[{"designator": "CM431",
                                                        "flight_date": "2026-03-03"}],
                               country="CO", locode=""))  # fmt: skip
    assert not Hit.objects.exists()


def test_a_record_already_visible_is_a_link_not_a_hit(
    region: dict[str, Any], signed_in: Any
) -> None:
    # JCA's report is TLP:CLEAR: DIRAN sees it already; JCA cannot see DIRAN's AMBER report
    jca_record = save(region["jca_analyst"], container_only(tlp="CLEAR"))
    diran_record = save(region["diran_analyst"], container_only(country="CO", locode=""))
    assert not Hit.objects.filter(our_agency=region["diran"]).exists()
    (jca_hit,) = Hit.objects.filter(our_agency=region["jca"])
    assert jca_hit.their_seizure_id == diran_record.pk
    page = signed_in(region["diran_analyst"]).get(f"/cases/seizures/{diran_record.pk}/")
    assert f'href="/cases/seizures/{jca_record.pk}/"' in page.content.decode()
    # JCA's page shows its hit, not a link to DIRAN's report
    owner_page = signed_in(region["jca_analyst"]).get(f"/cases/seizures/{jca_record.pk}/")
    body = owner_page.content.decode()
    assert f"/hits/{jca_hit.pk}/" in body and diran_record.reference not in body


@pytest.mark.parametrize("marked", ["report", "case"])
@pytest.mark.parametrize("order", ["jca_first", "diran_first"])
def test_do_not_reveal_tells_only_the_owner(
    region: dict[str, Any], secret_case: Case, marked: str, order: str
) -> None:
    if marked == "case":
        Case.objects.filter(pk=secret_case.pk).update(do_not_reveal=True)
        jca_record, _ = _pair(region, order, case=secret_case)
    else:
        jca_record, _ = _pair(region, order, do_not_reveal=True)
    assert not Hit.objects.filter(our_agency=region["diran"]).exists()
    (hit,) = Hit.objects.filter(our_agency=region["jca"])
    assert (hit.our_seizure_id, hit.their_agency_id, hit.revealed) == (
        jca_record.pk,
        region["diran"].pk,
        True,
    )
    deliver_all()
    assert notified(region["diran_liaison"]) == []
    assert notified(region["jca_liaison"]) == ["hit.created"]
    assert not Event.objects.filter(agencies=region["diran"]).exists()


def test_when_both_hide_each_owner_is_told_without_a_name(
    region: dict[str, Any], signed_in: Any
) -> None:
    save(region["jca_analyst"], container_only(do_not_reveal=True))
    save(region["diran_analyst"], container_only(country="CO", locode="", do_not_reveal=True))
    assert set(Hit.objects.values_list("our_agency__acronym", "revealed")) == {
        ("JCA", False),
        ("DIRAN", False),
    }
    deliver_all()
    (item,) = signed_in(region["diran_liaison"]).get("/api/v1/notifications/").json()["results"]
    assert "another agency" in item["text"] and "JCA" not in item["text"]
    (shown,) = signed_in(region["diran_liaison"]).get("/api/v1/hits/").json()["results"]
    assert shown["other_agency"] is None and shown["revealed"] is False


def test_identifiers_that_do_not_validate_never_match() -> None:
    from cases.identifiers import normalise

    with pytest.raises(Exception):  # noqa: B017 - ValidationError from the validators
        normalise("container", "CSQU3054384")  # wrong ISO 6346 check digit
    with pytest.raises(Exception):  # noqa: B017
        normalise("imo", "9074728")  # wrong IMO check digit
    assert normalise("flight", "cm 0431", on=date(2026, 3, 2)) == "CM431|2026-03-02"
