"""Every change to agencies, people, trust and teams: one transaction, its audit entry, and the
notification people must get. Views and API viewsets parse input and call one of these.

Business rules raise ``ValidationError({field: message})`` (a per-field 400 / form error) and
permission failures ``PermissionDenied``; either way nothing is saved.
"""

from __future__ import annotations

import contextvars
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import date
from typing import Any

from django.contrib.auth import password_validation
from django.contrib.auth.models import User
from django.contrib.sessions.models import Session
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.authtoken.models import Token

from agencies import roles, signin
from agencies.models import Agency, Membership, Role, Team, TrustLevel, TrustLevelChange
from audit.log import record
from notifications.events import emit

AGENCY_FIELDS = (
    "name",
    "acronym",
    "kind",
    "country",
    "parent",
    "active",
    "liaison_email",
    "liaison_phone",
)
USER_FIELDS = ("email", "first_name", "last_name", "role", "language", "is_active")


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied(_("You may not do this."))


# --- agencies -------------------------------------------------------------------------------------


def _clean_agency(agency: Agency) -> None:
    agency.acronym = (agency.acronym or "").strip().upper()
    agency.name = (agency.name or "").strip()
    agency.country = (agency.country or "").strip().upper()
    errors: dict[str, list[str]] = {}
    try:
        agency.full_clean(exclude=["group"], validate_unique=False)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if (
        agency.acronym
        and Agency.objects.filter(acronym__iexact=agency.acronym).exclude(pk=agency.pk).exists()
    ):
        errors.setdefault("acronym", []).append(
            _("Another agency already uses the acronym %(acronym)s.") % {"acronym": agency.acronym}
        )
    if (
        agency.kind == Agency.Kind.OPERATOR
        and Agency.objects.filter(kind=Agency.Kind.OPERATOR).exclude(pk=agency.pk).exists()
    ):
        errors.setdefault("kind", []).append(_("There is already a platform operator agency."))
    if agency.parent_id is not None and agency.pk is not None:
        ancestor: Agency | None = agency.parent
        while ancestor is not None:
            if ancestor.pk == agency.pk:
                errors.setdefault("parent", []).append(
                    _("An agency cannot be its own parent or ancestor.")
                )
                break
            ancestor = ancestor.parent
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def create_agency(actor: User, *, request: HttpRequest | None = None, **fields: Any) -> Agency:
    _require(roles.is_platform_admin(actor))
    agency = Agency(**{k: v for k, v in fields.items() if k in AGENCY_FIELDS})
    _clean_agency(agency)
    agency.save()
    record("agency.created", request=request, actor=actor, obj=agency, object_agency=agency)
    return agency


@transaction.atomic
def update_agency(
    actor: User, agency: Agency, *, request: HttpRequest | None = None, **changes: Any
) -> Agency:
    _require(roles.is_platform_admin(actor))
    agency = Agency.objects.select_for_update().get(pk=agency.pk)
    changed = []
    for name, value in changes.items():
        if name in AGENCY_FIELDS and getattr(agency, name) != value:
            setattr(agency, name, value)
            changed.append(name)
    _clean_agency(agency)
    if changed:
        agency.save()
        record(
            "agency.changed",
            request=request,
            actor=actor,
            obj=agency,
            object_agency=agency,
            fields=sorted(changed),
        )
    return agency


# --- people ---------------------------------------------------------------------------------------


def _validate_role(role: str) -> None:
    if role not in Role.values:
        raise ValidationError({"role": _("Choose analyst, liaison or agency_admin.")})


@transaction.atomic
def create_user(
    actor: User,
    *,
    username: str,
    password: str,
    email: str,
    agency: Agency,
    role: str,
    first_name: str = "",
    last_name: str = "",
    language: str | None = None,
    platform_admin: bool = False,
    is_active: bool = True,
    request: HttpRequest | None = None,
) -> User:
    """A new account in one agency with one role. Agency admins create people of their own
    agency; only platform admins create platform admins (staff of the operator agency)."""
    _require(roles.can_manage_people(actor))
    errors: dict[str, list[str]] = {}
    username = (username or "").strip()
    if not username:
        errors["username"] = [_("Give a username.")]
    elif User.objects.filter(username__iexact=username).exists():
        errors["username"] = [
            _("This username is taken: a person belongs to one agency only, with one account.")
        ]
    if role not in Role.values:
        errors["role"] = [_("Choose analyst, liaison or agency_admin.")]
    if not roles.is_platform_admin(actor) and agency.pk != actor.membership.agency_id:
        errors["agency"] = [_("Agency admins create accounts in their own agency only.")]
    if not agency.active:
        errors.setdefault("agency", []).append(_("This agency is not active."))
    if platform_admin:
        if not roles.is_platform_admin(actor):
            errors["platform_admin"] = [_("Only platform admins create platform admins.")]
        elif agency.kind != Agency.Kind.OPERATOR:
            errors["platform_admin"] = [_("Platform admins belong to the operator agency.")]
    candidate = User(username=username, email=email, first_name=first_name, last_name=last_name)
    try:
        password_validation.validate_password(password, candidate)
    except ValidationError as exc:
        errors["password"] = list(exc.messages)
    try:
        candidate.full_clean(exclude=["password", "username"])
    except ValidationError as exc:
        for field, messages in exc.message_dict.items():
            errors.setdefault(field, []).extend(messages)
    if errors:
        raise ValidationError(errors)
    user = User.objects.create_user(
        username=username,
        password=password,
        email=email,
        first_name=first_name,
        last_name=last_name,
        is_staff=platform_admin,
        is_active=is_active,
    )
    Membership.objects.create(
        user=user,
        agency=agency,
        role=Role.AGENCY_ADMIN if platform_admin else role,
        language=language or Membership._meta.get_field("language").default,
    )
    user.groups.add(agency.group)
    record(
        "user.created",
        request=request,
        actor=actor,
        obj=user,
        object_agency=agency,
        role=role,
        platform_admin=platform_admin,
    )
    return user


@transaction.atomic
def bootstrap_platform_admin(
    *,
    username: str,
    email: str,
    password: str,
    operator_acronym: str = "ENLACE",
    operator_name: str = "Enlace platform operator",
    operator_country: str = "PA",
) -> User:
    """The first platform admin of a new installation (``manage.py create_platform_admin``):
    creates the operator agency if there is none. There is no acting user: the operator at
    the console is the actor, recorded as such in the audit log."""
    operator = Agency.objects.filter(kind=Agency.Kind.OPERATOR).first()
    if operator is None:
        operator = Agency(
            name=operator_name,
            acronym=operator_acronym,
            kind=Agency.Kind.OPERATOR,
            country=operator_country,
        )
        _clean_agency(operator)
        operator.save()
        record("agency.created", obj=operator, object_agency=operator, via="command")
    errors: dict[str, list[str]] = {}
    if User.objects.filter(username__iexact=username).exists():
        errors["username"] = [_("This username is taken.")]
    candidate = User(username=username, email=email)
    try:
        password_validation.validate_password(password, candidate)
    except ValidationError as exc:
        errors["password"] = list(exc.messages)
    if errors:
        raise ValidationError(errors)
    user = User.objects.create_user(
        username=username, email=email, password=password, is_staff=True
    )
    Membership.objects.create(user=user, agency=operator, role=Role.AGENCY_ADMIN)
    user.groups.add(operator.group)
    record(
        "user.created",
        obj=user,
        object_agency=operator,
        role=Role.AGENCY_ADMIN,
        platform_admin=True,
        via="command",
    )
    return user


def _end_sessions(user: User) -> None:
    """Sign the user out everywhere. (A new password or a deactivation needs no call: Django
    already refuses sessions whose password hash changed, and inactive users.)"""
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if session.get_decoded().get("_auth_user_id") == str(user.pk):
            session.delete()


@transaction.atomic
def update_user(
    actor: User, user: User, *, request: HttpRequest | None = None, **changes: Any
) -> User:
    """Change a person's details, role, activity, or set a new password for them."""
    if not roles.can_manage_user(actor, user):
        raise PermissionDenied(_("You may not manage this account."))
    user = (
        User.objects.select_for_update(of=("self",))
        .select_related("membership__agency")
        .get(pk=user.pk)
    )
    membership = user.membership
    errors: dict[str, list[str]] = {}
    agency = changes.pop("agency", None)
    if agency is not None and agency.pk != membership.agency_id:
        errors["agency"] = [
            _(
                "A person belongs to one agency: an account cannot move. "
                "Create a new account in the other agency."
            )
        ]
    role = changes.get("role")
    if role is not None and role not in Role.values:
        errors["role"] = [_("Choose analyst, liaison or agency_admin.")]
    if role is not None and user.is_staff and role != Role.AGENCY_ADMIN:
        errors["role"] = [_("Platform admins keep the agency admin role.")]
    platform_admin = changes.pop("platform_admin", None)
    if platform_admin is not None and bool(platform_admin) != user.is_staff:
        if not roles.is_platform_admin(actor):
            errors["platform_admin"] = [_("Only platform admins change this.")]
        elif platform_admin and membership.agency.kind != Agency.Kind.OPERATOR:
            errors["platform_admin"] = [_("Platform admins belong to the operator agency.")]
        elif not platform_admin and user.pk == actor.pk:
            errors["platform_admin"] = [_("You cannot remove your own platform admin rights.")]
    if changes.get("is_active") is False and user.pk == actor.pk:
        errors["is_active"] = [_("You cannot deactivate your own account.")]
    password = changes.pop("password", None)
    if password:
        try:
            password_validation.validate_password(password, user)
        except ValidationError as exc:
            errors["password"] = list(exc.messages)
    changed: list[str] = []
    for name in ("email", "first_name", "last_name", "is_active"):
        if name in changes and getattr(user, name) != changes[name]:
            setattr(user, name, changes[name])
            changed.append(name)
    for name in ("role", "language"):
        if name in changes and getattr(membership, name) != changes[name]:
            setattr(membership, name, changes[name])
            changed.append(name)
    if platform_admin is not None and bool(platform_admin) != user.is_staff:
        user.is_staff = bool(platform_admin)
        if user.is_staff:
            membership.role = Role.AGENCY_ADMIN
        changed.append("platform_admin")
    try:
        user.full_clean(exclude=["password", "username"])
        membership.full_clean(exclude=["user", "agency"])
    except ValidationError as exc:
        for field, messages in exc.message_dict.items():
            errors.setdefault(field, []).extend(messages)
    if errors:
        raise ValidationError(errors)
    if password:
        user.set_password(password)
        changed.append("password")
    if not changed:
        return user
    user.save()
    membership.save()
    record(
        "user.changed",
        request=request,
        actor=actor,
        obj=user,
        object_agency=membership.agency,
        fields=sorted(changed),
    )
    if "password" in changed:
        record(
            "auth.password_changed",
            request=request,
            actor=actor,
            obj=user,
            object_agency=membership.agency,
            by_admin=True,
        )
        emit("security.password_changed", actor=actor, obj=user, users=[user], by_admin=True)
    return user


@transaction.atomic
def unlock_user(actor: User | None, user: User, *, request: HttpRequest | None = None) -> None:
    """Unlock an account. ``actor`` None is an operator at the console (``manage.py
    unlock_user``), e.g. when the only platform admin is the one locked out."""
    if actor is not None and not roles.can_manage_user(actor, user):
        raise PermissionDenied(_("You may not manage this account."))
    updated = Membership.objects.filter(user=user, locked_at__isnull=False).update(locked_at=None)
    signin.clear_failures(user)
    if updated:
        record(
            "user.changed",
            request=request,
            actor=actor,
            obj=user,
            object_agency=user.membership.agency,
            fields=["locked_at"],
            unlocked=True,
        )


@transaction.atomic
def reset_second_factor(actor: User, user: User, *, request: HttpRequest | None = None) -> None:
    """Lost phone: remove the user's authenticator and recovery codes and sign them out; they
    enrol again at their next sign-in."""
    if not roles.can_manage_user(actor, user) or actor.pk == user.pk:
        raise PermissionDenied(_("You may not manage this account."))
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    _end_sessions(user)
    record(
        "user.changed",
        request=request,
        actor=actor,
        obj=user,
        object_agency=user.membership.agency,
        fields=["second_factor"],
    )
    emit("security.otp_changed", actor=actor, obj=user, users=[user], change="reset_by_admin")


@transaction.atomic
def change_own_password(
    user: User, new_password: str, *, request: HttpRequest | None = None
) -> None:
    """The user changed their password (the form checked the old one). Their other sessions
    end: Django refuses a session whose password hash no longer matches (the view keeps the
    current one with ``update_session_auth_hash``)."""
    password_validation.validate_password(new_password, user)
    user.set_password(new_password)
    user.save(update_fields=["password"])
    record("auth.password_changed", request=request, actor=user, obj=user)
    emit("security.password_changed", actor=user, obj=user, users=[user])


@transaction.atomic
def confirm_authenticator(
    user: User, device: TOTPDevice, *, request: HttpRequest | None = None
) -> list[str]:
    """An enrolled authenticator is confirmed: it replaces any earlier one, and the user gets
    new recovery codes (returned, shown once)."""
    replaced = TOTPDevice.objects.filter(user=user, confirmed=True).exclude(pk=device.pk)
    change = "replaced" if replaced.exists() else "enrolled"
    replaced.delete()
    TOTPDevice.objects.filter(user=user, confirmed=False).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    codes = signin.new_recovery_codes(user)
    record("auth.otp_verified", request=request, actor=user, obj=user, method="enrolment")
    emit("security.otp_changed", actor=user, obj=user, users=[user], change=change)
    return codes


@transaction.atomic
def regenerate_recovery_codes(user: User, *, request: HttpRequest | None = None) -> list[str]:
    codes = signin.new_recovery_codes(user)
    record("user.changed", request=request, actor=user, obj=user, fields=["recovery_codes"])
    emit("security.otp_changed", actor=user, obj=user, users=[user], change="recovery_codes")
    return codes


def second_factor_passed(request: HttpRequest, user: User, device: Device, method: str) -> None:
    signin.clear_failures(user)
    record("auth.otp_verified", request=request, actor=user, obj=user, method=method)
    if method == "recovery_code":
        emit("security.otp_changed", actor=user, obj=user, users=[user], change="recovery_used")


# --- API tokens: audited by signal, so `manage.py drf_create_token` is audited too ----------------

_token_context: contextvars.ContextVar[tuple[Any, HttpRequest | None] | None] = (
    contextvars.ContextVar("enlace_token_context", default=None)
)


@contextmanager
def token_context(actor: Any, request: HttpRequest | None) -> Iterator[None]:
    reset = _token_context.set((actor, request))
    try:
        yield
    finally:
        _token_context.reset(reset)


def token_audit_context() -> tuple[Any, HttpRequest | None]:
    return _token_context.get() or (None, None)


@transaction.atomic
def create_api_token(user: User, *, request: HttpRequest | None = None) -> Token:
    """A new API token for the user (replacing any earlier one). Only reachable from a
    two-factor-verified session."""
    with token_context(user, request):
        for old in Token.objects.filter(user=user):
            old.delete()
        return Token.objects.create(user=user)


@transaction.atomic
def revoke_api_token(user: User, *, request: HttpRequest | None = None) -> bool:
    with token_context(user, request):
        found = False
        for token in Token.objects.filter(user=user):
            token.delete()
            found = True
        return found


# --- trust ----------------------------------------------------------------------------------------


def trust_level(from_agency: Agency | int, to_agency: Agency | int) -> int:
    """A's trust in B (0 when never set; an agency trusts itself fully)."""
    from_id = from_agency if isinstance(from_agency, int) else from_agency.pk
    to_id = to_agency if isinstance(to_agency, int) else to_agency.pk
    if from_id == to_id:
        return TrustLevel.Level.CLOSE
    found = (
        TrustLevel.objects.filter(from_agency_id=from_id, to_agency_id=to_id)
        .values_list("level", flat=True)
        .first()
    )
    return int(found or 0)


@transaction.atomic
def set_trust_level(
    actor: User,
    from_agency: Agency,
    to_agency: Agency,
    level: Any,
    reason: str,
    *,
    request: HttpRequest | None = None,
) -> TrustLevelChange:
    """Set A's trust in B. Only platform admins, always with a reason; every change is kept.
    Lowering it suspends A's grants to B that need more trust than the new level."""
    from sharing.suspension import suspend_grants_above_trust

    _require(roles.is_platform_admin(actor))
    errors: dict[str, list[str]] = {}
    if from_agency.pk == to_agency.pk:
        errors["to_agency"] = [_("An agency's trust in itself is not set: it sees its own.")]
    if isinstance(level, bool) or not isinstance(level, int) or not 0 <= level <= 3:
        errors["level"] = [_("The trust level is 0, 1, 2 or 3.")]
    reason = (reason or "").strip()
    if not reason:
        errors["reason"] = [_("Say why the trust level changes.")]
    if errors:
        raise ValidationError(errors)
    # Lock the pair so two admins changing it at once are ordered.
    list(Agency.objects.select_for_update().filter(pk=from_agency.pk).values_list("pk"))
    current = (
        TrustLevel.objects.select_for_update()
        .filter(from_agency=from_agency, to_agency=to_agency)
        .first()
    )
    old_level = current.level if current is not None else None
    if (old_level if old_level is not None else 0) == level and current is not None:
        raise ValidationError(
            {"level": [_("The trust level is already %(level)s.") % {"level": level}]}
        )
    now = timezone.now()
    if current is None:
        current = TrustLevel(from_agency=from_agency, to_agency=to_agency)
    current.level = level
    current.reason = reason
    current.set_by = actor
    current.set_at = now
    current.save()
    suspended = 0
    if level < (old_level or 0):
        suspended = suspend_grants_above_trust(
            actor, from_agency, to_agency, level, request=request, reason=reason
        )
    change = TrustLevelChange.objects.create(
        from_agency=from_agency,
        to_agency=to_agency,
        old_level=old_level,
        new_level=level,
        reason=reason,
        changed_by=actor,
        changed_at=now,
        grants_suspended=suspended,
    )
    record(
        "trust.changed",
        request=request,
        actor=actor,
        obj=current,
        object_agency=from_agency,
        from_agency=from_agency.acronym,
        to_agency=to_agency.acronym,
        old_level=old_level,
        new_level=level,
        grants_suspended=suspended,
    )
    emit(
        "trust.changed",
        actor=actor,
        obj=current,
        agencies=[from_agency, to_agency],
        roles=[Role.AGENCY_ADMIN, Role.LIAISON],
        from_agency=from_agency.pk,
        to_agency=to_agency.pk,
        old_level=old_level,
        new_level=level,
        grants_suspended=suspended,
    )
    return change


# --- teams ----------------------------------------------------------------------------------------


def _clean_team(
    actor: User,
    team: Team,
    agencies: list[Agency] | None,
    users: list[User] | None,
) -> None:
    team.name = (team.name or "").strip()
    errors: dict[str, list[str]] = {}
    try:
        team.full_clean(exclude=["group", "agencies", "users", "created_by"], validate_unique=False)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if team.name and Team.objects.filter(name__iexact=team.name).exclude(pk=team.pk).exists():
        errors.setdefault("name", []).append(_("Another team already has this name."))
    if (
        team.active_until is not None
        and team.active_from is not None
        and team.active_until < team.active_from
    ):
        errors.setdefault("active_until", []).append(_("A team cannot end before it starts."))
    if agencies is not None and any(not a.active for a in agencies):
        errors.setdefault("agencies", []).append(_("Inactive agencies cannot join a team."))
    if users is not None:
        if any(getattr(u, "membership", None) is None or not u.is_active for u in users):
            errors.setdefault("users", []).append(
                _("Only active people of an agency can join a team.")
            )
        elif not roles.is_platform_admin(actor):
            own = actor.membership.agency_id
            if any(u.membership.agency_id != own for u in users):
                errors.setdefault("users", []).append(
                    _(
                        "Agency admins add people of their own agency; a platform admin adds "
                        "people of other agencies."
                    )
                )
    if errors:
        raise ValidationError(errors)


def _members_snapshot(team: Team) -> tuple[set[int], set[int]]:
    return (
        set(team.agencies.values_list("pk", flat=True)),
        set(team.users.values_list("pk", flat=True)),
    )


@transaction.atomic
def create_team(
    actor: User,
    *,
    name: str,
    purpose: str = "",
    agencies: Iterable[Agency] = (),
    users: Iterable[User] = (),
    active_from: date | None = None,
    active_until: date | None = None,
    managing_agency: Agency | None = None,
    request: HttpRequest | None = None,
) -> Team:
    """A multi-agency team. An agency admin's team is managed by their agency."""
    _require(roles.can_create_team(actor))
    if not roles.is_platform_admin(actor):
        managing_agency = actor.membership.agency
    agency_list, user_list = list(agencies), list(users)
    team = Team(
        name=name,
        purpose=purpose,
        active_from=active_from or timezone.localdate(),
        active_until=active_until,
        managing_agency=managing_agency,
        created_by=actor,
    )
    _clean_team(actor, team, agency_list, user_list)
    team.save()
    team.agencies.set(agency_list)
    team.users.set(user_list)
    record(
        "team.created",
        request=request,
        actor=actor,
        obj=team,
        object_agency=managing_agency,
        agencies=sorted(a.pk for a in agency_list),
        users=len(user_list),
    )
    return team


@transaction.atomic
def update_team(
    actor: User,
    team: Team,
    *,
    agencies: Iterable[Agency] | None = None,
    users: Iterable[User] | None = None,
    request: HttpRequest | None = None,
    **changes: Any,
) -> Team:
    """Change a team's details or membership. New members are checked against the trust of
    every owner that shared with the team: grants they may not see are suspended."""
    from sharing.suspension import suspend_team_grants_beyond_trust

    if not roles.can_manage_team(actor, team):
        raise PermissionDenied(_("You may not manage this team."))
    team = Team.objects.select_for_update().get(pk=team.pk)
    agency_list = list(agencies) if agencies is not None else None
    user_list = list(users) if users is not None else None
    changed: list[str] = []
    for name in ("name", "purpose", "active_from", "active_until"):
        if name in changes and getattr(team, name) != changes[name]:
            setattr(team, name, changes[name])
            changed.append(name)
    if "managing_agency" in changes and changes["managing_agency"] != team.managing_agency:
        if not roles.is_platform_admin(actor):
            raise ValidationError(
                {"managing_agency": [_("Only platform admins change who manages a team.")]}
            )
        team.managing_agency = changes["managing_agency"]
        changed.append("managing_agency")
    # Members an agency admin may not add, but who are already there, stay untouched.
    before_agencies, before_users = _members_snapshot(team)
    added_users = (
        [u for u in user_list if u.pk not in before_users] if user_list is not None else None
    )
    _clean_team(actor, team, agency_list, added_users)
    team.save()
    if agency_list is not None and {a.pk for a in agency_list} != before_agencies:
        team.agencies.set(agency_list)
        changed.append("agencies")
    if user_list is not None and {u.pk for u in user_list} != before_users:
        team.users.set(user_list)
        changed.append("users")
    if not changed:
        return team
    suspended = 0
    if {"agencies", "users"} & set(changed):
        suspended = suspend_team_grants_beyond_trust(actor, team, request=request)
    record(
        "team.changed",
        request=request,
        actor=actor,
        obj=team,
        object_agency=team.managing_agency,
        fields=sorted(changed),
        grants_suspended=suspended,
    )
    return team
