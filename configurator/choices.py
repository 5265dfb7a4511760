"""Closed vocabularies of configuration requests and results."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from configurator.domain import Verdict

__all__ = ["BusPreference", "ColourStandard", "VerdictChoice"]


class BusPreference(models.TextChoices):
    BEST = "best", _("Best available")
    CAN = "can", _("CAN")
    RS485 = "rs485", _("RS485")


class ColourStandard(models.TextChoices):
    T568B = "t568b", _("T568B")
    T568A = "t568a", _("T568A")


class VerdictChoice(models.TextChoices):
    DOCUMENTED = Verdict.DOCUMENTED, _("Documented")
    DERIVED = Verdict.DERIVED, _("Derived from pin data")
    NEEDS_CHECK = Verdict.NEEDS_CHECK, _("Needs a check")
    INCOMPATIBLE = Verdict.INCOMPATIBLE, _("Incompatible")
