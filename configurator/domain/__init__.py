"""The configuration engine: plain Python over frozen dataclasses, no Django. See configure()."""

from configurator.domain.configure import available_options, configure
from configurator.domain.errors import ConfigurationError, TooManyPacks
from configurator.domain.result import Configuration, OptionChoices, Verdict
from configurator.domain.types import Options

__all__ = [
    "Configuration",
    "ConfigurationError",
    "OptionChoices",
    "Options",
    "TooManyPacks",
    "Verdict",
    "available_options",
    "configure",
]
