"""FilterSets shared by the API (and, later, HTML lists)."""

import django_filters

from catalog.choices import DeviceKind, VoltageClass
from catalog.models import Device
from catalog.selectors import devices_matching

__all__ = ["DeviceFilterSet"]


class DeviceFilterSet(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=DeviceKind.choices)
    manufacturer = django_filters.CharFilter(field_name="manufacturer__slug", help_text="A manufacturer's slug.")
    voltage_class = django_filters.ChoiceFilter(choices=VoltageClass.choices)
    search = django_filters.CharFilter(
        method="filter_search",
        help_text="Words found in the maker, model, family, variants or slug; case, spaces and dashes ignored.",
    )

    class Meta:
        model = Device
        fields = ["kind", "manufacturer", "voltage_class", "search"]

    def filter_search(self, queryset, name, value):
        return devices_matching(queryset, value)
