"""Forms of the sign-in, people, agency, trust and team pages. They parse input; the rules
live in ``agencies.actions`` and come back as per-field errors."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from agencies.models import Agency, Role, Team, TrustLevel
from portal.countries import COUNTRY_CHOICES


class Bootstrap:
    """Give each widget its Bootstrap class and tie its help and errors to it (aria)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.style()

    def style(self) -> None:
        form: Any = self
        for name, field in form.fields.items():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput):
                css = "form-check-input"
            elif isinstance(widget, forms.Select | forms.SelectMultiple):
                css = "form-select"
            else:
                css = "form-control"
            classes = widget.attrs.get("class", "").split()
            if css not in classes:
                widget.attrs["class"] = " ".join([*classes, css])
            described = []
            if field.help_text:
                described.append(f"id_{name}_help")
            # never trigger validation from here (querysets may not be set yet)
            if form._errors is not None and name in form._errors:
                widget.attrs["aria-invalid"] = "true"
                described.append(f"id_{name}_errors")
            if described:
                widget.attrs["aria-describedby"] = " ".join(described)

    def full_clean(self) -> None:
        super().full_clean()  # type: ignore[misc]
        self.style()


def apply_errors(form: forms.BaseForm, error: ValidationError) -> None:
    """Put an action's ``ValidationError`` on the form's fields (unknown fields: form-wide)."""
    if hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages)
    else:
        form.add_error(None, error.messages)


class SignInForm(Bootstrap, forms.Form):
    username = forms.CharField(label=_("Username"), max_length=150)
    password = forms.CharField(label=_("Password"), strip=False, widget=forms.PasswordInput)


class SecondFactorForm(Bootstrap, forms.Form):
    code = forms.CharField(
        label=_("Code"),
        max_length=32,
        help_text=_("The 6-digit code of your authenticator app, or one of your recovery codes."),
        # the only field of the page: a keyboard user types the code straight away
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "text", "autofocus": True}
        ),
    )


class EnrolmentForm(Bootstrap, forms.Form):
    code = forms.CharField(
        label=_("Code shown by your authenticator app"),
        max_length=8,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


class AgencyForm(Bootstrap, forms.ModelForm):
    class Meta:
        model = Agency
        fields = [
            "name",
            "acronym",
            "kind",
            "country",
            "parent",
            "active",
            "liaison_email",
            "liaison_phone",
        ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = Agency.objects.order_by("acronym")  # type: ignore[attr-defined]

    def _post_clean(self) -> None:
        # Model validation (uniqueness, operator rules) runs in the action, once.
        pass


class UserCreateForm(Bootstrap, forms.Form):
    username = forms.CharField(label=_("Username"), max_length=150)
    first_name = forms.CharField(label=_("First name"), max_length=150, required=False)
    last_name = forms.CharField(label=_("Last name"), max_length=150, required=False)
    email = forms.EmailField(label=_("E-mail"))
    agency = forms.ModelChoiceField(label=_("Agency"), queryset=Agency.objects.none())
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    language = forms.ChoiceField(
        label=_("Language"),
        choices=settings.LANGUAGES,
        initial=settings.LANGUAGE_CODE,
        required=False,  # left out: the default, or unchanged
        help_text=_("Of the pages and the e-mails; the person can change it at any time."),
    )
    password = forms.CharField(
        label=_("Initial password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("At least 12 characters. The person enrols a second factor at first sign-in."),
    )

    def __init__(self, *args: Any, agencies: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies  # type: ignore[attr-defined]


class UserEditForm(Bootstrap, forms.Form):
    first_name = forms.CharField(label=_("First name"), max_length=150, required=False)
    last_name = forms.CharField(label=_("Last name"), max_length=150, required=False)
    email = forms.EmailField(label=_("E-mail"))
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    is_active = forms.BooleanField(label=_("Active (may sign in)"), required=False)
    language = forms.ChoiceField(
        label=_("Language"),
        choices=settings.LANGUAGES,
        initial=settings.LANGUAGE_CODE,
        required=False,  # left out: the default, or unchanged
        help_text=_("Of the pages and the e-mails; the person can change it at any time."),
    )
    password = forms.CharField(
        label=_("New password"),
        strip=False,
        required=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("Leave empty to keep the current password. The person is told."),
    )


class TrustForm(Bootstrap, forms.Form):
    level = forms.TypedChoiceField(
        label=_("Trust level"), choices=TrustLevel.Level.choices, coerce=int
    )
    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Kept in the history and shown to both agencies' admins."),
    )


class MatrixFilterForm(Bootstrap, forms.Form):
    country = forms.ChoiceField(
        label=_("Country"), required=False, choices=[("", _("All countries")), *COUNTRY_CHOICES]
    )
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("All kinds")), *Agency.Kind.choices]
    )


class TeamForm(Bootstrap, forms.ModelForm):
    agencies = forms.ModelMultipleChoiceField(
        label=_("Member agencies"),
        queryset=Agency.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    users = forms.ModelMultipleChoiceField(
        label=_("Member people"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )

    class Meta:
        model = Team
        fields = ["name", "purpose", "active_from", "active_until", "managing_agency"]
        widgets = {
            "active_from": forms.DateInput(attrs={"type": "date"}),
            "active_until": forms.DateInput(attrs={"type": "date"}),
            "purpose": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, people: Any, platform_admin: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        active = Agency.objects.filter(active=True).order_by("acronym")
        self.fields["agencies"].queryset = active  # type: ignore[attr-defined]
        self.fields["users"].queryset = people  # type: ignore[attr-defined]
        self.fields["users"].label_from_instance = lambda u: (  # type: ignore[attr-defined]
            f"{u.get_full_name() or u.username} ({u.membership.agency.acronym})"
        )
        if platform_admin:
            every = Agency.objects.order_by("acronym")
            self.fields["managing_agency"].queryset = every  # type: ignore[attr-defined]
        else:
            del self.fields["managing_agency"]
        if self.instance.pk:
            self.initial.setdefault("agencies", list(self.instance.agencies.all()))
            self.initial.setdefault("users", list(self.instance.users.all()))

    def _post_clean(self) -> None:
        pass
