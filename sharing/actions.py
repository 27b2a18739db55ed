"""Every change to sharing: requests, decisions, grants, revocation, expiry, suspension.

Each function takes the acting user first, runs in one transaction, writes its audit entry
(``audit.log.record``) and its notification outbox rows (``notifications.events.emit``).
Refusals are ``ValidationError({field: message})`` (bad input, a sharing rule),
``PermissionDenied`` (the user may see the request but not do this) or ``Http404`` (the user
may not see the record or request at all: its existence is not disclosed).

Other apps call these, e.g. the hits app: ``request_access(user, seizure, level=Level.FULL,
justification=..., hit=hit)``.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from datetime import date, datetime, timedelta
from typing import Any, ParamSpec, TypeVar

from django.contrib.auth.models import Permission, User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from agencies.models import Agency, Team
from audit.log import record as audit
from audit.models import AuditEntry
from cases.markings import TRUST_NEEDED
from cases.models import Case, SeizureReport
from notifications.events import emit
from sharing import access, rules
from sharing.models import (
    CASE_PERMISSION,
    LEVEL_NAMES,
    SEIZURE_PERMISSION,
    CaseGroupAccess,
    CaseUserAccess,
    Grant,
    Level,
    SeizureGroupAccess,
    SeizureUserAccess,
    ShareRequest,
)
from sharing.queries import grants_received
from sharing.rules import Recipients, Record

P = ParamSpec("P")
T = TypeVar("T")

EXPIRY_WARNING = timedelta(days=3)
UNSET: Any = object()

Kind = ShareRequest.Kind
Status = ShareRequest.Status


# --- helpers ---------------------------------------------------------------------------------


def _member(user: Any) -> Any:
    membership = rules.membership_of(user)
    if membership is None:
        raise PermissionDenied(_("Only active members of an agency can share records."))
    return membership


def _record_fields(record: Record) -> dict[str, Any]:
    if isinstance(record, Case):
        return {"case": record, "seizure": None}
    if isinstance(record, SeizureReport):
        return {"case": None, "seizure": record}
    raise TypeError(f"{type(record).__name__} is not a shared record")


def _record_data(record: Record) -> dict[str, Any]:
    kind = "case" if isinstance(record, Case) else "seizure"
    return {"record_type": kind, "record_id": record.pk}


def _lock_record(record: Record) -> Record:
    """Serialise grant changes on one record (and read its current markings)."""
    model = type(record)
    return (
        model.objects.select_for_update(of=("self",))
        .select_related("owner_agency")
        .get(pk=record.pk)
    )


def _check_future(field: str, when: datetime | None) -> None:
    if when is not None and when <= timezone.now():
        raise ValidationError({field: _("Choose a time in the future.")})


def _check_text(field: str, text: str, message: str) -> str:
    text = (text or "").strip()
    if not text:
        raise ValidationError({field: message})
    return text


def _refusals_audited(action: str) -> Callable[[Callable[P, T]], Callable[P, T]]:
    """Audit a refused attempt (outcome ``denied``): a durable entry, kept even though the
    attempt's transaction rolls back. A 404 names the object by type and id only."""

    def wrap(func: Callable[P, T]) -> Callable[P, T]:
        @functools.wraps(func)
        def inner(*args: P.args, **kwargs: P.kwargs) -> T:
            try:
                return func(*args, **kwargs)
            except (PermissionDenied, Http404) as refusal:
                target: Any = args[1] if len(args) > 1 else None
                request = kwargs.get("request")
                known = isinstance(target, ShareRequest | Grant | Case | SeizureReport)
                audit(
                    action,
                    request=request if isinstance(request, HttpRequest) else None,
                    actor=args[0],
                    object_type=target._meta.label_lower if known else "",
                    object_id=target.pk if known else "",
                    outcome=AuditEntry.Outcome.DENIED,
                    durable=True,
                    reason="not visible" if isinstance(refusal, Http404) else str(refusal),
                )
                raise

        return inner

    return wrap


def _recipients_of(share_request: ShareRequest) -> Recipients:
    return Recipients(
        agency=share_request.recipient_agency,
        team=share_request.recipient_team,
        users=list(share_request.recipient_users.select_related("membership__agency")),
    )


def _grant_audience(grant: Grant) -> dict[str, list[Any]]:
    if grant.recipient_agency_id:
        return {"agencies": [grant.recipient_agency]}
    if grant.recipient_team_id:
        return {"teams": [grant.recipient_team]}
    return {"users": [grant.recipient_user]}


def _grant_data(grant: Grant) -> dict[str, Any]:
    recipient_type, recipient_id = _recipient_key(grant)
    return {
        "grant": grant.pk,
        **_record_data(grant.record),
        "level": LEVEL_NAMES[Level(grant.level)],
        "recipient_type": recipient_type,
        "recipient_id": recipient_id,
    }


def _recipient_key(grant: Grant) -> tuple[str, int]:
    if grant.recipient_agency_id:
        return "agency", grant.recipient_agency_id
    if grant.recipient_team_id:
        return "team", grant.recipient_team_id
    return "user", int(grant.recipient_user_id or 0)


def _emit_to_recipients_and_owner(kind: str, grant: Grant, actor: Any, **data: Any) -> None:
    """Recipients hear it (all roles), and so do the owner agency's liaison officers."""
    payload = {**_grant_data(grant), **data}
    emit(kind, actor=actor, obj=grant, **_grant_audience(grant), audience="recipients", **payload)
    emit(
        kind,
        actor=actor,
        obj=grant,
        agencies=[grant.owner_agency],
        roles=["liaison"],
        audience="owner",
        **payload,
    )


# --- access rows (the door reads these) ----------------------------------------------------


def _permission(record: Record, level: int) -> Permission:
    if isinstance(record, Case):
        codename, model = CASE_PERMISSION[Level(level)], "case"
    else:
        codename, model = SEIZURE_PERMISSION[Level(level)], "seizurereport"
    return Permission.objects.get(
        content_type__app_label="cases", content_type__model=model, codename=codename
    )


def _write_access_row(grant: Grant, record: Record) -> None:
    common = {
        "permission": _permission(record, grant.level),
        "content_object": record,
        "grant": grant,
        "level": grant.level,
        "created": record.created_at,
        "expires_at": grant.expires_at,
    }
    is_case = isinstance(record, Case)
    if grant.recipient_user_id:
        user_model = CaseUserAccess if is_case else SeizureUserAccess
        user_model.objects.create(user_id=grant.recipient_user_id, **common)
        return
    owner_of_group = grant.recipient_agency or grant.recipient_team
    if owner_of_group is None:  # impossible: a check constraint names exactly one recipient
        raise ValueError(f"grant {grant.pk} has no recipient")
    group_id = owner_of_group.group_id
    group_model = CaseGroupAccess if is_case else SeizureGroupAccess
    group_model.objects.create(group_id=group_id, **common)


def _delete_access_row(grant: Grant) -> None:
    for model in (CaseGroupAccess, CaseUserAccess, SeizureGroupAccess, SeizureUserAccess):
        model.objects.filter(grant=grant).delete()


def _end_grant(grant: Grant, status: str, actor: Any, reason: str) -> None:
    grant.status = status
    grant.ended_at = timezone.now()
    grant.ended_by = actor if actor is not None and actor.is_authenticated else None
    grant.end_reason = reason
    grant.save(update_fields=["status", "ended_at", "ended_by", "end_reason"])
    _delete_access_row(grant)


def _same_recipient(grant_qs: QuerySet[Grant], recipients: Recipients) -> list[QuerySet[Grant]]:
    if recipients.agency is not None:
        return [grant_qs.filter(recipient_agency=recipients.agency)]
    if recipients.team is not None:
        return [grant_qs.filter(recipient_team=recipients.team)]
    return [grant_qs.filter(recipient_user=user) for user in recipients.users]


def _create_grants(
    actor: Any,
    record: Record,
    *,
    level: int,
    recipients: Recipients,
    expires_at: datetime | None,
    share_request: ShareRequest | None,
    request: HttpRequest | None,
) -> list[Grant]:
    """Write the grants and their access rows; the caller holds the transaction."""
    record = _lock_record(record)
    rules.check_grant(record, level, recipients)
    _check_future("expires_at", expires_at)
    active = Grant.objects.filter(status=Grant.Status.ACTIVE, **_record_fields(record))
    per_recipient: list[Recipients] = (
        [Recipients(users=[user]) for user in recipients.users]
        if recipients.users
        else [recipients]
    )
    created: list[Grant] = []
    for one in per_recipient:
        grant = Grant.objects.create(
            **_record_fields(record),
            owner_agency=record.owner_agency,
            recipient_agency=one.agency,
            recipient_team=one.team,
            recipient_user=one.users[0] if one.users else None,
            level=level,
            share_request=share_request,
            granted_by=actor,
            expires_at=expires_at,
        )
        # The owner's latest decision for a recipient replaces any earlier grant to it.
        for earlier in _same_recipient(active.exclude(pk=grant.pk), one):
            for old in earlier.select_for_update(of=("self",)):
                _end_grant(old, Grant.Status.SUPERSEDED, actor, f"superseded by grant #{grant.pk}")
                audit(
                    "grant.revoked",
                    request=request,
                    actor=actor,
                    obj=old,
                    reason="superseded",
                    superseded_by=grant.pk,
                )
        _write_access_row(grant, record)
        audit(
            "grant.created",
            request=request,
            actor=actor,
            obj=grant,
            **_grant_data(grant),
            expires_at=expires_at,
            share_request=share_request.pk if share_request else None,
        )
        emit(
            "grant.created", actor=actor, obj=grant, **_grant_audience(grant), **_grant_data(grant)
        )
        created.append(grant)
    return created


# --- share requests --------------------------------------------------------------------------


def _new_request(
    user: Any,
    kind: str,
    record: Record,
    *,
    membership: Any,
    level: int,
    justification: str,
    recipients: Recipients,
    expires_at: datetime | None = None,
    question: str = "",
    priority: str = ShareRequest.Priority.ROUTINE,
    due_date: date | None = None,
    hit: Any = None,
    request: HttpRequest | None,
) -> ShareRequest:
    share_request = ShareRequest.objects.create(
        kind=kind,
        **_record_fields(record),
        owner_agency_id=record.owner_agency_id,
        requested_by=user,
        requesting_agency=membership.agency,
        recipient_agency=recipients.agency,
        recipient_team=recipients.team,
        level=level,
        justification=justification,
        question=question,
        priority=priority,
        due_date=due_date,
        expires_at=expires_at,
        hit=hit,
    )
    if recipients.users:
        share_request.recipient_users.set(list(recipients.users))
    audit(
        "share_request.created",
        request=request,
        actor=user,
        obj=share_request,
        kind=kind,
        **_record_data(record),
        level=LEVEL_NAMES[Level(level)],
        priority=priority,
        hit=hit.pk if hit is not None else None,
    )
    emit(
        "share_request.created",
        actor=user,
        obj=share_request,
        agencies=[record.owner_agency],
        roles=["liaison"],
        share_request=share_request.pk,
        request_kind=kind,
        **_record_data(record),
        priority=priority,
    )
    return share_request


def _visible_level_or_404(user: Any, record: Record) -> int:
    level = access.access_level(user, record)
    if level < Level.SUMMARY:
        raise Http404(_("No such record."))
    return level


def _check_hit(membership: Any, record: Record, hit: Any) -> None:
    """A hit lets an agency ask for a record it cannot see: the hit must be its own, name this
    very record, and name its agency (not a "do not reveal" hit; the hits app decides what
    else the hit shows)."""
    if (
        hit is None
        or not isinstance(record, SeizureReport)
        or hit.our_agency_id != membership.agency_id
        or hit.their_seizure_id != record.pk
        or not hit.revealed
    ):
        raise Http404(_("No such record."))


def _check_match(membership: Any, record: Record, match: Any) -> None:
    """An identifier search (insight.search) points at a record the searcher cannot see: the
    match must name this very record, of another agency that did not ask to stay hidden."""
    if (
        match is None
        or not isinstance(record, SeizureReport)
        or match.seizure_id != record.pk
        or record.owner_agency_id == membership.agency_id
        or record.effective_do_not_reveal
    ):
        raise Http404(_("No such record."))


def _no_duplicate(kind: str, record: Record, agency_id: int) -> None:
    pending = ShareRequest.objects.filter(
        kind=kind, status=Status.PENDING, requesting_agency_id=agency_id, **_record_fields(record)
    ).first()
    if pending is not None:
        raise ValidationError(
            {
                "target": _(
                    "Your agency already has a pending request about this record (#%(id)s)."
                )
                % {"id": pending.pk}
            }
        )


def _own_side_recipients(
    user: Any, membership: Any, record: Record, team: Team | None, users: Sequence[User]
) -> Recipients:
    """An agency asks for itself: its agency (default), a team it is in, or its own people."""
    if team is not None and users:
        raise ValidationError(
            {"recipient_team": _("Name one recipient: your agency, a team, or named people.")}
        )
    if team is not None:
        in_team = (
            team.agencies.filter(pk=membership.agency_id).exists()
            or team.users.filter(pk=user.pk).exists()
        )
        if not in_team:
            raise ValidationError(
                {"recipient_team": _("You can ask only for a team you or your agency belong to.")}
            )
        return Recipients(team=team)
    if users:
        for person in users:
            person_membership = getattr(person, "membership", None)
            if person_membership is None or person_membership.agency_id != membership.agency_id:
                raise ValidationError(
                    {"recipient_users": _("You can ask only for people of your own agency.")}
                )
        return Recipients(users=list(users))
    if record.tlp == "RED":
        return Recipients(users=[user])
    return Recipients(agency=membership.agency)


@_refusals_audited("share_request.created")
def request_access(
    user: Any,
    record: Record,
    *,
    level: int,
    justification: str,
    expires_at: datetime | None = None,
    recipient_team: Team | None = None,
    recipient_users: Sequence[User] = (),
    hit: Any = None,
    match: Any = None,
    request: HttpRequest | None = None,
) -> ShareRequest:
    """A partner asks the owner for access to a record it sees partly (or knows of by a hit, or
    by ``match``: the ``cases.Identifier`` row an exact identifier search found in it)."""
    membership = _member(user)
    with transaction.atomic():
        if hit is not None:
            _check_hit(membership, record, hit)
            current = access.access_level(user, record)
        elif match is not None:
            _check_match(membership, record, match)
            current = access.access_level(user, record)
        else:
            current = _visible_level_or_404(user, record)
        if record.owner_agency_id == membership.agency_id:
            raise ValidationError({"target": _("Your agency owns this record.")})
        rules.check_level(level)
        if current >= level:
            raise ValidationError(
                {
                    "level": _("You already see this record at %(level)s.")
                    % {"level": LEVEL_NAMES[Level(min(current, Level.CONTRIBUTE))]}
                }
            )
        justification = _check_text(
            "justification", justification, _("Say why your agency needs this record.")
        )
        _check_future("expires_at", expires_at)
        recipients = _own_side_recipients(user, membership, record, recipient_team, recipient_users)
        if current >= Level.SUMMARY:
            # The requester sees the record's marking, so the TLP rule can be told now.
            rules.check_shape(record, level, recipients)
        _no_duplicate(Kind.ACCESS, record, membership.agency_id)
        return _new_request(
            user,
            Kind.ACCESS,
            record,
            membership=membership,
            level=level,
            justification=justification,
            recipients=recipients,
            expires_at=expires_at,
            hit=hit,
            request=request,
        )


@_refusals_audited("share_request.created")
def offer(
    user: Any,
    record: Record,
    *,
    level: int,
    justification: str,
    recipient_agency: Agency | None = None,
    recipient_team: Team | None = None,
    recipient_users: Sequence[User] = (),
    expires_at: datetime | None = None,
    request: HttpRequest | None = None,
) -> ShareRequest:
    """A liaison officer of the owner agency proposes to share a record; another liaison
    officer of the same agency approves it (four-eyes)."""
    membership = _member(user)
    with transaction.atomic():
        _visible_level_or_404(user, record)
        if not rules.is_liaison_of(user, record.owner_agency_id):
            raise PermissionDenied(
                _(
                    "Only liaison officers of the owner agency offer its records. A partner "
                    "that received a record can ask the owner to extend sharing instead."
                )
            )
        justification = _check_text(
            "justification", justification, _("Say why this record should be shared.")
        )
        _check_future("expires_at", expires_at)
        recipients = Recipients(
            agency=recipient_agency, team=recipient_team, users=list(recipient_users)
        )
        rules.check_grant(record, level, recipients)
        return _new_request(
            user,
            Kind.OFFER,
            record,
            membership=membership,
            level=level,
            justification=justification,
            recipients=recipients,
            expires_at=expires_at,
            request=request,
        )


@_refusals_audited("share_request.created")
def request_extension(
    user: Any,
    record: Record,
    *,
    level: int,
    justification: str,
    recipient_agency: Agency | None = None,
    recipient_team: Team | None = None,
    recipient_users: Sequence[User] = (),
    expires_at: datetime | None = None,
    request: HttpRequest | None = None,
) -> ShareRequest:
    """Originator control: a recipient never re-shares; it asks the owner to extend."""
    membership = _member(user)
    with transaction.atomic():
        _visible_level_or_404(user, record)
        if record.owner_agency_id == membership.agency_id:
            raise ValidationError(
                {"kind": _("Your agency owns this record: offer it instead of asking.")}
            )
        justification = _check_text(
            "justification", justification, _("Say why the owner should extend sharing.")
        )
        _check_future("expires_at", expires_at)
        recipients = Recipients(
            agency=recipient_agency, team=recipient_team, users=list(recipient_users)
        )
        if recipients.agency is not None and recipients.agency.pk == membership.agency_id:
            raise ValidationError(
                {"recipient_agency": _("For your own agency, ask for access instead.")}
            )
        # The marking is visible to the asker; the owner's trust in a third party is not told.
        rules.check_shape(record, level, recipients)
        rules.check_recipients_exist(record, recipients)
        return _new_request(
            user,
            Kind.EXTEND,
            record,
            membership=membership,
            level=level,
            justification=justification,
            recipients=recipients,
            expires_at=expires_at,
            request=request,
        )


@_refusals_audited("share_request.created")
def send_rfi(
    user: Any,
    record: Record,
    *,
    question: str,
    justification: str,
    priority: str = ShareRequest.Priority.ROUTINE,
    due_date: date | None = None,
    hit: Any = None,
    request: HttpRequest | None = None,
) -> ShareRequest:
    """A request for information: a question to the owner, answered with a reply."""
    membership = _member(user)
    with transaction.atomic():
        if hit is not None:
            _check_hit(membership, record, hit)
        else:
            _visible_level_or_404(user, record)
        if record.owner_agency_id == membership.agency_id:
            raise ValidationError({"target": _("Your agency owns this record.")})
        question = _check_text("question", question, _("Write the question."))
        justification = _check_text("justification", justification, _("Say why your agency asks."))
        if priority not in ShareRequest.Priority.values:
            raise ValidationError({"priority": _("Choose routine or urgent.")})
        if due_date is not None and due_date < timezone.localdate():
            raise ValidationError({"due_date": _("Choose today or a later date.")})
        return _new_request(
            user,
            Kind.RFI,
            record,
            membership=membership,
            level=Level.SUMMARY,
            justification=justification,
            recipients=Recipients(),
            question=question,
            priority=priority,
            due_date=due_date,
            hit=hit,
            request=request,
        )


def create_request(user: Any, kind: str, record: Record, **fields: Any) -> ShareRequest:
    """One entry point for pages and the API: dispatch on the request's kind."""
    creators: dict[str, Callable[..., ShareRequest]] = {
        Kind.ACCESS: request_access,
        Kind.OFFER: offer,
        Kind.EXTEND: request_extension,
        Kind.RFI: send_rfi,
    }
    if kind not in creators:
        raise ValidationError({"kind": _("Choose access, offer, rfi or extend.")})
    return creators[kind](user, record, **fields)


def _locked_request(user: Any, share_request: ShareRequest) -> ShareRequest:
    """Re-read the request under a row lock; 404 unless the user's agency is a party to it."""
    membership = _member(user)
    locked = (
        ShareRequest.objects.select_for_update(of=("self",))
        .select_related("owner_agency", "requesting_agency", "recipient_agency", "recipient_team")
        .filter(pk=share_request.pk)
        .filter(Q(owner_agency=membership.agency) | Q(requesting_agency=membership.agency))
        .first()
    )
    if locked is None:
        raise Http404(_("No such share request."))
    return locked


def _check_pending(share_request: ShareRequest) -> None:
    if share_request.status != Status.PENDING:
        raise ValidationError(
            {
                "status": _("This request is already %(status)s; a decision is final.")
                % {"status": share_request.get_status_display().lower()}
            }
        )


def _check_decider(user: Any, share_request: ShareRequest) -> None:
    if not rules.is_liaison_of(user, share_request.owner_agency_id):
        raise PermissionDenied(
            _("Only a liaison officer of %(agency)s decides requests about its records.")
            % {"agency": share_request.owner_agency.acronym}
        )
    if share_request.requested_by_id == user.pk:
        raise PermissionDenied(
            _(
                "You made this request: another liaison officer must decide it (four-eyes "
                "principle)."
            )
        )


def _decided(
    user: Any,
    share_request: ShareRequest,
    status: str,
    note: str,
    request: HttpRequest | None,
    **details: Any,
) -> None:
    share_request.status = status
    share_request.decided_by = user
    share_request.decided_at = timezone.now()
    share_request.decision_note = note
    share_request.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    audit(
        "share_request.decided",
        request=request,
        actor=user,
        obj=share_request,
        decision=status,
        kind=share_request.kind,
        **details,
    )
    emit(
        "share_request.decided",
        actor=user,
        obj=share_request,
        agencies=[share_request.requesting_agency],
        roles=["liaison"],
        users=[share_request.requested_by],
        share_request=share_request.pk,
        decision=status,
        request_kind=share_request.kind,
    )


def _approved_level(share_request: ShareRequest, level: int | None) -> int:
    if level is None:
        return int(share_request.level)
    rules.check_level(level)
    if level > share_request.level:
        raise ValidationError(
            {
                "level": _("Grant at most what was asked (%(level)s).")
                % {"level": LEVEL_NAMES[Level(share_request.level)]}
            }
        )
    return int(level)


def _approved_recipients(share_request: ShareRequest, recipients: Recipients | None) -> Recipients:
    """The recipients asked for, or others on the asking side of a request for access."""
    asked = _recipients_of(share_request)
    if recipients is None or recipients == asked:
        return asked
    if share_request.kind != Kind.ACCESS:
        raise ValidationError(
            {recipients.field: _("The recipients of an offer or extension are those proposed.")}
        )
    asking = share_request.requesting_agency
    if recipients.agency is not None and recipients.agency.pk != asking.pk:
        raise ValidationError({"recipient_agency": _("Only the asking agency can be named here.")})
    if recipients.team is not None and not rules.team_includes_agency(recipients.team, asking):
        raise ValidationError({"recipient_team": _("Choose a team the asking agency belongs to.")})
    for person in recipients.users:
        membership = getattr(person, "membership", None)
        if membership is None or membership.agency_id != asking.pk:
            raise ValidationError({"recipient_users": _("Choose people of the asking agency.")})
    return recipients


@_refusals_audited("share_request.decided")
def approve(
    user: Any,
    share_request: ShareRequest,
    *,
    note: str,
    expires_at: datetime | None = UNSET,
    level: int | None = None,
    recipients: Recipients | None = None,
    request: HttpRequest | None = None,
) -> list[Grant]:
    """A liaison officer of the owner agency approves: the grants and their access rows are
    written in the same transaction. Two officers approving at once create one set of grants:
    the request row is locked and re-checked.

    The officer may grant less than was asked (``level`` at most the level asked) and, for a
    request for access, name other recipients on the asking side (``recipients``: its agency,
    a team it is in, or its people, as the record's TLP allows)."""
    with transaction.atomic():
        share_request = _locked_request(user, share_request)
        _check_decider(user, share_request)
        _check_pending(share_request)
        if share_request.kind == Kind.RFI:
            raise ValidationError(
                {"kind": _("A request for information is answered (or denied), not approved.")}
            )
        note = _check_text("note", note, _("Write a note for the decision."))
        if expires_at is UNSET:
            expires_at = share_request.expires_at
        level = _approved_level(share_request, level)
        recipients = _approved_recipients(share_request, recipients)
        grants = _create_grants(
            user,
            share_request.record,
            level=level,
            recipients=recipients,
            expires_at=expires_at,
            share_request=share_request,
            request=request,
        )
        _decided(
            user,
            share_request,
            Status.APPROVED,
            note,
            request,
            grants=[grant.pk for grant in grants],
        )
        return grants


@_refusals_audited("share_request.decided")
def deny(
    user: Any, share_request: ShareRequest, *, note: str, request: HttpRequest | None = None
) -> ShareRequest:
    with transaction.atomic():
        share_request = _locked_request(user, share_request)
        _check_decider(user, share_request)
        _check_pending(share_request)
        note = _check_text("note", note, _("Write a note that explains the refusal."))
        _decided(user, share_request, Status.DENIED, note, request)
        return share_request


@_refusals_audited("share_request.decided")
def answer(
    user: Any, share_request: ShareRequest, *, answer: str, request: HttpRequest | None = None
) -> ShareRequest:
    """Answer a request for information. Analysts and liaison officers of the owner agency
    answer; the reply goes to the requester, within the owner's trust in their agency."""
    with transaction.atomic():
        share_request = _locked_request(user, share_request)
        membership = _member(user)
        if membership.agency_id != share_request.owner_agency_id:
            raise PermissionDenied(_("Only the owner agency answers this request."))
        if share_request.kind != Kind.RFI:
            raise ValidationError({"kind": _("Only a request for information is answered.")})
        _check_pending(share_request)
        text = _check_text("answer", answer, _("Write the answer."))
        record = share_request.record
        trust = rules.trust_level(share_request.owner_agency_id, share_request.requesting_agency_id)
        if trust < TRUST_NEEDED[record.tlp]:
            raise ValidationError(
                {"answer": rules.trust_refusal(record, share_request.requesting_agency, trust)}
            )
        share_request.answer = text
        share_request.save(update_fields=["answer"])
        _decided(user, share_request, Status.APPROVED, "", request, answered=True)
        emit(
            "rfi.answered",
            actor=user,
            obj=share_request,
            users=[share_request.requested_by],
            share_request=share_request.pk,
            **_record_data(record),
        )
        return share_request


@_refusals_audited("share_request.withdrawn")
def withdraw(
    user: Any, share_request: ShareRequest, *, request: HttpRequest | None = None
) -> ShareRequest:
    """The requester (or a liaison officer of the requesting agency) takes a request back."""
    with transaction.atomic():
        share_request = _locked_request(user, share_request)
        if share_request.requested_by_id != user.pk and not rules.is_liaison_of(
            user, share_request.requesting_agency_id
        ):
            raise PermissionDenied(
                _("Only the requester or a liaison officer of their agency withdraws a request.")
            )
        _check_pending(share_request)
        share_request.status = Status.WITHDRAWN
        share_request.decided_at = timezone.now()
        share_request.save(update_fields=["status", "decided_at"])
        audit("share_request.withdrawn", request=request, actor=user, obj=share_request)
        emit(
            "share_request.withdrawn",
            actor=user,
            obj=share_request,
            agencies=[share_request.owner_agency],
            roles=["liaison"],
            share_request=share_request.pk,
        )
        return share_request


# --- grants ----------------------------------------------------------------------------------


@_refusals_audited("grant.revoked")
def revoke(user: Any, grant: Grant, *, reason: str, request: HttpRequest | None = None) -> Grant:
    """A liaison officer of the owner agency takes a grant back, at once."""
    membership = _member(user)
    with transaction.atomic():
        locked = Grant.objects.select_for_update(of=("self",)).filter(pk=grant.pk).first()
        if locked is None:
            raise Http404(_("No such grant."))
        if locked.owner_agency_id != membership.agency_id:
            if not grants_received(user).filter(pk=locked.pk).exists():
                raise Http404(_("No such grant."))
            raise PermissionDenied(
                _("Only the owner agency revokes a grant; a recipient cannot share or unshare.")
            )
        if membership.role != "liaison":
            raise PermissionDenied(_("Only a liaison officer of the owner agency revokes grants."))
        if locked.status != Grant.Status.ACTIVE:
            raise ValidationError(
                {
                    "status": _("This grant is already %(status)s.")
                    % {"status": locked.get_status_display().lower()}
                }
            )
        reason = _check_text("reason", reason, _("Say why the grant is revoked."))
        _end_grant(locked, Grant.Status.REVOKED, user, reason)
        audit("grant.revoked", request=request, actor=user, obj=locked, **_grant_data(locked))
        emit(
            "grant.revoked",
            actor=user,
            obj=locked,
            **_grant_audience(locked),
            **_grant_data(locked),
        )
        return locked


def grants_reaching_agency(owner: Agency, agency: Agency) -> QuerySet[Grant]:
    """Active grants of ``owner`` whose trust depends on ``agency``: to the agency itself, to
    a team it (or one of its people) is in, or to one of its people by name."""
    teams = Team.objects.filter(Q(agencies=agency) | Q(users__membership__agency=agency))
    return Grant.objects.filter(owner_agency=owner, status=Grant.Status.ACTIVE).filter(
        Q(recipient_agency=agency)
        | Q(recipient_team__in=teams.values("pk"))
        | Q(recipient_user__membership__agency=agency)
    )


def grants_above_trust(owner: Agency, agency: Agency, level: int) -> QuerySet[Grant]:
    """Active grants that a trust level of ``level`` from ``owner`` to ``agency`` no longer
    allows (the record's TLP needs more)."""
    too_strict = [tlp for tlp, needed in TRUST_NEEDED.items() if needed > level]
    return grants_reaching_agency(owner, agency).filter(
        Q(case__tlp__in=too_strict) | Q(seizure__tlp__in=too_strict)
    )


def suspend(
    grant: Grant, *, actor: Any = None, reason: str, request: HttpRequest | None = None
) -> bool:
    """Suspend one active grant (trust was lowered). Call inside the trust change's transaction;
    returns False if the grant had already ended."""
    with transaction.atomic():
        locked = Grant.objects.select_for_update(of=("self",)).filter(pk=grant.pk).first()
        if locked is None or locked.status != Grant.Status.ACTIVE:
            return False
        _end_grant(locked, Grant.Status.SUSPENDED, actor, reason)
        audit(
            "grant.suspended",
            request=request,
            actor=actor,
            obj=locked,
            **_grant_data(locked),
            reason=reason,
        )
        _emit_to_recipients_and_owner("grant.suspended", locked, actor)
        return True


def suspend_above_trust(
    owner: Agency,
    agency: Agency,
    level: int,
    *,
    actor: Any = None,
    reason: str,
    request: HttpRequest | None = None,
) -> int:
    """Suspend every grant that a lowered trust level no longer allows; returns how many."""
    suspended = 0
    with transaction.atomic():
        for grant in grants_above_trust(owner, agency, level).select_for_update(of=("self",)):
            suspended += suspend(grant, actor=actor, reason=reason, request=request)
    return suspended


# --- time: expiry and warnings (Celery beat, sharing.tasks) -------------------------------


def expire_due_grants(now: datetime | None = None, batch: int = 500) -> int:
    """Mark grants whose time has come as expired (their rows already stopped counting at
    ``expires_at``); tell the owner's liaison officers and the recipients."""
    now = now or timezone.now()
    done = 0
    while True:
        with transaction.atomic():
            due = list(
                Grant.objects.select_for_update(skip_locked=True, of=("self",))
                .select_related("owner_agency", "recipient_agency", "recipient_team")
                .filter(status=Grant.Status.ACTIVE, expires_at__lte=now)
                .order_by("expires_at")[:batch]
            )
            for grant in due:
                _end_grant(grant, Grant.Status.EXPIRED, None, "expired")
                audit("grant.expired", obj=grant, **_grant_data(grant))
                _emit_to_recipients_and_owner("grant.expired", grant, None)
        done += len(due)
        if len(due) < batch:
            return done


def warn_expiring_grants(now: datetime | None = None) -> int:
    """Three days before a grant ends, tell the owner's liaison officers and the recipients."""
    now = now or timezone.now()
    with transaction.atomic():
        soon = list(
            Grant.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("owner_agency", "recipient_agency", "recipient_team")
            .filter(
                status=Grant.Status.ACTIVE,
                expiry_warned_at__isnull=True,
                expires_at__gt=now,
                expires_at__lte=now + EXPIRY_WARNING,
            )
        )
        for grant in soon:
            grant.expiry_warned_at = now
            grant.save(update_fields=["expiry_warned_at"])
            _emit_to_recipients_and_owner(
                "grant.expiring",
                grant,
                None,
                expires_at=grant.expires_at.isoformat() if grant.expires_at else None,
            )
    return len(soon)


def expire_stale_requests(now: datetime | None = None) -> int:
    """A pending request whose grant would already have ended can no longer be approved."""
    now = now or timezone.now()
    with transaction.atomic():
        stale = list(
            ShareRequest.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("requesting_agency", "requested_by")
            .filter(status=Status.PENDING, expires_at__lte=now)
        )
        for share_request in stale:
            share_request.status = Status.EXPIRED
            share_request.decided_at = now
            share_request.save(update_fields=["status", "decided_at"])
            audit("share_request.decided", obj=share_request, decision=Status.EXPIRED)
            emit(
                "share_request.decided",
                obj=share_request,
                agencies=[share_request.requesting_agency],
                roles=["liaison"],
                users=[share_request.requested_by],
                share_request=share_request.pk,
                decision=Status.EXPIRED,
                request_kind=share_request.kind,
            )
    return len(stale)


def recheck_team_grants(
    team: Team, *, actor: Any = None, request: HttpRequest | None = None
) -> int:
    """After a team's membership changes: suspend its grants that a new member's agency is not
    trusted enough for. The teams code calls this in the membership change's transaction."""
    suspended = 0
    with transaction.atomic():
        for grant in (
            Grant.objects.select_for_update(of=("self",))
            .filter(recipient_team=team, status=Grant.Status.ACTIVE)
            .select_related("owner_agency", "case", "seizure")
        ):
            try:
                rules.check_trust(grant.record, Recipients(team=team))
            except ValidationError as refusal:
                reason = "; ".join(refusal.messages)
                suspended += suspend(grant, actor=actor, reason=reason, request=request)
    return suspended
