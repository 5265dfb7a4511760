from django.contrib.postgres.fields import ArrayField
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from catalog.choices import CONNECTOR_POSITIONS, Bus, Connector, Pinout, PortRole, Termination
from catalog.history import tracked

__all__ = ["Port"]


def _connector_positions_rule() -> models.Q:
    """RJ-type connectors always have their fixed number of positions."""
    rule = models.Q(connector__in=[Connector.TERMINAL_BLOCK, Connector.OTHER])
    for connector, count in CONNECTOR_POSITIONS.items():
        rule |= models.Q(connector=connector, positions=count)
    return rule


class Port(models.Model):
    """A communication port of a device, named as its maker prints it."""

    device = models.ForeignKey("catalog.Device", on_delete=models.CASCADE, related_name="ports")
    position = models.PositiveSmallIntegerField(_("order"), default=1)
    name = models.CharField(_("name"), max_length=120, help_text=_("As printed on the device, e.g. 'CAN', 'BMS'."))
    connector = models.CharField(_("connector"), max_length=20, choices=Connector.choices)
    positions = models.PositiveSmallIntegerField(
        _("number of positions"),
        null=True,
        blank=True,
        help_text=_("Fixed for RJ types; for a terminal block, empty when the source does not give the count."),
    )
    role = models.CharField(_("role"), max_length=20, choices=PortRole.choices)
    buses = ArrayField(
        models.CharField(max_length=8, choices=Bus.choices), default=list, blank=True, verbose_name=_("buses")
    )
    bitrates = ArrayField(
        models.PositiveIntegerField(),
        default=list,
        blank=True,
        verbose_name=_("bit rates"),
        help_text=_("The bit rates (bit/s) the source says this port runs at, e.g. 500000 only; empty: not stated."),
    )
    pinout = models.CharField(_("pin table"), max_length=12, choices=Pinout.choices, default=Pinout.COMPLETE)
    termination = models.CharField(
        _("bus termination"), max_length=12, choices=Termination.choices, default=Termination.UNKNOWN
    )
    termination_note = models.TextField(
        _("termination detail"), blank=True, help_text=_("Which switch, which resistor, where it goes.")
    )
    note = models.TextField(_("note"), blank=True)
    source = models.ForeignKey("catalog.Source", on_delete=models.PROTECT, related_name="ports")

    history = tracked()

    class Meta:
        ordering = ["device", "position", "id"]
        verbose_name = _("port")
        verbose_name_plural = _("ports")
        constraints = [
            models.UniqueConstraint(fields=["device", "name"], name="catalog_port_unique_device_name"),
            models.CheckConstraint(
                condition=models.Q(positions__gte=1, positions__lte=64),
                name="catalog_port_positions_range",
                violation_error_message=_("A port has between 1 and 64 positions."),
            ),
            models.CheckConstraint(
                condition=_connector_positions_rule(),
                name="catalog_port_connector_positions",
                violation_error_message=_("RJ45 has 8 positions, RJ12 and RJ11 have 6, RJ9 has 4."),
            ),
            models.CheckConstraint(
                condition=models.Q(positions__isnull=False)
                | models.Q(connector__in=[Connector.TERMINAL_BLOCK, Connector.OTHER]),
                name="catalog_port_count_known_for_modular_connectors",
                violation_error_message=_("An RJ-type connector always has its fixed number of positions."),
            ),
            models.CheckConstraint(
                condition=models.Q(buses__contained_by=list(Bus.values)),
                name="catalog_port_buses_known",
                violation_error_message=_("Buses are can, rs485 or rs232."),
            ),
            models.CheckConstraint(condition=~models.Q(name=""), name="catalog_port_name_not_empty"),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        super().clean()
        if len(set(self.buses)) != len(self.buses):
            raise ValidationError({"buses": _("Each bus is listed once.")})
        if self.pk is not None and self.positions:
            highest = self.pin_assignments.aggregate(highest=models.Max("position"))["highest"]
            if highest is not None and highest > self.positions:
                raise ValidationError(
                    {
                        "positions": ValidationError(
                            _("A pin sits on position %(highest)s: the port needs at least that many positions."),
                            code="positions_below_pins",
                            params={"highest": highest},
                        )
                    }
                )
