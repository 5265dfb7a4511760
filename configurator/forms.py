"""The wizard's forms: search and filter (GET), options (GET: the result's URL is the state), save (POST)."""

from __future__ import annotations

import datetime
import re

from django import forms
from django.core.validators import MaxValueValidator
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from catalog.selectors import search_problem
from configurator.choices import BusPreference, ColourStandard
from configurator.domain import ConfigurationError, OptionChoices, Options
from configurator.domain.vocabulary import BUS_NAMES
from configurator.messages import error_message

__all__ = [
    "SITE_FIELDS",
    "BatteryFilterForm",
    "InverterSearchForm",
    "OptionsForm",
    "PrepareForm",
    "battery_serials",
    "site_rows",
]

SITE_FIELDS = (
    "site_name",
    "installer",
    "commissioning_date",
    "inverter_serial",
    "battery_serials",
    "inverter_firmware",
    "battery_firmware",
)


class _SearchText(forms.CharField):
    """Search words: bounded in length and words (catalog.selectors.search_problem), a form error past that."""

    def validate(self, value):
        super().validate(value)
        if problem := search_problem(value):
            raise forms.ValidationError(problem, code="search")


class InverterSearchForm(forms.Form):
    q = _SearchText(
        label=_("Search inverters"),
        required=False,
        widget=forms.TextInput(
            attrs={"type": "search", "placeholder": _("Maker, model or series, e.g. rhi 3p"), "autocomplete": "off"}
        ),
    )


class CatalogRequestForm(forms.Form):
    """ "Not in the catalog yet: ask for it": what the installer searched for, and which kind of device."""

    kind = forms.ChoiceField(choices=[("inverter", "inverter"), ("battery", "battery")], widget=forms.HiddenInput)
    text = _SearchText(max_length=100, widget=forms.HiddenInput)
    inverter = forms.SlugField(required=False, widget=forms.HiddenInput)  # the battery step's inverter


class BatteryFilterForm(forms.Form):
    inverter = forms.SlugField(widget=forms.HiddenInput)
    inverter_as = forms.CharField(widget=forms.HiddenInput, required=False, max_length=80)
    q = _SearchText(
        label=_("Search batteries"),
        required=False,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("Maker or model"), "autocomplete": "off"}),
    )
    manufacturer = forms.ChoiceField(label=_("Manufacturer"), required=False)
    voltage = forms.ChoiceField(
        label=_("Voltage"),
        required=False,
        choices=[("", _("HV and LV")), ("lv", _("LV (48 V)")), ("hv", _("HV"))],
    )

    def __init__(self, *args, manufacturers: list[str] = (), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["manufacturer"].choices = [("", _("All manufacturers"))] + [(m, m) for m in manufacturers]


class OptionsForm(forms.Form):
    """Bus (only when the pair has a choice), packs (up to the battery's limit), colours, and the site fields."""

    inverter = forms.SlugField(widget=forms.HiddenInput)
    battery = forms.SlugField(widget=forms.HiddenInput)
    # The names the devices were picked by (an alias, a size of a range): the result names them.
    inverter_as = forms.CharField(widget=forms.HiddenInput, required=False, max_length=80)
    battery_as = forms.CharField(widget=forms.HiddenInput, required=False, max_length=80)
    bus = forms.ChoiceField(label=_("Bus"), widget=forms.RadioSelect, required=False)
    packs = forms.IntegerField(label=_("Packs in parallel"), min_value=1, initial=1, required=False)
    protocol = forms.CharField(label=_("Protocol"), required=False, max_length=120)
    battery_port = forms.CharField(label=_("Battery port"), required=False, max_length=120)
    inverter_port = forms.CharField(label=_("Inverter port"), required=False, max_length=120)
    colours = forms.ChoiceField(
        label=_("Conductor colours"),
        choices=ColourStandard.choices,
        initial=ColourStandard.T568B,
        widget=forms.RadioSelect,
        required=False,
    )
    site_name = forms.CharField(label=_("Site"), required=False, max_length=120)
    installer = forms.CharField(label=_("Installer"), required=False, max_length=120)
    commissioning_date = forms.DateField(
        label=_("Commissioning date"),
        required=False,
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
    )
    inverter_serial = forms.CharField(label=_("Inverter serial number"), required=False, max_length=60)
    battery_serials = forms.CharField(
        label=_("Battery serial numbers"),
        required=False,
        max_length=600,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("One per pack, in stack order, separated by commas or new lines."),
    )
    inverter_firmware = forms.CharField(label=_("Inverter firmware version"), required=False, max_length=60)
    battery_firmware = forms.CharField(label=_("Battery (BMS) firmware version"), required=False, max_length=60)

    def __init__(self, *args, choices: OptionChoices, incompatible_reason: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.choices = choices
        self.incompatible_reason = incompatible_reason
        packs = self.fields["packs"]
        packs.widget.attrs.update({"min": 1, "max": choices.max_packs, "inputmode": "numeric"})
        packs.validators.append(
            MaxValueValidator(choices.max_packs, _("This battery takes at most %(limit_value)s packs in parallel."))
        )
        packs.help_text = (
            _("This battery takes at most %(n)s packs.") % {"n": choices.max_packs}
            if choices.pack_limit_documented
            else _("The sources give no limit for this battery; check its manual.")
        )
        # Every bus may be asked for (a link, the API); one the pair does not talk over is refused on the field
        # (configuration()), never answered on another. The radio buttons offer only the pair's own buses.
        bus = self.fields["bus"]
        bus.choices = [(BusPreference.BEST, _("Best (documented first)"))] + [
            (value, BUS_NAMES[value]) for value in BUS_NAMES
        ]
        bus.widget.choices = [(BusPreference.BEST, _("Best (documented first)"))] + [
            (value, BUS_NAMES[value]) for value in choices.buses
        ]
        bus.initial = BusPreference.BEST
        self.show_bus = len(choices.buses) > 1
        # Protocol and ports: offered where the pair leaves a choice (several shared protocols, several ports);
        # any name may be asked for (a link, the API), and one the pair does not offer is refused by the engine.
        default = [("", _("As the sources decide"))]
        protocols = {(o.slug, o.name) for _bus, options in choices.protocols for o in options}
        self.fields["protocol"].widget = forms.Select(choices=default + sorted(protocols, key=lambda o: o[1].lower()))
        self.show_protocol = any(len(options) > 1 for _bus, options in choices.protocols)
        for name, offered in (("battery_port", choices.battery_ports), ("inverter_port", choices.inverter_ports)):
            names = sorted({port for _bus, ports in offered for port in ports})
            self.fields[name].widget = forms.Select(choices=default + [(port, port) for port in names])
            setattr(self, f"show_{name}", any(len(ports) > 1 for _bus, ports in offered))

    @classmethod
    def for_pair(cls, pair, data=None, initial=None) -> OptionsForm:
        """The form for a loaded pair (configurator.services.LoadedPair): its buses, pack limit and, when no bus
        works, the reason it cannot be configured."""
        choices = pair.choices
        initial = {"packs": 1, **(initial or {}), "inverter": pair.inverter.slug, "battery": pair.battery.slug}
        return cls(data, initial=initial, choices=choices, incompatible_reason=pair.incompatible_reason(choices))

    def configuration(self, pair):
        """The pair's configuration for the valid options, or None with the problem added as a form error."""
        if not self.is_valid():
            return None
        try:
            return pair.build(self.options())
        except ConfigurationError as error:  # each names its option (bus, packs, protocol, a port) or none
            field = error.field if error.field in self.fields else None
            self.add_error(field, error_message(error))
        return None

    def clean(self):
        cleaned = super().clean()
        if self.incompatible_reason:
            raise forms.ValidationError(
                _("These two cannot be connected: %(reason)s") % {"reason": self.incompatible_reason},
                code="incompatible",
            )
        return cleaned

    def options(self) -> Options:
        data = self.cleaned_data
        return Options(
            bus=data.get("bus") or BusPreference.BEST,
            packs=data.get("packs") or 1,
            colours=data.get("colours") or ColourStandard.T568B,
            protocol=data.get("protocol") or "",
            battery_port=data.get("battery_port") or "",
            inverter_port=data.get("inverter_port") or "",
            battery_as=data.get("battery_as") or "",
            inverter_as=data.get("inverter_as") or "",
        )

    def site(self) -> dict[str, str]:
        """The site fields as text (the date in ISO form), empty ones included."""
        values = {}
        for name in SITE_FIELDS:
            value = self.cleaned_data.get(name)
            values[name] = value.isoformat() if hasattr(value, "isoformat") else (value or "").strip()
        return values


def site_rows(site: dict[str, str], *, with_empty: bool = False) -> list[tuple[str, str]]:
    """(label, value) for each site field, in form order; empty ones only when asked (the sheet's blank lines).
    The battery serials are printed per pack on the sheet, so they are left out there."""
    rows = []
    for name in SITE_FIELDS:
        if with_empty and name == "battery_serials":
            continue
        value = site.get(name, "")
        if value and name == "commissioning_date":
            value = _local_date(value)
        if value or with_empty:
            rows.append((str(OptionsForm.base_fields[name].label), value))
    return rows


def _local_date(value: str) -> str:
    """An ISO date as the reader's language writes it (03.12.2026 in German, 12/03/2026 in US English)."""
    try:
        return date_format(datetime.date.fromisoformat(value), "SHORT_DATE_FORMAT")
    except ValueError:
        return value


def battery_serials(site: dict[str, str]) -> list[str]:
    """The battery serial numbers, one per pack in stack order."""
    return [part.strip() for part in re.split(r"[,;\n]+", site.get("battery_serials", "")) if part.strip()]


PREPARE_MAX_BATTERIES = 6
PREPARE_MAX_PACK_COUNTS = 4


class PrepareForm(forms.Form):
    """ "Prepare for this site" (GET): the inverter, the candidate batteries and the likely pack counts, whose
    results and sheets (both colour standards) the installer keeps on the phone before leaving."""

    inverter = forms.SlugField(widget=forms.HiddenInput)
    battery = forms.MultipleChoiceField(label=_("Candidate batteries"), widget=forms.CheckboxSelectMultiple)
    packs = forms.CharField(
        label=_("Likely pack counts"),
        initial="1",
        max_length=40,
        help_text=_("Numbers separated by commas, e.g. 1, 2, 3."),
    )

    def __init__(self, *args, batteries: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["battery"].choices = batteries

    def clean_battery(self) -> list[str]:
        chosen = self.cleaned_data["battery"]
        if len(chosen) > PREPARE_MAX_BATTERIES:
            raise forms.ValidationError(
                _("Choose at most %(count)d batteries."), params={"count": PREPARE_MAX_BATTERIES}, code="too_many"
            )
        return chosen

    def clean_packs(self) -> list[int]:
        words = [word for word in re.split(r"[\s,;]+", self.cleaned_data["packs"]) if word]
        if not words or not all(word.isdigit() and 1 <= int(word) <= 64 for word in words):
            raise forms.ValidationError(_("Give pack counts as whole numbers from 1, e.g. 1, 2."), code="packs")
        counts = sorted({int(word) for word in words})
        if len(counts) > PREPARE_MAX_PACK_COUNTS:
            raise forms.ValidationError(
                _("Give at most %(count)d pack counts."), params={"count": PREPARE_MAX_PACK_COUNTS}, code="too_many"
            )
        return counts
