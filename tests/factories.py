"""Small builders for test data. Every write goes to the real PostgreSQL test database."""

from __future__ import annotations

import itertools
from functools import cache
from typing import Any

from django.conf import settings
from django.contrib.auth.hashers import get_hasher, make_password
from django.contrib.auth.models import User
from django.utils import timezone

from agencies.models import Agency, Membership, Role
from cases.models import Case, ReferenceCounter, SeizureReport

_seq = itertools.count(1)
PASSWORD = "correct-horse-battery-staple-42"


@cache
def _password_hash_with(hasher: str) -> str:
    return make_password(PASSWORD, hasher=get_hasher())


def _password_hash() -> str:
    """PASSWORD hashed once per hasher in force (Argon2 is slow on purpose; some test modules
    switch to a fast one): every test user shares the hash of the current default hasher."""
    return _password_hash_with(settings.PASSWORD_HASHERS[0])


def agency(
    acronym: str | None = None,
    *,
    country: str = "JM",
    kind: str = Agency.Kind.CUSTOMS,
    **extra: Any,
) -> Agency:
    acronym = acronym or f"AG{next(_seq)}"
    return Agency.objects.create(
        name=f"{acronym} agency", acronym=acronym, kind=kind, country=country, **extra
    )


def user(
    agency: Agency | None,
    role: str = Role.ANALYST,
    *,
    username: str | None = None,
    staff: bool = False,
) -> User:
    username = username or f"user{next(_seq)}"
    created = User.objects.create_user(
        username=username, password=None, email=f"{username}@example.org", is_staff=staff
    )
    created.password = _password_hash()
    created.save(update_fields=["password"])
    if agency is not None:
        Membership.objects.create(user=created, agency=agency, role=role)
        created.groups.add(agency.group)
    return created


def case(
    owner: Agency,
    *,
    by: User | None = None,
    tlp: str = "AMBER",
    title: str = "Cocaine in reefer container",
    **extra: Any,
) -> Case:
    return Case.objects.create(
        reference=ReferenceCounter.next_reference(owner, "C"),
        owner_agency=owner,
        created_by=by,
        title=title,
        tlp=tlp,
        **extra,
    )


def seizure(
    owner: Agency, *, case: Case | None = None, tlp: str = "AMBER", **extra: Any
) -> SeizureReport:
    defaults: dict[str, Any] = {
        "seized_on": timezone.localdate(),
        "country": owner.country,
        "transport_mode": "sea_container",
    }
    defaults.update(extra)
    return SeizureReport.objects.create(
        reference=ReferenceCounter.next_reference(owner, "S"),
        owner_agency=owner,
        case=case,
        tlp=tlp,
        **defaults,
    )


def trust(owner: Agency, recipient: Agency, level: int, reason: str = "test") -> Any:
    """Set ``owner``'s trust in ``recipient`` (0 none … 3 close partner)."""
    from agencies.models import TrustLevel

    found, _ = TrustLevel.objects.update_or_create(
        from_agency=owner, to_agency=recipient, defaults={"level": level, "reason": reason}
    )
    return found


def team(
    name: str | None = None,
    *,
    agencies: list[Agency] | tuple[Agency, ...] = (),
    users: list[User] | tuple[User, ...] = (),
    **extra: Any,
) -> Any:
    """A multi-agency team active from today."""
    from agencies.models import Team

    created = Team.objects.create(name=name or f"Team {next(_seq)}", **extra)
    created.agencies.set(agencies)
    created.users.set(users)
    return created


def platform_admin(username: str = "platform-admin") -> User:
    """A platform admin: staff of the operator agency (created on first use)."""
    operator = Agency.objects.filter(kind=Agency.Kind.OPERATOR).first() or agency(
        "ENLACE", country="PA", kind=Agency.Kind.OPERATOR
    )
    return user(operator, Role.AGENCY_ADMIN, username=username, staff=True)
