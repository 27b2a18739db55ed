from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import django_filters
from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from audit.models import AuditEntry


class AuditEntryFilter(django_filters.FilterSet):
    actor = django_filters.CharFilter(
        field_name="actor_username", lookup_expr="iexact", label=_("Who (user name)")
    )
    action = django_filters.CharFilter(
        method="filter_action",
        label=_("Action"),
        help_text=_("Exact, e.g. case.viewed, or a prefix ending in a dot, e.g. auth."),
    )
    object_type = django_filters.CharFilter(label=_("Object type"), help_text="cases.case")
    object_id = django_filters.CharFilter(label=_("Object id"))
    outcome = django_filters.ChoiceFilter(choices=AuditEntry.Outcome.choices, label=_("Outcome"))
    since = django_filters.DateFilter(method="filter_since", label=_("From (UTC date)"))
    until = django_filters.DateFilter(method="filter_until", label=_("Until (UTC date)"))
    agency = django_filters.NumberFilter(field_name="agency_id", label=_("Actor's agency (id)"))
    object_agency = django_filters.NumberFilter(
        field_name="object_agency_id", label=_("Record owner (agency id)")
    )
    request_id = django_filters.CharFilter(label=_("Request id"))

    class Meta:
        model = AuditEntry
        fields: list[str] = []

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, field in self.form.fields.items():
            if isinstance(field.widget, forms.Select):
                field.widget.attrs.setdefault("class", "form-select form-select-sm")
            else:
                field.widget.attrs.setdefault("class", "form-control form-control-sm")
            if name in {"since", "until"}:
                field.widget.input_type = "date"

    def filter_action(
        self, queryset: QuerySet[AuditEntry], name: str, value: str
    ) -> QuerySet[AuditEntry]:
        if value.endswith("."):
            return queryset.filter(action__startswith=value)
        return queryset.filter(action=value)

    def filter_since(
        self, queryset: QuerySet[AuditEntry], name: str, value: date
    ) -> QuerySet[AuditEntry]:
        start = datetime.combine(value, time.min, tzinfo=UTC)
        return queryset.filter(at__gte=start)

    def filter_until(
        self, queryset: QuerySet[AuditEntry], name: str, value: date
    ) -> QuerySet[AuditEntry]:
        end = datetime.combine(value, time.min, tzinfo=UTC) + timedelta(days=1)
        return queryset.filter(at__lt=end)
