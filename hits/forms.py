"""Forms of the hits pages."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from hits.models import Hit


class StatusForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        choices=Hit.Status.choices,
        widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
    )


class AccessRequestForm(forms.Form):
    """Ask the other agency for the matched record: one click, with what is prefilled."""

    level = forms.ChoiceField(
        label=_("Access you ask for"),
        choices=[
            ("summary", _("Summary (no personal data)")),
            ("full", _("Full")),
            ("contribute", _("Contribute (full, and add messages and evidence)")),
        ],
        initial="full",
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    justification = forms.CharField(
        label=_("Why your agency needs this record"),
        max_length=2000,
        widget=forms.Textarea(attrs={"class": "form-control", "rows": 2}),
    )
