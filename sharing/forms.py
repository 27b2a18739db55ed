"""Forms of the sharing pages: asking, offering, deciding, answering, revoking.

They parse input only; every rule is checked by ``sharing.actions`` (whose refusals come back
as ``{field: message}`` and are shown beside the field by ``apply_refusal``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agencies.models import Agency, Team
from cases.forms import style
from cases.markings import Tlp
from portal.errors import messages_of
from sharing.models import GRANTABLE_LEVELS, LEVEL_BY_NAME, LEVEL_NAMES, Level, ShareRequest
from sharing.rules import Recipients

DATETIME_INPUT = "%Y-%m-%dT%H:%M"


def level_choices(lowest: int = Level.SUMMARY, highest: int = Level.CONTRIBUTE) -> list[Any]:
    levels = [level for level in GRANTABLE_LEVELS if lowest <= level <= highest]
    return [(LEVEL_NAMES[level], level.label) for level in levels]


def _expiry_field() -> forms.DateTimeField:
    return forms.DateTimeField(
        label=_("Sharing ends (UTC)"),
        required=False,
        input_formats=[DATETIME_INPUT, "%Y-%m-%d %H:%M", "%Y-%m-%d"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_INPUT),
        help_text=_("Leave empty for no end date. The owner can revoke at any time."),
    )


def _text(label: Any, rows: int = 3, required: bool = True) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


def apply_refusal(
    form: forms.BaseForm, error: ValidationError, aliases: dict[str, str] | None = None
) -> None:
    """Show a sharing rule's refusal beside the field it names (or above the form)."""
    aliases = aliases or {}
    for field, problems in messages_of(error).items():
        name = aliases.get(field, field)
        target = name if name in form.fields else None
        for problem in problems:
            form.add_error(target, problem)


class RequestForm(forms.Form):
    """Ask for access, send a request for information, offer a record, or ask to extend.

    The fields depend on the kind; the record is chosen by the page (through the door)."""

    level = forms.ChoiceField(label=_("Level"), choices=level_choices())
    question = _text(_("Question"), rows=4)
    priority = forms.ChoiceField(
        label=_("Priority"),
        choices=ShareRequest.Priority.choices,
        initial=ShareRequest.Priority.ROUTINE,
    )
    due_date = forms.DateField(
        label=_("Answer needed by"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    recipient_agency = forms.ModelChoiceField(
        label=_("Recipient agency"), queryset=Agency.objects.none(), required=False
    )
    recipient_team = forms.ModelChoiceField(
        label=_("Recipient team"), queryset=Team.objects.none(), required=False
    )
    recipient_users = forms.ModelMultipleChoiceField(
        label=_("Named people"),
        queryset=User.objects.none(),
        required=False,
        help_text=_("TLP:RED records are shared with named people only."),
    )
    justification = _text(_("Justification"))
    expires_at = _expiry_field()

    FIELDS: dict[str, tuple[str, ...]] = {
        ShareRequest.Kind.ACCESS: ("level", "justification", "expires_at"),
        ShareRequest.Kind.RFI: ("question", "priority", "due_date", "justification"),
        ShareRequest.Kind.OFFER: (
            "recipient_agency",
            "recipient_team",
            "recipient_users",
            "level",
            "justification",
            "expires_at",
        ),
        ShareRequest.Kind.EXTEND: (
            "recipient_agency",
            "recipient_team",
            "recipient_users",
            "level",
            "justification",
            "expires_at",
        ),
    }

    def __init__(
        self, *args: Any, kind: str, record: Any, current_level: int, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.kind = kind
        fields: Any = self.fields  # the concrete field classes are known here
        for name in list(fields):
            if name not in self.FIELDS[kind]:
                del fields[name]
        if "level" in fields:
            if kind == ShareRequest.Kind.ACCESS:
                above = min(int(current_level) + 1, Level.CONTRIBUTE)
                fields["level"].choices = level_choices(lowest=max(above, Level.SUMMARY))
                fields["level"].initial = LEVEL_NAMES[Level(max(above, Level.FULL))]
            elif record.tlp == Tlp.CLEAR:
                fields["level"].choices = level_choices(lowest=Level.CONTRIBUTE)
            else:
                fields["level"].initial = "full"
        if "recipient_agency" in fields:
            fields["recipient_agency"].queryset = Agency.objects.filter(active=True).exclude(
                pk=record.owner_agency_id
            )
            today = timezone.localdate()
            teams: QuerySet[Team] = Team.objects.filter(active_from__lte=today).exclude(
                active_until__lt=today
            )
            fields["recipient_team"].queryset = teams
            users = (
                User.objects.filter(is_active=True, membership__agency__active=True)
                .exclude(membership__agency_id=record.owner_agency_id)
                .select_related("membership__agency")
                .order_by("membership__agency__acronym", "username")
            )
            fields["recipient_users"].queryset = users
            fields["recipient_users"].label_from_instance = _person_label
            if record.tlp != Tlp.RED:
                del fields["recipient_users"]
        style(self)

    def action_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        kwargs: dict[str, Any] = {"justification": data["justification"]}
        if self.kind == ShareRequest.Kind.RFI:
            kwargs.update(
                question=data["question"], priority=data["priority"], due_date=data["due_date"]
            )
            return kwargs
        kwargs["level"] = LEVEL_BY_NAME[data["level"]]
        kwargs["expires_at"] = data.get("expires_at")
        if self.kind in (ShareRequest.Kind.OFFER, ShareRequest.Kind.EXTEND):
            kwargs["recipient_agency"] = data.get("recipient_agency")
            kwargs["recipient_team"] = data.get("recipient_team")
            kwargs["recipient_users"] = list(data.get("recipient_users") or [])
        return kwargs


def _person_label(user: User) -> str:
    membership = getattr(user, "membership", None)
    agency = membership.agency.acronym if membership is not None else "—"
    return f"{user.get_full_name() or user.get_username()} ({agency})"


class ApproveForm(forms.Form):
    """Approve a request: the level (at most what was asked), the recipients on the asking side
    as the record's TLP allows (requests for access only), the end of sharing and a note."""

    level = forms.ChoiceField(label=_("Level to grant"), choices=level_choices())
    recipient = forms.ChoiceField(label=_("Recipient"), required=False)
    recipient_users = forms.MultipleChoiceField(
        label=_("Named people"), required=False, widget=forms.CheckboxSelectMultiple
    )
    expires_at = _expiry_field()
    note = _text(_("Note for the decision"), rows=2)

    ALIASES = {"recipient_agency": "recipient", "recipient_team": "recipient", "status": "note"}

    def __init__(
        self,
        *args: Any,
        share_request: ShareRequest,
        teams: Sequence[Team] = (),
        people: Sequence[User] = (),
        **kwargs: Any,
    ) -> None:
        kwargs.setdefault("prefix", f"approve-{share_request.pk}")
        kwargs.setdefault(
            "initial",
            {
                "level": LEVEL_NAMES[Level(share_request.level)],
                "expires_at": share_request.expires_at,
                "recipient": _asked_choice(share_request),
                "recipient_users": [str(u.pk) for u in share_request.recipient_users.all()],
            },
        )
        super().__init__(*args, **kwargs)
        self.share_request = share_request
        fields: Any = self.fields
        record = share_request.record
        lowest = Level.CONTRIBUTE if record.tlp == Tlp.CLEAR else Level.SUMMARY
        fields["level"].choices = level_choices(lowest, int(share_request.level))
        self.teams = {str(team.pk): team for team in teams}
        self.people = {str(person.pk): person for person in people}
        choosable = share_request.kind == ShareRequest.Kind.ACCESS
        if not choosable or record.tlp == Tlp.RED:
            del fields["recipient"]
        else:
            asking = share_request.requesting_agency
            choices = [("agency", asking.acronym)]
            if record.tlp in (Tlp.GREEN, Tlp.AMBER, Tlp.CLEAR):
                choices += [(f"team-{pk}", str(team.name)) for pk, team in self.teams.items()]
            fields["recipient"].choices = choices
        if not choosable or record.tlp != Tlp.RED:
            del fields["recipient_users"]
        else:
            fields["recipient_users"].choices = [
                (pk, _person_label(person)) for pk, person in self.people.items()
            ]
        style(self)

    def action_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        kwargs: dict[str, Any] = {
            "note": data["note"],
            "level": LEVEL_BY_NAME[data["level"]],
            "expires_at": data.get("expires_at"),
        }
        if "recipient" in self.fields:
            choice = data.get("recipient") or "agency"
            if choice.startswith("team-"):
                kwargs["recipients"] = Recipients(team=self.teams[choice.removeprefix("team-")])
            else:
                kwargs["recipients"] = Recipients(agency=self.share_request.requesting_agency)
        if "recipient_users" in self.fields:
            chosen = [self.people[pk] for pk in data.get("recipient_users") or []]
            kwargs["recipients"] = Recipients(users=chosen) if chosen else None
        return kwargs


def _asked_choice(share_request: ShareRequest) -> str:
    if share_request.recipient_team_id:
        return f"team-{share_request.recipient_team_id}"
    return "agency"


class NoteForm(forms.Form):
    note = _text(_("Why the request is denied"), rows=2)

    def __init__(self, *args: Any, share_request: ShareRequest, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", f"deny-{share_request.pk}")
        super().__init__(*args, **kwargs)
        style(self)


class AnswerForm(forms.Form):
    answer = _text(_("Answer"), rows=4)

    def __init__(self, *args: Any, share_request: ShareRequest, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", f"answer-{share_request.pk}")
        super().__init__(*args, **kwargs)
        style(self)


class RevokeForm(forms.Form):
    reason = _text(_("Reason for revoking"), rows=2)

    def __init__(self, *args: Any, grant_id: int, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", f"revoke-{grant_id}")
        super().__init__(*args, **kwargs)
        style(self)


__all__ = [
    "AnswerForm",
    "ApproveForm",
    "NoteForm",
    "RequestForm",
    "RevokeForm",
    "apply_refusal",
    "level_choices",
]
