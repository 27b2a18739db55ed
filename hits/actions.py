"""Reading and following up an agency's deconfliction hits.

Matching itself (creating hits, telling both liaison officers through ``hit.created``) lives
in ``hits.matching.match_record``. A hit is seen only by members of the agency whose record
it is about (``our_agency``); to anyone else it does not exist (404). Its status is changed
by that agency's liaison officers, who follow hits up (DESIGN §1).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _

from agencies.models import Role
from audit.log import record as audit
from hits.matching import match_record
from hits.models import Hit
from portal.errors import InvalidInput
from sharing.rules import membership_of

__all__ = ["get_hit_or_404", "hits_for", "match_record", "request_access", "set_status"]


def hits_for(user: Any) -> QuerySet[Hit]:
    """The hits of the user's agency, newest first (none for people of no agency)."""
    membership = membership_of(user)
    if membership is None:
        return Hit.objects.none()
    return (
        Hit.objects.filter(our_agency_id=membership.agency_id)
        .select_related("our_seizure", "their_agency")
        .order_by("-created_at", "-id")
    )


def get_hit_or_404(user: Any, pk: Any) -> Hit:
    try:
        hit = hits_for(user).filter(pk=int(pk)).first()
    except (TypeError, ValueError):
        hit = None
    if hit is None:
        raise Http404(_("No such hit."))
    return hit


def is_liaison(user: Any) -> bool:
    membership = membership_of(user)
    return membership is not None and membership.role == Role.LIAISON


def may_follow_up(user: Any, hit: Hit) -> bool:
    membership = membership_of(user)
    return is_liaison(user) and membership is not None and membership.agency_id == hit.our_agency_id


def default_justification(hit: Hit) -> str:
    return _("Deconfliction hit: our record %(reference)s matches one of yours on a %(kind)s.") % {
        "reference": hit.our_seizure.reference,
        "kind": hit.kind_label,
    }


def requests_from(hit: Hit) -> QuerySet[Any]:
    """The access requests the agency made from this hit (its own side only)."""
    return hit.share_requests.filter(requesting_agency_id=hit.our_agency_id).order_by(
        "-created_at", "-id"
    )


def request_access(
    user: Any,
    hit: Hit,
    *,
    level: int,
    justification: str,
    request: HttpRequest | None = None,
) -> Any:
    """Ask the other agency for the record behind the hit. A hit that does not name the other
    agency (both records marked "do not reveal") opens nothing: 404."""
    from sharing import actions as sharing_actions

    if not hit.revealed:
        raise Http404(_("No such record."))
    return sharing_actions.request_access(
        user,
        hit.their_seizure,
        level=level,
        justification=justification,
        hit=hit,
        request=request,
    )


@transaction.atomic
def set_status(user: Any, pk: Any, status: str, *, request: HttpRequest | None = None) -> Hit:
    """A liaison officer of the hit's agency marks it new, acknowledged or followed up."""
    get_hit_or_404(user, pk)
    hit = Hit.objects.select_for_update().select_related("our_seizure", "their_agency").get(pk=pk)
    if not may_follow_up(user, hit):
        raise PermissionDenied(_("Only your agency's liaison officers follow up hits."))
    if status not in Hit.Status.values:
        raise InvalidInput({"status": [_("Choose new, acknowledged or followed up.")]})
    if status == hit.status:
        return hit
    before = hit.status
    hit.status = status
    hit.save(update_fields=["status", "updated_at"])
    audit(
        "hit.status_changed",
        request=request,
        actor=user,
        obj=hit,
        object_agency=hit.our_agency_id,
        before=before,
        after=status,
    )
    return hit
