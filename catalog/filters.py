"""FilterSets shared by the API (and, later, HTML lists)."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext

from catalog.choices import Bus, DeviceKind, DocumentedBy, VoltageClass
from catalog.models import CatalogChange, Device, Document, DocumentedPairing, Manufacturer, Protocol, Source
from catalog.selectors import devices_matching, protocols_named, search_problem

__all__ = [
    "ChangeFilterSet",
    "DeviceFilterSet",
    "DocumentFilterSet",
    "ManufacturerFilterSet",
    "PairingFilterSet",
    "ProtocolFilterSet",
    "SourceFilterSet",
]


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


class _TrueOrFalse(forms.Field):
    def to_python(self, value):
        if value in (None, ""):
            return None
        if value not in ("true", "false"):
            raise forms.ValidationError(gettext("true or false."))
        return value == "true"


class StrictBooleanFilter(django_filters.BooleanFilter):
    """true or false, nothing else (django-filter's own reads "null" or "maybe" as no filter)."""

    field_class = _TrueOrFalse


class WholeNumberFilter(django_filters.NumberFilter):
    field_class = forms.IntegerField


class ManufacturerFilterSet(django_filters.FilterSet):
    named = StrictBooleanFilter(help_text="false: placeholder makers the sources do not name.")
    search = django_filters.CharFilter(
        method="filter_search", max_length=100, help_text="Part of the name, slug or a product line."
    )

    class Meta:
        model = Manufacturer
        fields = ["named", "search"]
        form = _NoBlankValues

    def filter_search(self, queryset, name, value):
        return queryset.filter(
            Q(name__icontains=value) | Q(slug__icontains=value) | Q(product_lines__icontains=[value])
        )


class DocumentFilterSet(django_filters.FilterSet):
    search = django_filters.CharFilter(method="filter_search", max_length=100, help_text="Part of the key or title.")

    class Meta:
        model = Document
        fields = ["search"]
        form = _NoBlankValues

    def filter_search(self, queryset, name, value):
        return queryset.filter(Q(key__icontains=value) | Q(title__icontains=value))


class SourceFilterSet(django_filters.FilterSet):
    document = django_filters.CharFilter(field_name="document__key", help_text="A document's key.")

    class Meta:
        model = Source
        fields = ["document"]
        form = _NoBlankValues


class ProtocolFilterSet(django_filters.FilterSet):
    bus = django_filters.ChoiceFilter(choices=Bus.choices)
    published = StrictBooleanFilter(field_name="is_published", help_text="false: the drafts you may see.")
    name = django_filters.CharFilter(
        method="filter_name", max_length=120, help_text="A slug, name or alias ('SOLISCAN', 'Pylon')."
    )

    class Meta:
        model = Protocol
        fields = ["bus", "published", "name"]
        form = _NoBlankValues

    def filter_name(self, queryset, name, value):
        return queryset.filter(pk__in=protocols_named(value))


class PairingFilterSet(django_filters.FilterSet):
    battery = django_filters.CharFilter(field_name="battery__slug", help_text="The battery's slug.")
    inverter = django_filters.CharFilter(field_name="inverter__slug", help_text="The inverter's slug.")
    device = django_filters.CharFilter(method="filter_device", help_text="Either side's (or the adapter's) slug.")
    manufacturer = django_filters.CharFilter(method="filter_manufacturer", help_text="Either side's maker's slug.")
    bus = django_filters.ChoiceFilter(choices=Bus.choices)
    documented_by = django_filters.ChoiceFilter(choices=DocumentedBy.choices)

    class Meta:
        model = DocumentedPairing
        fields = ["battery", "inverter", "device", "manufacturer", "bus", "documented_by"]
        form = _NoBlankValues

    def filter_device(self, queryset, name, value):
        return queryset.filter(Q(battery__slug=value) | Q(inverter__slug=value) | Q(adapter__slug=value))

    def filter_manufacturer(self, queryset, name, value):
        return queryset.filter(Q(battery__manufacturer__slug=value) | Q(inverter__manufacturer__slug=value))


class ChangeFilterSet(django_filters.FilterSet):
    since = WholeNumberFilter(
        field_name="version",
        lookup_expr="gt",
        min_value=0,
        help_text="A catalog version: the changes committed after it (0 or left out: every change).",
    )
    entity = django_filters.ChoiceFilter(choices=CatalogChange.Entity.choices)

    class Meta:
        model = CatalogChange
        fields = ["since", "entity"]
        form = _NoBlankValues
