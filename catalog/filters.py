"""FilterSets shared by the API (and, later, HTML lists)."""

import django_filters
from django import forms

from catalog.choices import DeviceKind, VoltageClass
from catalog.models import Device
from catalog.selectors import devices_matching, protocols_named, search_problem

__all__ = ["DeviceFilterSet"]


class _NoBlankValues(forms.Form):
    """A choice given with no value is an error, not a silent "any" (the schema lists the values it takes)."""

    def clean(self):
        cleaned = super().clean()
        for name, field in self.fields.items():
            if isinstance(field, forms.ChoiceField) and name in self.data and str(self.data[name]).strip() == "":
                self.add_error(name, "Give a value, or leave the parameter out.")
        return cleaned


class _DeviceFilterForm(_NoBlankValues):
    def clean_search(self):
        value = self.cleaned_data.get("search") or ""
        if problem := search_problem(value):
            raise forms.ValidationError(problem, code="search")
        return value


class DeviceFilterSet(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=DeviceKind.choices)
    manufacturer = django_filters.CharFilter(field_name="manufacturer__slug", help_text="A manufacturer's slug.")
    voltage_class = django_filters.ChoiceFilter(choices=VoltageClass.choices)
    search = django_filters.CharFilter(
        method="filter_search",
        help_text=(
            "Words found in the maker, model, family, variants, aliases or slug; case, spaces and dashes ignored. "
            "At most 100 characters and 8 words."
        ),
    )

    protocol = django_filters.CharFilter(
        method="filter_protocol",
        help_text="Devices that speak (or accept) a protocol, given by slug, name or alias ('SOLISCAN', 'Pylon').",
    )

    class Meta:
        model = Device
        fields = ["kind", "manufacturer", "voltage_class", "search", "protocol"]
        form = _DeviceFilterForm

    def filter_search(self, queryset, name, value):
        return devices_matching(queryset, value)

    def filter_protocol(self, queryset, name, value):
        return queryset.filter(device_protocols__protocol__in=protocols_named(value)).distinct()
