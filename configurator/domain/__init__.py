"""The configuration engine: plain Python over frozen dataclasses, no Django. See configure()."""

from configurator.domain.configure import configure
from configurator.domain.errors import ConfigurationError, TooManyPacks
from configurator.domain.result import Configuration, Verdict
from configurator.domain.types import Options

__all__ = ["Configuration", "ConfigurationError", "Options", "TooManyPacks", "Verdict", "configure"]
