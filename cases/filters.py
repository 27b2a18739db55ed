"""Filters of the case and seizure lists (pages and API). They run inside every branch of the
access door (``filter_fn``), so multi-valued relations are ``Exists`` subqueries."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import django_filters
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from cases.markings import Tlp
from cases.models import Case, CrimeType, SeizureItem, SeizureReport, TransportMode
from cases.vocabularies import SUBSTANCE_CHOICES
from portal.countries import COUNTRY_CHOICES

Choices = list[tuple[str, Any]]


def _built_once(choices: Choices) -> Callable[[], Choices]:
    """Choices as a callable: every request's filter set and form copy their filters and
    fields, and a list of 250 countries (or the substances) copied twice per request cost more
    than the rest of the form; a callable is shared, and read only when a value is checked."""

    def read() -> Choices:
        return choices

    return read


COUNTRIES = _built_once(list(COUNTRY_CHOICES))
SUBSTANCES = _built_once(list(SUBSTANCE_CHOICES))


class _SeizureConditions(django_filters.FilterSet):
    """Country, date range, transport mode and substance, shared by both lists."""

    country = django_filters.ChoiceFilter(
        label=_("Country of seizure"), choices=COUNTRIES, method="_noop"
    )
    seized_from = django_filters.DateFilter(label=_("Seized from"), method="_noop")
    seized_to = django_filters.DateFilter(label=_("Seized until"), method="_noop")
    transport_mode = django_filters.ChoiceFilter(
        label=_("Transport mode"), choices=_built_once(TransportMode.choices), method="_noop"
    )
    substance = django_filters.ChoiceFilter(
        label=_("Substance"), choices=SUBSTANCES, method="_noop"
    )

    def _noop(self, queryset: QuerySet[Any], name: str, value: Any) -> QuerySet[Any]:
        return queryset  # applied together in seizure_conditions()

    def seizure_conditions(self, prefix: str = "") -> Q:
        data = self.form.cleaned_data
        where = Q()
        if data.get("country"):
            where &= Q(**{f"{prefix}country": data["country"]})
        if data.get("seized_from"):
            where &= Q(**{f"{prefix}seized_on__gte": data["seized_from"]})
        if data.get("seized_to"):
            where &= Q(**{f"{prefix}seized_on__lte": data["seized_to"]})
        if data.get("transport_mode"):
            where &= Q(**{f"{prefix}transport_mode": data["transport_mode"]})
        return where

    def substance_exists(self, seizure_ref: str) -> Exists | None:
        substance = self.form.cleaned_data.get("substance")
        if not substance:
            return None
        return Exists(
            SeizureItem.objects.filter(seizure_id=OuterRef(seizure_ref), substance=substance)
        )


class CaseFilter(_SeizureConditions):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=_built_once(Case.Status.choices)
    )
    crime_type = django_filters.ChoiceFilter(
        label=_("Crime type"), choices=_built_once(CrimeType.choices), method="crime_type_filter"
    )
    tlp = django_filters.ChoiceFilter(label=_("TLP"), choices=_built_once(Tlp.choices))

    class Meta:
        model = Case
        fields = ["q", "status", "crime_type", "tlp"]

    def search(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(title__icontains=value) | Q(reference__icontains=value))

    def crime_type_filter(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        return queryset.filter(crime_types__contains=[value])

    def filter_queryset(self, queryset: QuerySet[Any]) -> QuerySet[Any]:
        queryset = super().filter_queryset(queryset)
        where = self.seizure_conditions()
        substance = self.substance_exists("pk")
        if where or substance is not None:
            # A case matches when one of its seizure reports matches all the conditions.
            seizures = SeizureReport.objects.filter(where, case_id=OuterRef("pk"))
            if substance is not None:
                seizures = seizures.filter(substance)
            queryset = queryset.filter(Exists(seizures))
        return queryset


class SeizureFilter(_SeizureConditions):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    status = django_filters.ChoiceFilter(
        label=_("Case status"), choices=_built_once(Case.Status.choices), field_name="case__status"
    )
    case = django_filters.NumberFilter(label=_("Case"), method="in_case")
    route_country = django_filters.ChoiceFilter(
        label=_("On the route"), choices=COUNTRIES, method="route"
    )
    item_kind = django_filters.ChoiceFilter(
        label=_("Item kind"), choices=_built_once(SeizureItem.Kind.choices), method="with_item_kind"
    )
    tlp = django_filters.ChoiceFilter(label=_("TLP"), choices=_built_once(Tlp.choices))

    class Meta:
        model = SeizureReport
        fields = ["q", "status", "case", "tlp"]

    def search(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(reference__icontains=value)
            | Q(place__icontains=value)
            | Q(locode__iexact=value.replace(" ", ""))
        )

    def in_case(self, queryset: QuerySet[Any], name: str, value: Any) -> QuerySet[Any]:
        # Only a case the reader may see: the filter must not tell which hidden case a
        # report shared on its own belongs to.
        if not hasattr(self, "_case_visible"):
            from sharing.access import access_level

            user = getattr(self.request, "user", None)
            self._case_visible = access_level(user, Case(pk=int(value))) > 0
        # (an always-false condition, not .none(): each branch of the door is compiled to SQL)
        return queryset.filter(case_id=value if self._case_visible else None, case__isnull=False)

    def route(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        return queryset.filter(
            Q(origin_country=value)
            | Q(departure_country=value)
            | Q(destination_country=value)
            | Q(transit_countries__contains=[value])
        )

    def with_item_kind(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        return queryset.filter(
            Exists(SeizureItem.objects.filter(seizure_id=OuterRef("pk"), kind=value))
        )

    def filter_queryset(self, queryset: QuerySet[Any]) -> QuerySet[Any]:
        queryset = super().filter_queryset(queryset)
        where = self.seizure_conditions()
        if where:
            queryset = queryset.filter(where)
        substance = self.substance_exists("pk")
        if substance is not None:
            queryset = queryset.filter(substance)
        return queryset
