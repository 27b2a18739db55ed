"""E-mail: in the reader's language, nothing of the record but the title they may see and a
link, per-kind preferences, security always, a daily digest, retried when the server fails."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend

from agencies.models import Membership
from notifications import emails
from notifications.actions import set_preferences
from notifications.events import emit
from notifications.kinds import EmailMode
from notifications.models import Notification
from notifications.tasks import send_daily_digests
from tests import factories
from tests.notifications.helpers import deliver_all, share_case

pytestmark = pytest.mark.django_db


class RefusingBackend(BaseEmailBackend):
    def send_messages(self, email_messages: Any) -> int:
        raise ConnectionRefusedError("mail server down")


def _speak(user: Any, language: str) -> None:
    Membership.objects.filter(user=user).update(language=language)


def _send_immediate() -> int:
    events = Notification.objects.filter(email_mode=EmailMode.IMMEDIATE).values_list(
        "event_id", flat=True
    )
    return sum(emails.send_event_emails(str(e)) for e in set(events))


def test_each_reader_gets_the_email_in_their_language(region: dict[str, Any]) -> None:
    _speak(region["diran_analyst"], "es")
    _speak(region["diran_liaison"], "fr")
    case = factories.case(
        region["jca"], title="Reefer MSCU1234565", summary="Informant says 2 t on board"
    )
    share_case(case, region["diran"], by=region["jca_liaison"])
    deliver_all()
    _send_immediate()
    diran = {region[f"diran_{r}"].email for r in ("analyst", "liaison", "agency_admin")}
    by_recipient = {m.to[0]: m for m in mail.outbox if m.to[0] in diran}
    assert len(by_recipient) == 3
    spanish = by_recipient[region["diran_analyst"].email]
    assert spanish.subject == "[Enlace] Registro compartido con usted"
    assert f"JCA compartió {case.reference} — Reefer MSCU1234565 con usted." in spanish.body
    event_id = Notification.objects.filter(user=region["diran_analyst"]).get().event_id
    assert f"http://127.0.0.1:8000/notifications/event/{event_id}/" in spanish.body
    french = by_recipient[region["diran_liaison"].email]
    assert french.subject == "[Enlace] Dossier partagé avec vous"
    assert "a partagé" in french.body
    english = by_recipient[region["diran_agency_admin"].email]
    assert english.subject == "[Enlace] Record shared with you"
    for message in mail.outbox:
        assert "Informant" not in message.body and "2 t" not in message.body


def test_a_red_record_keeps_its_title_inside_the_portal(region: dict[str, Any]) -> None:
    case = factories.case(region["jca"], title="Operation Coral", tlp="RED")
    emit("case.message", obj=case, users=[region["jca_analyst"]])
    deliver_all()
    Notification.objects.update(email_mode=EmailMode.IMMEDIATE)
    assert _send_immediate() == 1
    body = mail.outbox[0].body
    assert case.reference in body and "Coral" not in body


def test_a_record_the_reader_no_longer_sees_is_not_named_in_the_email(
    region: dict[str, Any],
) -> None:
    case = factories.case(region["jca"], title="Go-fast boat")
    emit("grant.revoked", obj=case, agencies=[region["diran"]])
    deliver_all()
    _send_immediate()
    assert len(mail.outbox) == 3
    for message in mail.outbox:
        assert "Go-fast" not in message.body and case.reference not in message.body
        assert "No longer available." in message.body
        assert "http://127.0.0.1:8000/notifications/\n" in message.body


def test_preferences_turn_a_kind_off_or_into_the_daily_digest(region: dict[str, Any]) -> None:
    analyst, liaison = region["diran_analyst"], region["diran_liaison"]
    set_preferences(analyst, {"grant.created": EmailMode.OFF})
    set_preferences(liaison, {"grant.created": EmailMode.DIGEST})
    for title in ("First", "Second"):
        share_case(
            factories.case(region["jca"], title=title), region["diran"], region["jca_liaison"]
        )
    deliver_all()
    _send_immediate()
    diran = {analyst.email, liaison.email, region["diran_agency_admin"].email}
    assert [m.to[0] for m in mail.outbox if m.to[0] in diran] == [
        region["diran_agency_admin"].email
    ] * 2
    mail.outbox.clear()
    assert send_daily_digests() == 2
    assert len(mail.outbox) == 1
    digest = mail.outbox[0]
    assert digest.to == [liaison.email]
    assert "First" in digest.body and "Second" in digest.body
    assert send_daily_digests() == 0  # never twice


def test_security_notifications_cannot_be_turned_off(region: dict[str, Any]) -> None:
    from django.core.exceptions import ValidationError

    user = region["diran_analyst"]
    with pytest.raises(ValidationError):
        set_preferences(user, {"security.password_changed": EmailMode.OFF})
    emit("security.password_changed", actor=user, users=[user])
    deliver_all()
    assert _send_immediate() == 1
    assert mail.outbox[0].subject == "[Enlace] Password changed"


def test_changing_preferences_is_audited(region: dict[str, Any]) -> None:
    from audit.models import AuditEntry

    user = region["diran_analyst"]
    assert set_preferences(user, {"case.message": EmailMode.OFF, "grant.created": "immediate"}) == [
        "case.message"
    ]
    entry = AuditEntry.objects.get(action="notifications.preferences_changed")
    assert entry.actor == user and entry.details == {"changed": ["case.message"]}


def test_a_refused_email_is_claimed_then_retried(region: dict[str, Any], settings: Any) -> None:
    from datetime import timedelta

    settings.EMAIL_BACKEND = "tests.notifications.test_email.RefusingBackend"
    user = region["diran_analyst"]
    emit("security.locked", users=[user])
    deliver_all()
    assert _send_immediate() == 0
    notification = Notification.objects.get(user=user)
    assert notification.emailed_at is None and notification.email_attempts == 1
    # a second sender does not take a fresh claim
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert _send_immediate() == 0
    # once the claim is stale, it is sent
    Notification.objects.update(
        email_claimed_at=notification.email_claimed_at - timedelta(minutes=5)  # type: ignore[operator]
    )
    assert _send_immediate() == 1
    notification.refresh_from_db()
    assert notification.emailed_at is not None and notification.email_attempts == 2
