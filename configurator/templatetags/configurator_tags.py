"""Template filters for rendering a Configuration: names, colour swatches, the shared SVG drawings."""

from functools import lru_cache

from django import template
from django.template.loader import render_to_string
from django.utils.translation import get_language

from configurator import drawings
from configurator.domain.vocabulary import BUS_NAMES, CONNECTOR_NAMES, SIGNAL_NAMES
from configurator.messages import message as finding_message
from configurator.presentation import VERDICT_TEXT, bitrate_text, present, source_text

register = template.Library()

CACHED_RESULT_FRAGMENTS = 256  # per process; a fragment is a few tens of kilobytes

VOLTAGE_SHORT = {"lv": "LV", "hv": "HV", "lv_hv": "LV or HV", "unknown": "voltage not stated", "n_a": ""}


UNNAMED_MODEL = "(model not named)"  # the catalog's model for a device its source names by brand or family only


@register.filter
def model_named(model: str) -> bool:
    """Whether the source names the model (else the card leads with the maker and the family)."""
    return UNNAMED_MODEL not in model


@register.filter
def picked_name(picked: dict[str, str], slug: str) -> str:
    """The name a search found this device by (an alias, a size of its range), or empty."""
    return picked.get(slug, "") if picked else ""


@register.filter
def voltage_short(value: str) -> str:
    return VOLTAGE_SHORT.get(value, value)


@register.filter
def signal_name(value: str) -> str:
    return SIGNAL_NAMES.get(value, value)


@register.filter
def bus_name(value: str | None) -> str:
    return BUS_NAMES.get(value or "", value or "")


@register.filter
def connector_name(value: str) -> str:
    return CONNECTOR_NAMES.get(value, value)


@register.filter
def verdict_text(value: str) -> str:
    return VERDICT_TEXT.get(value, value)


@register.filter
def wire_class(colour: str | None) -> str:
    return drawings.wire_class(colour)


@register.filter
def source(value) -> str:
    return source_text(value)


@register.filter
def crimp_svg(cable):
    return drawings.crimp_svg(cable)


@register.filter
def dip_svg(bank, title: str = ""):
    return drawings.dip_svg(bank, title)


@register.filter
def pattern_legend(pattern: str) -> str:
    """How to read a DIP pattern: only the marks it uses."""
    marks = [("1", "1 ON"), ("0", "0 OFF"), ("x", "x as is"), ("?", "? not known")]
    return "switch 1 first; " + ", ".join(text for mark, text in marks if mark in pattern)


@register.filter
def bitrate(value: int | None) -> str:
    """500000 -> '500 kbit/s'."""
    return bitrate_text(value)


@register.filter
def message(finding) -> str:
    """A finding of the engine as its sentence (configurator/messages.py)."""
    return finding_message(finding)


@register.filter
def get_item(sequence, index):
    """sequence[index], or '' when there is no such item."""
    try:
        return sequence[index]
    except (IndexError, KeyError, TypeError):
        return ""


@register.simple_tag
def configuration_html(configuration):
    """The result's facts as HTML (configurator/_configuration.html). A Configuration is an immutable value and
    the fragment depends on nothing else, so equal results share one rendering in this process."""
    return _configuration_html(configuration, get_language())


@lru_cache(maxsize=CACHED_RESULT_FRAGMENTS)
def _configuration_html(configuration, language: str):
    return render_to_string("configurator/_configuration.html", {"c": configuration, "p": present(configuration)})
