"""Closed vocabularies of the catalog, built from the engine's enums (``configurator/domain/vocabulary.py``): one
list of values and labels for the database, the admin, the files and the engine."""

from django.db import models
from django.utils.translation import gettext_lazy

from configurator.domain import vocabulary as v

__all__ = [
    "Bus",
    "Connector",
    "DeviceKind",
    "DipFunction",
    "DocumentedBy",
    "NoteKind",
    "NoteLanguage",
    "Pinout",
    "PortRole",
    "SelectionMethod",
    "SettingSide",
    "Signal",
    "Termination",
    "VoltageClass",
]


def _choices(name: str, enum) -> type[models.TextChoices]:
    """A TextChoices class with the enum's members, values and labels (``Signal.CAN_H == "can_h"``); the labels in
    the reader's language (their msgids: catalog/labels.py)."""
    labels = v.LABELS[enum]
    return models.TextChoices(name, [(member.name, (member.value, gettext_lazy(labels[member]))) for member in enum])


DeviceKind = _choices("DeviceKind", v.DeviceKind)
VoltageClass = _choices("VoltageClass", v.VoltageClass)
Bus = _choices("Bus", v.Bus)
Connector = _choices("Connector", v.Connector)
PortRole = _choices("PortRole", v.PortRole)
Pinout = _choices("Pinout", v.Pinout)
Signal = _choices("Signal", v.Signal)
Termination = _choices("Termination", v.TerminationKind)
SelectionMethod = _choices("SelectionMethod", v.SelectionMethod)
DipFunction = _choices("DipFunction", v.DipFunction)
DocumentedBy = _choices("DocumentedBy", v.DocumentedBy)
SettingSide = _choices("SettingSide", v.SettingSide)
NoteKind = _choices("NoteKind", v.NoteKind)


class NoteLanguage(models.TextChoices):
    """The languages an editor's note may be translated into: the site's languages other than the one the catalog
    is written in (English, configurator.messages.CATALOG_LANGUAGE). tests/catalog/test_note_translations.py
    checks this list against settings.LANGUAGES."""

    DE = "de", gettext_lazy("German")
    IT = "it", gettext_lazy("Italian")
    ES = "es", gettext_lazy("Spanish")
    FR = "fr", gettext_lazy("French")


# Positions a modular (RJ-type) connector always has (one table for the catalog and the engine).
CONNECTOR_POSITIONS = v.CONNECTOR_POSITIONS
