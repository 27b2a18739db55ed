"""Forms of the import pages: the file, then a field for each of its columns."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from cases.forms import style
from imports.columns import field_choices


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("Table of seizure reports"),
        help_text=_(
            "CSV (UTF-8, comma or semicolon) or Excel (.xlsx); the first row names the columns."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style(self)


class MappingForm(forms.Form):
    """``column_<n>``: the field column n fills, or nothing."""

    def __init__(
        self, headers: Sequence[str], mapping: Sequence[str], *args: Any, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        choices: list[Any] = [("", _("— not imported —")), *field_choices()]
        for index, header in enumerate(headers):
            self.fields[f"column_{index}"] = forms.ChoiceField(
                label=header or _("Column %(n)s") % {"n": index + 1},
                choices=choices,
                required=False,
                initial=mapping[index] if index < len(mapping) else "",
            )
        style(self)

    def mapping(self) -> list[str]:
        return [self.cleaned_data.get(f"column_{i}") or "" for i in range(len(self.fields))]

    def apply(self, errors: Mapping[str, Any]) -> None:
        for name, messages in errors.items():
            field = name if name in self.fields else None
            for message in messages if isinstance(messages, list | tuple) else [messages]:
                self.add_error(field, str(message))
