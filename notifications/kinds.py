"""Every kind of notification: its label, its sentence, whom it may e-mail, and how.

Other apps call ``notifications.events.emit(kind, ...)`` with one of these names (the contract
is in HELPER_EVENTS.md). The text is built when the notification is shown, in the reader's
language and through the access door: the event itself carries ids, never record content.
Placeholders in ``text``: ``{record}`` (reference and title of the record the reader may
see), ``{agency}`` (the other agency's acronym), ``{from_agency}``, ``{to_agency}``,
``{level}``, ``{date}``.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class EmailMode(models.TextChoices):
    IMMEDIATE = "immediate", _("Immediately")
    DIGEST = "digest", _("Daily digest")
    OFF = "off", _("Off")


@dataclass(frozen=True)
class Variant:
    key: str
    value: str
    label: Promise
    text: Promise


@dataclass(frozen=True)
class Kind:
    name: str
    label: Promise
    text: Promise
    # Security kinds are e-mailed immediately whatever the user's preference, also to the
    # user who caused them ("your password was changed" must reach the real owner).
    security: bool = False
    default_email: str = EmailMode.IMMEDIATE
    # False for kinds about no case or seizure report (security, trust).
    has_record: bool = True
    # Texts that need data the emitter may not have given fall back to this sentence.
    fallback: Promise | None = None
    # Variant label and sentence chosen by a data value (e.g. a decision).
    variants: tuple[Variant, ...] = ()

    @property
    def notifies_actor(self) -> bool:
        return self.security

    def variant(self, data: dict[str, object]) -> tuple[Promise, Promise]:
        """The label and sentence for this event's data."""
        for variant in self.variants:
            if str(data.get(variant.key, "")) == variant.value:
                return variant.label, variant.text
        return self.label, self.text


KINDS: dict[str, Kind] = {
    kind.name: kind
    for kind in [
        Kind(
            "share_request.created",
            _("New share request"),
            _("{agency} asks for access to {record}."),
            fallback=_("A partner asks for access to {record}."),
            variants=(
                Variant(
                    "request_kind",
                    "offer",
                    _("Offer to approve"),
                    _("A colleague offers to share {record}: a second liaison officer decides."),
                ),
                Variant(
                    "request_kind",
                    "rfi",
                    _("New request for information"),
                    _("{agency} sends a request for information about {record}."),
                ),
                Variant(
                    "request_kind",
                    "extend",
                    _("Request to extend sharing"),
                    _("{agency} asks to extend sharing of {record}."),
                ),
            ),
        ),
        Kind(
            "share_request.decided",
            _("Share request decided"),
            _("Your share request about {record} was decided."),
            variants=(
                Variant(
                    "decision",
                    "approved",
                    _("Share request approved"),
                    _("Your share request about {record} was approved."),
                ),
                Variant(
                    "decision",
                    "denied",
                    _("Share request denied"),
                    _("Your share request about {record} was denied."),
                ),
                Variant(
                    "decision",
                    "expired",
                    _("Share request expired"),
                    _("Your share request about {record} expired without a decision."),
                ),
            ),
        ),
        Kind(
            "share_request.withdrawn",
            _("Share request withdrawn"),
            _("{agency} withdrew its share request about {record}."),
            fallback=_("A share request about {record} was withdrawn."),
        ),
        Kind(
            "rfi.answered",
            _("Request for information answered"),
            _("Your request for information about {record} was answered."),
        ),
        Kind(
            "grant.created",
            _("Record shared with you"),
            _("{agency} shared {record} with you."),
            fallback=_("{record} was shared with you."),
        ),
        Kind(
            "grant.revoked",
            _("Sharing revoked"),
            _("Access to {record} was revoked."),
        ),
        Kind(
            "grant.suspended",
            _("Sharing suspended"),
            _("Sharing of {record} was suspended because trust was lowered."),
        ),
        Kind(
            "grant.expiring",
            _("Sharing expires soon"),
            _("Sharing of {record} expires on {date}."),
            fallback=_("Sharing of {record} expires within three days."),
        ),
        Kind(
            "grant.expired",
            _("Sharing expired"),
            _("Sharing of {record} has expired."),
        ),
        Kind(
            "case.message",
            _("New message"),
            _("New message on {record}."),
            default_email=EmailMode.DIGEST,
        ),
        Kind(
            "case.evidence",
            _("New evidence"),
            _("New evidence on {record}."),
            default_email=EmailMode.DIGEST,
        ),
        Kind(
            "hit.created",
            _("Deconfliction hit"),
            _("Your record {record} matches a record held by {agency}: contact their liaison."),
            fallback=_("Your record {record} matches a record held by another agency."),
        ),
        Kind(
            "trust.changed",
            _("Trust level changed"),
            _("The trust of {from_agency} in {to_agency} is now level {level}."),
            has_record=False,
            fallback=_("A trust level concerning your agency changed."),
        ),
        Kind(
            "security.password_changed",
            _("Password changed"),
            _("Your password was changed. If it was not you, tell your agency admin at once."),
            security=True,
            has_record=False,
        ),
        Kind(
            "security.otp_changed",
            _("Second factor changed"),
            _(
                "Your second sign-in factor was changed. If it was not you, tell your agency "
                "admin at once."
            ),
            security=True,
            has_record=False,
        ),
        Kind(
            "security.locked",
            _("Account locked"),
            _("Your account was locked after repeated failed sign-ins."),
            security=True,
            has_record=False,
        ),
    ]
}

UNKNOWN = Kind("unknown", pgettext_lazy("notification", "Notification"), _("Something happened."))
NO_LONGER_AVAILABLE = _("No longer available.")


def get(name: str) -> Kind:
    return KINDS.get(name, UNKNOWN)


def security_kinds() -> list[str]:
    return [kind.name for kind in KINDS.values() if kind.security]


def choices() -> list[tuple[str, Promise]]:
    return [(kind.name, kind.label) for kind in KINDS.values()]
