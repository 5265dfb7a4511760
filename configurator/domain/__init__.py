"""The configuration engine: plain Python over frozen dataclasses, no Django. See configure()."""

from configurator.domain.configure import available_options, configure, require_bus
from configurator.domain.errors import BusNotOffered, ConfigurationError, TooManyPacks
from configurator.domain.result import Configuration, OptionChoices, Verdict
from configurator.domain.types import Options

__all__ = [
    "BusNotOffered",
    "Configuration",
    "ConfigurationError",
    "OptionChoices",
    "Options",
    "TooManyPacks",
    "Verdict",
    "available_options",
    "configure",
    "require_bus",
]
