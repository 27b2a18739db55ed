"""Suspending grants that trust no longer covers (DESIGN §2: "Lowering trust suspends the
grants above the new ceiling and tells the owner").

The agencies app calls these two hooks inside the transaction of the change that causes them:
- a platform admin lowers A's trust in B (``agencies.actions.set_trust_level``);
- a team gains members (``agencies.actions.update_team``): a grant to the team may now reach
  an agency its owner trusts less than the record needs.

The work is done by the sharing actions (``sharing.actions.suspend_above_trust`` and
``recheck_team_grants``), so a suspended grant ends exactly like any other: marked SUSPENDED,
its access rows deleted in the same transaction (the access door stops showing the record at
commit), a ``grant.suspended`` audit entry, and ``grant.suspended`` events to the recipients
and to the owner agency's liaison officers.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from agencies.models import Agency, Team


def suspend_grants_above_trust(
    actor: Any,
    from_agency: Agency,
    to_agency: Agency,
    new_level: int,
    *,
    request: HttpRequest | None = None,
    reason: str = "",
) -> int:
    """``from_agency`` now trusts ``to_agency`` at ``new_level``: suspend every active grant
    owned by ``from_agency`` that reaches ``to_agency`` (directly, through a team that counts
    it or one of its people as a member, or through one of its people by name) on a record
    whose TLP needs more trust than ``new_level``. Returns how many were suspended."""
    from sharing.actions import suspend_above_trust

    return suspend_above_trust(
        from_agency,
        to_agency,
        new_level,
        actor=actor,
        reason=reason or f"Trust of {from_agency.acronym} in {to_agency.acronym} lowered.",
        request=request,
    )


def suspend_team_grants_beyond_trust(
    actor: Any, team: Team, *, request: HttpRequest | None = None
) -> int:
    """After a team's membership changed: suspend each active grant to the team whose owner
    trusts some member agency (or the agency of some member) less than the record needs."""
    from sharing.actions import recheck_team_grants

    return recheck_team_grants(team, actor=actor, request=request)
