from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from notifications import kinds
from notifications.kinds import EmailMode


class PreferencesForm(forms.Form):
    """One choice per kind; security kinds are shown as always e-mailed, not as a field."""

    def __init__(self, *args: Any, initial_modes: dict[str, str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, kind in kinds.KINDS.items():
            if kind.security:
                continue
            self.fields[name] = forms.ChoiceField(
                label=str(kind.label),
                choices=EmailMode.choices,
                initial=initial_modes.get(name, kind.default_email),
                widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
            )


def _webhook_kind_choices() -> list[tuple[str, Any]]:
    return [(k.name, k.label) for k in kinds.KINDS.values() if not k.security]


class WebhookForm(forms.Form):
    url = forms.URLField(
        label=_("URL"),
        max_length=500,
        assume_scheme="https",
        help_text=_("The partner system's address that will receive a signed POST."),
        widget=forms.URLInput(attrs={"class": "form-control"}),
    )
    description = forms.CharField(
        label=_("Description"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )
    kinds = forms.MultipleChoiceField(
        label=_("Kinds"),
        required=False,
        choices=_webhook_kind_choices,
        help_text=_("None ticked: every kind."),
        widget=forms.CheckboxSelectMultiple,
    )
