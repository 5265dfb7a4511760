from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.utils.translation import gettext_lazy as _

from catalog.choices import Bus, SelectionMethod
from catalog.firmware import FIRMWARE_HELP, FIRMWARE_REGEX, firmware_condition
from catalog.history import tracked

__all__ = ["DeviceProtocol", "Protocol"]

DIP_PATTERN_REGEX = r"^[01x]+$"


class Protocol(models.Model):
    """A language spoken over a bus, e.g. "Pylon CAN" at 500 kbit/s."""

    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    name = models.CharField(_("name"), max_length=120)
    bus = models.CharField(_("bus"), max_length=8, choices=Bus.choices)
    bitrate = models.PositiveIntegerField(_("bit rate (bit/s or baud)"), null=True, blank=True)
    aliases = ArrayField(
        models.CharField(max_length=120),
        default=list,
        blank=True,
        verbose_name=_("aliases"),
        help_text=_("The names makers print for it (PC tools, menus, tables): 'SOLISCAN', 'PYLON', 'Pylon, Deye'."),
    )
    master = models.CharField(
        _("master side"),
        max_length=8,
        blank=True,
        choices=[("battery", _("The battery (BMS) leads")), ("inverter", _("The inverter polls"))],
        help_text=_("Which side leads the exchange, where a source says; empty: not stated."),
    )
    notes = models.TextField(_("notes"), blank=True)
    source = models.ForeignKey("catalog.Source", on_delete=models.PROTECT, related_name="protocols")
    is_published = models.BooleanField(
        _("published"),
        default=True,
        help_text=_(
            "Off: proposed by a distributor, waiting for the team. A draft protocol is listed to the team and to "
            "the account that proposed it; a device or pairing naming it cannot be published."
        ),
    )
    proposed_by = models.ForeignKey(
        "catalog.Account",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="proposed_protocols",
        verbose_name=_("proposed by"),
    )

    history = tracked()

    class Meta:
        ordering = ["bus", "name"]
        verbose_name = _("protocol")
        verbose_name_plural = _("protocols")
        constraints = [
            models.UniqueConstraint(fields=["name", "bus"], name="catalog_protocol_unique_name_bus"),
            models.CheckConstraint(
                condition=models.Q(bitrate__isnull=True) | models.Q(bitrate__gte=300),
                name="catalog_protocol_bitrate_plausible",
                violation_error_message=_("A bit rate is at least 300 bit/s."),
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.get_bus_display()})"


class DeviceProtocol(models.Model):
    """A protocol a device speaks (battery) or accepts (inverter, adapter), and how it is selected there.

    ``value`` depends on ``method``: for DIP switches a pattern over the whole bank, one character per switch
    from switch 1 on: ``1`` ON, ``0`` OFF, ``x`` not set by this choice (e.g. ``xxxx01``); for a PC tool or
    an LCD menu the value to pick; ``menu_path`` says where to find it.
    """

    device = models.ForeignKey("catalog.Device", on_delete=models.CASCADE, related_name="device_protocols")
    protocol = models.ForeignKey(Protocol, on_delete=models.PROTECT, related_name="device_protocols")
    method = models.CharField(_("selected by"), max_length=12, choices=SelectionMethod.choices)
    menu_path = models.CharField(_("menu path / field"), max_length=300, blank=True)
    value = models.CharField(_("value"), max_length=120, blank=True)
    priority = models.PositiveSmallIntegerField(
        _("preference"),
        null=True,
        blank=True,
        help_text=_(
            "Where a source ranks the protocols this device speaks: 1 is preferred. Empty: no stated preference "
            "(when a pair shares several protocols without one, the installer picks)."
        ),
    )
    firmware = models.CharField(
        _("firmware"), max_length=80, blank=True, validators=[firmware_condition], help_text=FIRMWARE_HELP
    )
    limitations = ArrayField(
        models.TextField(),
        default=list,
        blank=True,
        verbose_name=_("limitations"),
        help_text=_("What does not work with this protocol on this device, as the source says."),
    )
    derivation = models.TextField(
        _("derived from"),
        blank=True,
        help_text=_(
            "Empty when the source states this selection for this device and protocol. Otherwise the chain of "
            'facts it is derived from, e.g. "001 gives Deye the same DIP code as Pylon; 002 sets Deye to CAN 00".'
        ),
    )
    note = models.TextField(_("note"), blank=True)
    source = models.ForeignKey("catalog.Source", on_delete=models.PROTECT, related_name="device_protocols")

    history = tracked()

    class Meta:
        ordering = ["device", "protocol__bus", "protocol__name"]
        verbose_name = _("device protocol")
        verbose_name_plural = _("device protocols")
        constraints = [
            models.UniqueConstraint(
                fields=["device", "protocol"], name="catalog_deviceprotocol_unique_device_protocol"
            ),
            models.CheckConstraint(
                condition=~models.Q(method=SelectionMethod.DIP) | models.Q(value__regex=DIP_PATTERN_REGEX),
                name="catalog_deviceprotocol_dip_pattern",
                violation_error_message=_("A DIP selection is a pattern of 1 (ON), 0 (OFF) and x (not set)."),
            ),
            models.CheckConstraint(
                condition=models.Q(firmware__regex=FIRMWARE_REGEX),
                name="catalog_deviceprotocol_firmware_condition",
                violation_error_message=_("Write a firmware condition as '>= 2.1', '< 4' or 'not 3.0-3.2'."),
            ),
        ]

    def __str__(self):
        return f"{self.protocol.name} via {self.get_method_display()}"
