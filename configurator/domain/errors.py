"""Errors the engine raises for input it cannot configure; each message is meant for the installer, and
``field`` names the option it is about (for a form error or an API field error). Like a finding, each carries a
``code`` and its ``params``: configurator/messages.py words it in the reader's language (the English message is
what the engine's own callers and logs see)."""

__all__ = ["BusNotOffered", "ConfigurationError", "OptionNotOffered", "TooManyPacks"]


class ConfigurationError(ValueError):
    """The request cannot be answered as asked (not: the pair is incompatible, which is a verdict)."""

    field = "non_field_errors"

    def __init__(self, message: str, *, code: str = "", **params):
        self.code, self.params = code, params
        super().__init__(message)


class TooManyPacks(ConfigurationError):
    field = "packs"


class OptionNotOffered(ConfigurationError):
    """A protocol or a port was asked for by name that this pair does not offer: refused, never replaced."""

    def __init__(self, field: str, message: str, offered: tuple[str, ...] = (), *, code: str = "", **params):
        self.field, self.offered = field, offered
        super().__init__(message, code=code, **params)


class BusNotOffered(ConfigurationError):
    """A bus was asked for by name and the pair does not talk over it: the request is refused, never answered on
    another bus."""

    field = "bus"

    def __init__(self, bus: str, offered: tuple[str, ...]):
        self.bus, self.offered = bus, offered
        names = {"can": "CAN", "rs485": "RS485"}
        if offered:
            others = " or ".join(names.get(b, b) for b in offered)
            message = f"This pair does not talk over {names.get(bus, bus)}; it does over {others}."
            super().__init__(message, code="bus_not_offered", bus=bus, offered=offered)
        else:  # no bus at all: the pair is incompatible or its link is not known, which its verdict says
            message = f"The catalog knows no {names.get(bus, bus)} link for this pair."
            super().__init__(message, code="bus_unknown", bus=bus)
