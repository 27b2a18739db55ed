"""Forms of the record pages. They check what they can (the models' own ``clean``); the
actions check everything again and their errors are shown on the same fields."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.forms import BaseModelFormSet, modelformset_factory
from django.utils.translation import gettext_lazy as _

from cases import validators
from cases.models import (
    Attachment,
    Case,
    Container,
    CrimeType,
    Flight,
    Organisation,
    Person,
    SeizureItem,
    SeizureReport,
    Vehicle,
    Vessel,
)
from cases.vocabularies import UNIT_CHOICES, Group, substances_of

# Field names whose typed values are checked as they are typed (htmx, see views.check_field).
CHECKED = {
    "number": "container",
    "imo": "imo",
    "mmsi": "mmsi",
    "designator": "flight",
    "locode": "locode",
    "departure_airport": "locode",
    "arrival_airport": "locode",
    "phone": "phone",
    "passport_number": "passport",
    "mrz": "mrz",
    "plate": "plate",
    "currency": "currency",
    "seized_on": "date",
    "flight_date": "date",
    "date_of_birth": "dob",
    "transit_countries": "countries",
}


def style(form: forms.BaseForm) -> None:
    """Bootstrap classes, and inline checking where the field has a checker."""
    for name, field in form.fields.items():
        widget = field.widget
        if isinstance(widget, forms.CheckboxInput):
            widget.attrs.setdefault("class", "form-check-input")
        elif isinstance(widget, forms.CheckboxSelectMultiple):
            continue
        elif isinstance(widget, forms.Select):
            widget.attrs.setdefault("class", "form-select")
        else:
            widget.attrs.setdefault("class", "form-control")
        kind = CHECKED.get(name)
        if kind:
            widget.attrs["data-check"] = kind


class CaseForm(forms.ModelForm):
    crime_types = forms.MultipleChoiceField(
        label=_("Crime types"),
        choices=CrimeType.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Case
        fields = [
            "title",
            "summary",
            "status",
            "crime_types",
            "tlp",
            "handling_code",
            "handling_note",
            "source_reliability",
            "information_credibility",
            "do_not_reveal",
        ]
        widgets = {"summary": forms.Textarea(attrs={"rows": 4})}
        help_texts = {
            "summary": _(
                "Shown at summary level too: keep names of people out of it (add them as "
                "persons on a seizure report)."
            ),
            "handling_note": _("Required with H3: the restriction, in plain words."),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version
        style(self)

    def data_for_action(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class CountriesField(forms.CharField):
    """Several ISO 3166 codes typed as ``PA JM`` (stored as a list)."""

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, list | tuple):
            return " ".join(value)
        return value

    def to_python(self, value: Any) -> list[str]:  # type: ignore[override]
        text = super().to_python(value)
        return validators.validate_countries(text) if text else []


class SeizureForm(forms.ModelForm):
    case = forms.TypedChoiceField(
        label=_("Case"), required=False, coerce=int, empty_value=None, choices=[]
    )
    transit_countries = CountriesField(
        label=_("Transit countries"),
        required=False,
        help_text=_("ISO 3166 codes in route order, e.g. PA JM"),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = SeizureReport
        fields = [
            "seized_on",
            "seized_at_time",
            "country",
            "place",
            "locode",
            "latitude",
            "longitude",
            "transport_mode",
            "origin_country",
            "departure_country",
            "transit_countries",
            "destination_country",
            "concealment",
            "summary",
            "tlp",
            "handling_code",
            "handling_note",
            "source_reliability",
            "information_credibility",
            "do_not_reveal",
        ]
        widgets = {
            "seized_on": forms.DateInput(attrs={"type": "date"}),
            "seized_at_time": forms.TimeInput(attrs={"type": "time"}),
            "summary": forms.Textarea(attrs={"rows": 3}),
            "latitude": forms.NumberInput(attrs={"step": "any", "placeholder": "17.9712"}),
            "longitude": forms.NumberInput(attrs={"step": "any", "placeholder": "-76.7936"}),
        }

    field_order = ["case"]

    def __init__(self, *args: Any, own_cases: list[Case] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.own_cases = {case.pk: case for case in own_cases or []}
        choices: list[tuple[Any, Any]] = [("", _("— not in a case —"))]
        choices += [(pk, f"{case.reference} · {case.title}") for pk, case in self.own_cases.items()]
        case_field = self.fields["case"]
        assert isinstance(case_field, forms.TypedChoiceField)  # nosec B101 - declared above
        case_field.choices = choices
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version
            self.initial["case"] = self.instance.case_id
        style(self)

    def _post_clean(self) -> None:
        # The model's checks (TLP no stricter than the case) run against the chosen case;
        # the action resolves it again through the access door.
        self.instance.case = self.own_cases.get(self.cleaned_data.get("case") or 0)
        super()._post_clean()  # type: ignore[misc]

    def data_for_action(self) -> dict[str, Any]:
        data = {name: self.cleaned_data.get(name) for name in self.Meta.fields}
        data["case"] = self.cleaned_data.get("case")
        return data


# --- rows inside a seizure report ------------------------------------------------------------


def _substance_choices() -> list[tuple[Any, Any]]:
    return [
        ("", "—"),
        (_("Drugs"), [(s.code, s.label) for s in substances_of(Group.DRUG)]),
        (_("Precursor chemicals"), [(s.code, s.label) for s in substances_of(Group.PRECURSOR)]),
    ]


class RowForm(forms.ModelForm):
    """A row of a seizure report; its ``id`` (hidden) says which stored row it is."""

    # What the row's fieldset is called ("Item 2"): a screen reader announces it on entering
    # the row, and each field's name ends with it ("Kind, Item 2").
    row_legend: Any = _("Row %(number)s")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style(self)
        if "DELETE" in self.fields:
            self.fields["DELETE"].label = _("Remove")

    @property
    def row_number(self) -> int:
        """The row's place in its list, from 1 (the formset's prefix counts from 0)."""
        index = str(self.prefix or "").rpartition("-")[2]
        return int(index) + 1 if index.isdigit() else 0

    @property
    def legend(self) -> str:
        return str(self.row_legend) % {"number": self.row_number}

    def row_data(self, fields: tuple[str, ...]) -> dict[str, Any]:
        data = {name: self.cleaned_data.get(name) for name in fields if name in self.cleaned_data}
        if self.instance.pk:
            data["id"] = self.instance.pk
        return data


class ItemForm(RowForm):
    row_legend = _("Item %(number)s")

    substance = forms.ChoiceField(label=_("Substance"), required=False, choices=[])
    unit = forms.ChoiceField(label=_("Unit"), required=False, choices=[])

    class Meta:
        model = SeizureItem
        fields = ["kind", *SeizureItem.KIND_FIELDS, "description"]
        widgets = {
            "quantity": forms.NumberInput(attrs={"step": "any", "min": "0"}),
            "purity": forms.NumberInput(attrs={"step": "any", "min": "0", "max": "100"}),
            "amount": forms.NumberInput(attrs={"step": "any", "min": "0"}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["substance"].choices = _substance_choices()  # type: ignore[attr-defined]
        self.fields["unit"].choices = [("", "—"), *UNIT_CHOICES]  # type: ignore[attr-defined]
        self.fields["currency"].widget.attrs.update({"list": "currencies", "maxlength": "3"})
        self.fields["kind"].widget.attrs["class"] = "form-select item-kind"


class PersonForm(RowForm):
    row_legend = _("Person %(number)s")

    class Meta:
        model = Person
        fields = [
            "role",
            "full_name",
            "date_of_birth",
            "nationality",
            "passport_number",
            "passport_country",
            "mrz",
            "phone",
        ]
        widgets = {
            "full_name": forms.TextInput(attrs={"autocomplete": "off"}),
            "date_of_birth": forms.TextInput(attrs={"placeholder": "1974-08-12"}),
            "passport_number": forms.TextInput(attrs={"autocomplete": "off"}),
            "phone": forms.TextInput(attrs={"type": "tel", "placeholder": "+1 876 555 0100"}),
            "mrz": forms.Textarea(attrs={"rows": 2, "class": "form-control font-monospace"}),
        }


class OrganisationForm(RowForm):
    row_legend = _("Organisation %(number)s")

    class Meta:
        model = Organisation
        fields = ["role", "name", "registration_number", "country"]


class VesselForm(RowForm):
    row_legend = _("Vessel %(number)s")

    class Meta:
        model = Vessel
        fields = ["name", "imo", "mmsi", "flag", "vessel_type"]


class ContainerForm(RowForm):
    row_legend = _("Container %(number)s")

    class Meta:
        model = Container
        fields = ["number", "seal_number", "bill_of_lading"]
        widgets = {"number": forms.TextInput(attrs={"placeholder": "CSQU3054383"})}


class FlightForm(RowForm):
    row_legend = _("Flight %(number)s")

    class Meta:
        model = Flight
        fields = ["designator", "flight_date", "departure_airport", "arrival_airport"]
        widgets = {
            "designator": forms.TextInput(attrs={"placeholder": "CM 431"}),
            "flight_date": forms.DateInput(attrs={"type": "date"}),
        }


class VehicleForm(RowForm):
    row_legend = _("Vehicle %(number)s")

    class Meta:
        model = Vehicle
        fields = ["plate", "country", "description"]


ROW_FORMS: dict[str, tuple[type[RowForm], str]] = {
    "items": (ItemForm, _("Items seized")),  # type: ignore[dict-item]
    "persons": (PersonForm, _("Persons")),  # type: ignore[dict-item]
    "organisations": (OrganisationForm, _("Organisations")),  # type: ignore[dict-item]
    "vessels": (VesselForm, _("Vessels")),  # type: ignore[dict-item]
    "containers": (ContainerForm, _("Containers")),  # type: ignore[dict-item]
    "flights": (FlightForm, _("Flights")),  # type: ignore[dict-item]
    "vehicles": (VehicleForm, _("Vehicles")),  # type: ignore[dict-item]
}


class RowFormSet(BaseModelFormSet):
    def rows_for_action(self, fields: tuple[str, ...]) -> tuple[list[dict[str, Any]], list[Any]]:
        """The rows to keep, in order, and the form each came from (for error mapping)."""
        rows: list[dict[str, Any]] = []
        forms_used: list[Any] = []
        for form in self.forms:
            if not hasattr(form, "cleaned_data") or not form.cleaned_data:
                continue
            if self.can_delete and form.cleaned_data.get("DELETE"):
                continue
            if not form.instance.pk and not form.has_changed():
                continue
            rows.append(form.row_data(fields))  # type: ignore[attr-defined]
            forms_used.append(form)
        return rows, forms_used


def formset_class(kind: str) -> type[RowFormSet]:
    form, _label = ROW_FORMS[kind]
    made: Any = modelformset_factory(
        form.Meta.model,  # type: ignore[attr-defined]
        form=form,
        formset=RowFormSet,
        extra=0,
        can_delete=True,
    )
    return made


def formsets_for(
    seizure: SeizureReport | None, data: Mapping[str, Any] | None = None
) -> dict[str, RowFormSet]:
    """One formset per kind of row; a new report starts with one empty item row."""
    made: dict[str, RowFormSet] = {}
    for kind, (form, _label) in ROW_FORMS.items():
        model = form.Meta.model  # type: ignore[attr-defined]
        queryset = (
            model._default_manager.filter(seizure=seizure)
            if seizure is not None and seizure.pk
            else model._default_manager.none()
        )
        cls = formset_class(kind)
        if data is None and kind == "items" and (seizure is None or not seizure.pk):
            cls.extra = 1
        made[kind] = cls(data, queryset=queryset, prefix=kind)
    return made


def apply_errors(form: forms.BaseForm, errors: Mapping[str, Any]) -> None:
    """Put an action's per-field errors on a form (unknown fields become form errors)."""
    for field, messages in errors.items():
        target = field if field in form.fields else None
        for message in messages if isinstance(messages, list) else [messages]:
            try:
                form.add_error(target, message)
            except (ValueError, ValidationError):
                form.add_error(None, message)


class MessageForm(forms.Form):
    body = forms.CharField(
        label=_("Message"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"}),
    )


class AttachmentForm(forms.Form):
    file = forms.FileField(
        label=_("File"), widget=forms.ClearableFileInput(attrs={"class": "form-control"})
    )
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=Attachment.AttachmentKind.choices,
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    description = forms.CharField(
        label=_("Description"),
        required=False,
        max_length=500,
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )
