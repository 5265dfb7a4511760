from django.contrib.postgres.fields import ArrayField
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from catalog.choices import Bus, DeviceKind, DocumentedBy, Signal
from catalog.firmware import FIRMWARE_HELP, FIRMWARE_REGEX, firmware_condition
from catalog.history import tracked

__all__ = ["DocumentedPairing", "PairingConductor"]


class DocumentedPairing(models.Model):
    """A battery + inverter (+ adapter) combination that a source documents, with its crimp.

    The cable joins ``battery_port`` (on the battery, or on the adapter when the battery talks to an adapter)
    and ``inverter_port`` (on the inverter, or on the adapter). ``standard_cable`` is what the source says:
    true for "use a standard network cable", false for a custom crimp, empty when it says nothing.
    """

    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    battery = models.ForeignKey(
        "catalog.Device",
        on_delete=models.CASCADE,
        related_name="pairings_as_battery",
        limit_choices_to={"kind": DeviceKind.BATTERY},
    )
    inverter = models.ForeignKey(
        "catalog.Device",
        on_delete=models.CASCADE,
        related_name="pairings_as_inverter",
        limit_choices_to={"kind": DeviceKind.INVERTER},
    )
    adapter = models.ForeignKey(
        "catalog.Device",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="pairings_as_adapter",
        limit_choices_to={"kind": DeviceKind.ADAPTER},
    )
    bus = models.CharField(_("bus"), max_length=8, choices=Bus.choices)
    protocol = models.ForeignKey(
        "catalog.Protocol", on_delete=models.PROTECT, null=True, blank=True, related_name="pairings"
    )
    battery_port = models.ForeignKey(
        "catalog.Port", on_delete=models.PROTECT, null=True, blank=True, related_name="pairings_battery_side"
    )
    inverter_port = models.ForeignKey(
        "catalog.Port", on_delete=models.PROTECT, null=True, blank=True, related_name="pairings_inverter_side"
    )
    standard_cable = models.BooleanField(_("standard patch cable"), null=True, blank=True)
    battery_firmware = models.CharField(
        _("battery (BMS) firmware"),
        max_length=80,
        blank=True,
        validators=[firmware_condition],
        help_text=FIRMWARE_HELP,
    )
    inverter_firmware = models.CharField(
        _("inverter firmware"), max_length=80, blank=True, validators=[firmware_condition], help_text=FIRMWARE_HELP
    )
    limitations = ArrayField(
        models.TextField(),
        default=list,
        blank=True,
        verbose_name=_("limitations"),
        help_text=_("What does not work over this link, as the source says (no cell voltages, open loop only, ...)."),
    )
    documented_by = models.CharField(_("documented by"), max_length=20, choices=DocumentedBy.choices)
    source = models.ForeignKey("catalog.Source", on_delete=models.PROTECT, related_name="pairings")

    history = tracked()

    class Meta:
        ordering = ["battery__slug", "inverter__slug", "bus"]
        verbose_name = _("documented pairing")
        verbose_name_plural = _("documented pairings")
        constraints = [
            *(
                models.CheckConstraint(
                    condition=models.Q(**{f"{side}_firmware__regex": FIRMWARE_REGEX}),
                    name=f"catalog_documentedpairing_{side}_firmware_condition",
                    violation_error_message=_("Write a firmware condition as '>= 2.1', '< 4' or 'not 3.0-3.2'."),
                )
                for side in ("battery", "inverter")
            ),
            models.UniqueConstraint(
                fields=["battery", "inverter", "adapter", "bus"],
                nulls_distinct=False,
                name="catalog_documentedpairing_unique_battery_inverter_adapter_bus",
                violation_error_message=_("This pairing over this bus is already documented."),
            ),
            models.CheckConstraint(
                condition=~models.Q(battery=models.F("inverter")),
                name="catalog_documentedpairing_two_devices",
            ),
            models.CheckConstraint(
                condition=models.Q(bus__in=[Bus.CAN, Bus.RS485]),
                name="catalog_documentedpairing_link_bus",
                violation_error_message=_("A battery talks to an inverter over CAN or RS485."),
            ),
        ]

    def __str__(self):
        return self.slug

    def clean(self):
        super().clean()
        errors = {}
        sides = {
            "battery_port": {self.battery_id, self.adapter_id},
            "inverter_port": {self.inverter_id, self.adapter_id},
        }
        for field, owners in sides.items():
            port = getattr(self, field)
            if port is not None and port.device_id not in owners - {None}:
                errors[field] = _("This port belongs to neither side of the cable.")
        if errors:
            raise ValidationError(errors)


class PairingConductor(models.Model):
    """One row of a documented crimp: which battery-side position joins which inverter-side position.

    Either side may be empty where the source says "-" (e.g. GND not connected on the inverter).
    """

    pairing = models.ForeignKey(DocumentedPairing, on_delete=models.CASCADE, related_name="conductors")
    position = models.PositiveSmallIntegerField(_("order"), default=1)
    signal = models.CharField(_("signal"), max_length=16, choices=Signal.choices)
    battery_pin = models.ForeignKey(
        "catalog.PinAssignment", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    inverter_pin = models.ForeignKey(
        "catalog.PinAssignment", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    note = models.CharField(_("note"), max_length=300, blank=True)

    history = tracked()

    class Meta:
        ordering = ["pairing", "position"]
        verbose_name = _("crimp conductor")
        verbose_name_plural = _("crimp conductors")
        constraints = [
            models.UniqueConstraint(
                fields=["pairing", "position"], name="catalog_pairingconductor_unique_pairing_position"
            ),
            models.CheckConstraint(
                condition=models.Q(battery_pin__isnull=False) | models.Q(inverter_pin__isnull=False),
                name="catalog_pairingconductor_one_end_at_least",
                violation_error_message=_("A conductor joins at least one known position."),
            ),
        ]

    def __str__(self):
        return f"{self.get_signal_display()}: {self.battery_pin or '-'} -> {self.inverter_pin or '-'}"

    def clean(self):
        super().clean()
        errors = {}
        pairing = self.pairing if self.pairing_id else None
        if pairing is not None:
            for field, port_id in (
                ("battery_pin", pairing.battery_port_id),
                ("inverter_pin", pairing.inverter_port_id),
            ):
                pin = getattr(self, field)
                if pin is not None and pin.port_id != port_id:
                    errors[field] = _("This position is not on the pairing's port for this side.")
        if errors:
            raise ValidationError(errors)
