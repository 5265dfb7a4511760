"""The configuration engine: plain Python over frozen dataclasses, no Django. See configure()."""

from configurator.domain.configure import available_options, configure, require_bus
from configurator.domain.errors import BusNotOffered, ConfigurationError, OptionNotOffered, TooManyPacks
from configurator.domain.findings import Code, Finding, Severity
from configurator.domain.result import Configuration, OptionChoices
from configurator.domain.types import Options
from configurator.domain.vocabulary import Basis, Verdict

__all__ = [
    "Basis",
    "BusNotOffered",
    "Code",
    "Configuration",
    "ConfigurationError",
    "Finding",
    "OptionChoices",
    "OptionNotOffered",
    "Options",
    "Severity",
    "TooManyPacks",
    "Verdict",
    "available_options",
    "configure",
    "require_bus",
]
