"""Errors the engine raises for input it cannot configure; each message is meant for the installer."""

__all__ = ["ConfigurationError", "TooManyPacks"]


class ConfigurationError(ValueError):
    """The request cannot be answered as asked (not: the pair is incompatible, which is a verdict)."""


class TooManyPacks(ConfigurationError):
    pass
