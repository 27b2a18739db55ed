"""The sharing rules of DESIGN §2, as checks that name the rule they enforce.

- TLP decides who a grant may name: CLEAR needs no grant (only *contribute* is granted),
  GREEN and AMBER go to agencies or teams, AMBER+STRICT to one agency, RED to named users.
- A grant never goes above the owner's trust in any recipient agency: the agency itself, every
  member agency of a team (and the agency of every person in it), the agency of each named user.

Each refusal is a ``ValidationError({field: message})``, so pages and the API show it beside
the field that broke the rule.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from agencies.models import Agency, Membership, Role, Team, TrustLevel
from cases.markings import TRUST_NEEDED, Tlp
from cases.models import Case, SeizureReport
from sharing.models import GRANTABLE_LEVELS, Level

Record = Case | SeizureReport

TRUST_LABELS = dict(TrustLevel.Level.choices)


def membership_of(user: Any) -> Membership | None:
    """The user's membership if they may act at all (signed in, active, not locked)."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    membership: Membership | None = getattr(user, "membership", None)
    if membership is None or membership.locked_at is not None or not membership.agency.active:
        return None
    return membership


def is_liaison_of(user: Any, agency_id: int) -> bool:
    membership = membership_of(user)
    return (
        membership is not None
        and membership.agency_id == agency_id
        and membership.role == Role.LIAISON
    )


def trust_level(owner: Agency | int, recipient: Agency | int) -> int:
    """How much ``owner`` trusts ``recipient`` (0 when no level was ever set)."""
    owner_id = owner if isinstance(owner, int) else owner.pk
    recipient_id = recipient if isinstance(recipient, int) else recipient.pk
    if owner_id == recipient_id:
        return TrustLevel.Level.CLOSE
    level = (
        TrustLevel.objects.filter(from_agency_id=owner_id, to_agency_id=recipient_id)
        .values_list("level", flat=True)
        .first()
    )
    return int(level or 0)


def trust_levels_from(owner_id: int) -> dict[int, int]:
    """Every trust level ``owner`` has set, by recipient agency id (one query, for lists)."""
    return dict(
        TrustLevel.objects.filter(from_agency_id=owner_id).values_list("to_agency_id", "level")
    )


def team_agencies(team: Team) -> list[Agency]:
    """The agencies a team grant reaches: member agencies and the agencies of member people."""
    agencies = {agency.pk: agency for agency in team.agencies.all()}
    for membership in Membership.objects.filter(user__in=team.users.all()).select_related("agency"):
        agencies.setdefault(membership.agency_id, membership.agency)
    return sorted(agencies.values(), key=lambda agency: agency.acronym)


def team_includes_agency(team: Team, agency: Agency) -> bool:
    """The agency is a member of the team, or one of its people is."""
    return (
        team.agencies.filter(pk=agency.pk).exists()
        or team.users.filter(membership__agency=agency).exists()
    )


def tlp_label(tlp: str) -> str:
    return str(Tlp(tlp).label)


@dataclass(frozen=True)
class Recipients:
    """Who a share request or grant names: exactly one of an agency, a team, or users."""

    agency: Agency | None = None
    team: Team | None = None
    users: Sequence[User] = ()

    @property
    def field(self) -> str:
        if self.team is not None:
            return "recipient_team"
        if self.users:
            return "recipient_users"
        return "recipient_agency"

    @property
    def is_empty(self) -> bool:
        return self.agency is None and self.team is None and not self.users

    def count_kinds(self) -> int:
        return sum([self.agency is not None, self.team is not None, bool(self.users)])

    def describe(self) -> str:
        if self.agency is not None:
            return self.agency.acronym
        if self.team is not None:
            return self.team.name
        return ", ".join(user.get_username() for user in self.users)


def check_level(level: int) -> None:
    if level not in [int(lvl) for lvl in GRANTABLE_LEVELS]:
        raise ValidationError({"level": _("Choose summary, full or contribute.")})


def check_shape(record: Record, level: int, recipients: Recipients) -> None:
    """The TLP rule: whom a record of this marking may be granted to, and at which level."""
    check_level(level)
    if recipients.count_kinds() != 1:
        raise ValidationError(
            {"recipient_agency": _("Name one recipient: an agency, a team, or named people.")}
        )
    tlp = record.tlp
    label = tlp_label(tlp)
    if tlp == Tlp.CLEAR and level < Level.CONTRIBUTE:
        raise ValidationError(
            {
                "level": _(
                    "TLP:CLEAR records are visible in full to every agency on the portal "
                    "without a grant; only contribute can be granted."
                )
            }
        )
    if tlp in (Tlp.GREEN, Tlp.AMBER) and recipients.users:
        raise ValidationError(
            {
                "recipient_users": _(
                    "%(tlp)s records are shared with agencies or teams, not with named people."
                )
                % {"tlp": label}
            }
        )
    if tlp == Tlp.AMBER_STRICT and recipients.agency is None:
        raise ValidationError(
            {
                recipients.field: _(
                    "TLP:AMBER+STRICT records may be shared with one agency only "
                    "(not a team or named people)."
                )
            }
        )
    if tlp == Tlp.RED and not recipients.users:
        raise ValidationError(
            {recipients.field: _("TLP:RED records may be shared with named people only.")}
        )


def check_recipients_exist(record: Record, recipients: Recipients) -> None:
    """Recipients must be active, outside the owner agency, and reachable."""
    owner_id = record.owner_agency_id
    if recipients.agency is not None:
        if recipients.agency.pk == owner_id:
            raise ValidationError(
                {"recipient_agency": _("The owner agency already sees its own records.")}
            )
        if not recipients.agency.active:
            raise ValidationError({"recipient_agency": _("This agency is not active.")})
    if recipients.team is not None:
        if not recipients.team.is_active_on(timezone.localdate()):
            raise ValidationError({"recipient_team": _("This team is not active today.")})
        if not team_agencies(recipients.team):
            raise ValidationError({"recipient_team": _("This team has no members.")})
    for user in recipients.users:
        membership = getattr(user, "membership", None)
        if (
            not user.is_active
            or membership is None
            or membership.locked_at is not None
            or not membership.agency.active
        ):
            raise ValidationError(
                {
                    "recipient_users": _("%(user)s cannot receive records (no active agency).")
                    % {"user": user.get_username()}
                }
            )
        if membership.agency_id == owner_id:
            raise ValidationError(
                {
                    "recipient_users": _("%(user)s belongs to the owner agency.")
                    % {"user": user.get_username()}
                }
            )


def recipient_agencies(recipients: Recipients) -> list[Agency]:
    """Every agency whose trust a grant to these recipients depends on."""
    if recipients.agency is not None:
        return [recipients.agency]
    if recipients.team is not None:
        return team_agencies(recipients.team)
    found: dict[int, Agency] = {}
    for user in recipients.users:
        found.setdefault(user.membership.agency_id, user.membership.agency)
    return list(found.values())


def trust_refusal(record: Record, agency: Agency, trust: int) -> str:
    needed = TRUST_NEEDED[record.tlp]
    return _(
        "%(owner)s's trust in %(agency)s is %(trust)s; a %(tlp)s record needs at least "
        "%(needed)s (a grant never goes above the owner's trust in a recipient)."
    ) % {
        "owner": record.owner_agency.acronym,
        "agency": agency.acronym,
        "trust": TRUST_LABELS[trust],
        "tlp": tlp_label(record.tlp),
        "needed": TRUST_LABELS[needed],
    }


def check_trust(record: Record, recipients: Recipients) -> None:
    """The trust rule: the owner's trust in every recipient agency allows the record's TLP."""
    needed = TRUST_NEEDED[record.tlp]
    if needed == 0:
        return
    levels = trust_levels_from(record.owner_agency_id)
    for agency in recipient_agencies(recipients):
        if agency.pk == record.owner_agency_id:
            continue
        trust = int(levels.get(agency.pk, 0))
        if trust < needed:
            raise ValidationError({recipients.field: trust_refusal(record, agency, trust)})


def check_grant(record: Record, level: int, recipients: Recipients) -> None:
    """Everything a grant must satisfy before it is written."""
    check_shape(record, level, recipients)
    check_recipients_exist(record, recipients)
    check_trust(record, recipients)


def weakest_trust(owner_id: int, agencies: Iterable[Agency], levels: dict[int, int]) -> int | None:
    """The lowest trust the owner has in any of ``agencies`` (None when there are none)."""
    found = [
        TrustLevel.Level.CLOSE if agency.pk == owner_id else int(levels.get(agency.pk, 0))
        for agency in agencies
    ]
    return min(found) if found else None
