"""Forms of the insight pages: the dashboard filters (shared by charts and exports)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cases.models import TransportMode
from portal.countries import COUNTRY_CHOICES

UNIT_CHOICES = [("kg", _("kilograms")), ("l", _("litres")), ("units", _("units"))]
PERIOD_CHOICES = [("month", _("by month")), ("year", _("by year"))]


class InsightFilterForm(forms.Form):
    """Date range, country and transport mode: applied to the seizure reports a reader sees."""

    seized_from = forms.DateField(
        label=_("Seized from"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date", "class": "form-control form-control-sm"}),
    )
    seized_to = forms.DateField(
        label=_("Seized until"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date", "class": "form-control form-control-sm"}),
    )
    country = forms.ChoiceField(
        label=_("Country of seizure"),
        required=False,
        choices=[("", _("All countries")), *COUNTRY_CHOICES],
        widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
    )
    transport_mode = forms.ChoiceField(
        label=_("Transport mode"),
        required=False,
        choices=[("", _("All modes")), *TransportMode.choices],
        widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
    )
    unit = forms.ChoiceField(
        label=_("Quantities in"),
        required=False,
        choices=UNIT_CHOICES,
        widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
    )
    period = forms.ChoiceField(
        label=_("Over time"),
        required=False,
        choices=PERIOD_CHOICES,
        widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("seized_from"), data.get("seized_to")
        if isinstance(start, date) and isinstance(end, date) and start > end:
            self.add_error("seized_to", _("The end of the range is before its start."))
        if "unit" in self.fields:
            data["unit"] = data.get("unit") or "kg"
        if "period" in self.fields:
            data["period"] = data.get("period") or "month"
        return data

    def conditions(self, prefix: str = "") -> Q:
        """The filters as a condition on seizure reports (``prefix`` for related lookups)."""
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        where = Q()
        if data.get("seized_from"):
            where &= Q(**{f"{prefix}seized_on__gte": data["seized_from"]})
        if data.get("seized_to"):
            where &= Q(**{f"{prefix}seized_on__lte": data["seized_to"]})
        if data.get("country"):
            where &= Q(**{f"{prefix}country": data["country"]})
        if data.get("transport_mode"):
            where &= Q(**{f"{prefix}transport_mode": data["transport_mode"]})
        return where

    def used(self) -> dict[str, Any]:
        """The filters given (for the audit log and links)."""
        if not (self.is_bound and self.is_valid()):
            return {}
        return {
            name: value.isoformat() if isinstance(value, date) else value
            for name, value in self.cleaned_data.items()
            if value not in (None, "")
        }

    @property
    def chosen_unit(self) -> str:
        return str(self.cleaned_data.get("unit") or "kg") if self.is_valid() else "kg"

    @property
    def chosen_period(self) -> str:
        return str(self.cleaned_data.get("period") or "month") if self.is_valid() else "month"


class ExportFilterForm(InsightFilterForm):
    """The same filters without the chart options."""

    unit = None  # type: ignore[assignment]
    period = None  # type: ignore[assignment]


def export_filter_form(params: Any) -> ExportFilterForm:
    return ExportFilterForm(params if params else {})


def filter_form(params: Any) -> InsightFilterForm:
    """A bound form (so defaults apply) from a query dict."""
    return InsightFilterForm(params if params else {})


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        max_length=200,
        required=False,
        widget=forms.TextInput(
            attrs={
                "class": "form-control",
                "type": "search",
                "autocomplete": "off",
                "placeholder": _("Words, a reference, a container, an IMO, a passport…"),
            }
        ),
    )
    kind = forms.ChoiceField(
        label=_("Look for"),
        required=False,
        choices=[],
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    make = forms.CharField(
        label=_("Firearm make"),
        max_length=60,
        required=False,
        help_text=_("A serial number is matched with its make."),
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )
    country = forms.ChoiceField(
        label=_("Country of the plate or company"),
        required=False,
        choices=[("", _("Any country")), *COUNTRY_CHOICES],
        widget=forms.Select(attrs={"class": "form-select"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from insight.search import SEARCHABLE_KINDS, Kind

        labels = dict(Kind.choices)
        kind_field: Any = self.fields["kind"]
        kind_field.choices = [
            ("", _("Everything")),
            *[(str(kind), labels[kind]) for kind in SEARCHABLE_KINDS],
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("kind") == "firearm" and data.get("q") and not data.get("make"):
            self.add_error("make", _("Give the make: a serial number is matched with it."))
        return data


class PointerRequestForm(forms.Form):
    token = forms.CharField(widget=forms.HiddenInput)
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
        widget=forms.Textarea(attrs={"class": "form-control", "rows": 3}),
    )
