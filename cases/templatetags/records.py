"""Template helpers of the record pages: fields with inline checks, markings, counts."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import template
from django.forms import BoundField
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.html import format_html
from django.utils.safestring import SafeString

from cases.vocabularies import SUBSTANCES, UNITS, Dimension
from portal.countries import country_name

register = template.Library()


@register.simple_tag
def widget(field: BoundField) -> SafeString:
    """The field's input with its accessible description, error state and htmx checks."""
    attrs: dict[str, Any] = {}
    widget_attrs = field.field.widget.attrs
    described: list[str] = []
    if field.help_text:
        described.append(f"{field.auto_id}-help")
    kind = widget_attrs.get("data-check")
    if kind:
        attrs.update(
            {
                "hx-get": reverse("cases:check", args=[kind]),
                "hx-trigger": "change",
                "hx-target": f"#{field.auto_id}-check",
                "hx-swap": "innerHTML",
                "hx-sync": "this:replace",
            }
        )
        if field.name == "locode":
            attrs["hx-include"] = "[name='country']"
        described.append(f"{field.auto_id}-check")
    if field.name == "substance":
        attrs.update(
            {
                "hx-get": reverse("cases:units"),
                "hx-trigger": "change",
                "hx-target": f"#{field.auto_id[: -len('substance')]}unit",
                "hx-swap": "innerHTML",
            }
        )
    if field.errors:
        attrs["aria-invalid"] = "true"
        attrs["class"] = (widget_attrs.get("class", "") + " is-invalid").strip()
        described.append(f"{field.auto_id}-errors")
    if described:
        attrs["aria-describedby"] = " ".join(described)
    return field.as_widget(attrs=attrs)


@register.simple_tag
def tlp(value: str) -> SafeString:
    """A TLP 2.0 label as its coloured badge."""
    return format_html('<span class="tlp tlp-{}">TLP:{}</span>', value.replace("+", ""), value)


@register.filter
def country(code: str) -> str:
    return f"{country_name(code)} ({code})" if code else "—"


@register.filter
def substance_label(code: str) -> str:
    known = SUBSTANCES.get(code)
    return str(known.label) if known else code


@register.filter
def unit_label(code: str) -> str:
    known = UNITS.get(code)
    return str(known.label) if known else code


@register.filter
def access_label(level: int) -> str:
    from django.utils.translation import gettext as _

    return {
        1: _("summary (no personal data, no attachments)"),
        2: _("full"),
        3: _("contribute"),
        4: _("owner"),
    }.get(int(level), "—")


@register.filter
def has_check(field: BoundField) -> bool:
    """Whether the field is checked while typing (it gets a live feedback line)."""
    return "data-check" in field.field.widget.attrs


@register.filter
def amount(value: Any) -> str:
    """A number as entered, without trailing zeros (412.500 → 412.5), in the reader's
    language: grouped thousands and its decimal mark (412,5 in Spanish)."""
    if value in (None, ""):
        return ""
    number = Decimal(str(value))
    if number == number.to_integral_value():
        number = number.quantize(Decimal(1))
    else:
        number = number.normalize()
    return number_format(number, force_grouping=True)


@register.filter
def quantity(value: Any, unit: str) -> str:
    """A quantity with its unit: symbols as written (kg, l), counted things in words
    (tablets, plants) in the reader's language."""
    if value in (None, ""):
        return ""
    known = UNITS.get(unit)
    label = str(known.label) if known and known.dimension == Dimension.COUNT else unit
    return f"{amount(value)} {label}".strip()
