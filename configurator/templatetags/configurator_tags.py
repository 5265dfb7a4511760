"""Template filters for rendering a Configuration: names, colour swatches, the shared SVG drawings."""

from functools import lru_cache

from django import template
from django.conf import settings
from django.template.loader import render_to_string
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from configurator import drawings, messages, presentation
from configurator.domain.vocabulary import BUS_NAMES
from configurator.presentation import bitrate_text, present, source_text

register = template.Library()

CACHED_RESULT_FRAGMENTS = 256  # per process; a fragment is a few tens of kilobytes

VOLTAGE_SHORT = {
    "lv": "LV",
    "hv": "HV",
    "lv_hv": gettext_lazy("LV or HV"),
    "unknown": gettext_lazy("voltage not stated"),
    "n_a": "",
}


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
    return str(VOLTAGE_SHORT.get(value, value))


@register.filter
def signal_name(value: str) -> str:
    return messages.signal_name(value)


@register.filter
def bus_name(value: str | None) -> str:
    return BUS_NAMES.get(value or "", value or "")


@register.filter
def connector_name(value: str) -> str:
    return messages.connector_name(value)


@register.simple_tag
def site_languages() -> list[tuple[str, str]]:
    """The languages the site offers, each named in itself ("Deutsch", "Français"): Django's own tag would
    translate the names into the page's language."""
    return settings.LANGUAGES


@register.filter
def said(sentence) -> str:
    """A presented finding (presentation.Sentence) as HTML. The catalog editor's note it quotes, where no editor
    translated it into the page's language, keeps its own language (lang="en") and says it is not translated."""
    if not sentence.untranslated:
        return conditional_escape(sentence.text)
    marked = format_html(
        '<span lang="{}">{}</span> <span class="untranslated">({})</span>',
        sentence.quote_language,
        " ".join(sentence.quote.split()),  # as message() prints it
        _("catalog note, not translated"),
    )
    text, quote = conditional_escape(sentence.text), conditional_escape(" ".join(sentence.quote.split()))
    return mark_safe(text.replace(quote, marked, 1))  # noqa: S308 - both parts escaped above


@register.filter
def device_title(device) -> str:
    """A result's device by its name, with the one the installer picked it by: "HVS (sold as HVS 10.2)"."""
    return messages.device_title(device)


@register.filter
def role_text(role: str) -> str:
    """A pack's role (master, slave, last slave) in the reader's language."""
    return str(presentation.ROLE_TEXT.get(role, role))


@register.filter
def sold_as(name: str, sold: str) -> str:
    return messages.sold_as(name, sold)


@register.filter
def verdict_text(value: str) -> str:
    return presentation.verdict_text(value)


@register.filter
def colour_text(value: str | None) -> str:
    """A conductor colour in the reader's language ("white/orange" is "weiß/orange")."""
    return messages.colour_text(value)


@register.filter
def setting_name(value: str) -> str:
    return presentation.setting_name(value)


@register.filter
def setting_where(value: str) -> str:
    return presentation.setting_where(value)


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
    marks = [("1", "1 ON"), ("0", "0 OFF"), ("x", _("x as is")), ("?", _("? not known"))]
    return _("switch 1 first; {marks}").format(marks=", ".join(text for mark, text in marks if mark in pattern))


@register.filter
def bitrate(value: int | None) -> str:
    """500000 -> '500 kbit/s'."""
    return bitrate_text(value)


@register.filter
def message(finding) -> str:
    """A finding of the engine as its sentence (configurator/messages.py)."""
    return messages.message(finding)


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
