from django.db import models
from django.utils.translation import gettext_lazy as _

from catalog.history import tracked

__all__ = ["Setting"]


class Setting(models.Model):
    """A setting an installer makes on a device: an LCD menu value, a PC-tool field, a rotary switch.

    Without ``pairing`` or ``selection`` it applies whenever the device is used; with ``pairing`` only in that
    documented pairing (e.g. "Battery Selection -> WECO" on the inverter when it talks to a WeCo battery); with
    ``selection`` whenever the device is set to that protocol (an extra of the selection, e.g. "BMS_Err_Stop = On"
    beside "BMS Lithium Batt = 00"). ``device`` is then the selection's device.
    """

    device = models.ForeignKey("catalog.Device", on_delete=models.CASCADE, related_name="settings")
    pairing = models.ForeignKey(
        "catalog.DocumentedPairing", on_delete=models.CASCADE, null=True, blank=True, related_name="settings"
    )
    selection = models.ForeignKey(
        "catalog.DeviceProtocol",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="extras",
        verbose_name=_("protocol selection"),
    )
    position = models.PositiveSmallIntegerField(_("order"), default=1)
    name = models.CharField(_("setting"), max_length=200)
    menu_path = models.CharField(_("menu path"), max_length=300, blank=True)
    value = models.CharField(_("value"), max_length=200, blank=True)
    optional = models.BooleanField(_("optional"), default=False)
    fallback = models.BooleanField(
        _("fallback without BMS communication"),
        default=False,
        help_text=_("A voltage-based (open-loop) setting a source gives for when the link does not work."),
    )
    note = models.TextField(_("note"), blank=True)
    source = models.ForeignKey("catalog.Source", on_delete=models.PROTECT, related_name="settings")

    history = tracked()

    class Meta:
        ordering = ["device", "pairing", "selection", "position", "id"]
        verbose_name = _("setting")
        verbose_name_plural = _("settings")
        constraints = [
            models.UniqueConstraint(
                fields=["device", "pairing", "selection", "position"],
                nulls_distinct=False,
                name="catalog_setting_unique_device_pairing_selection_position",
            ),
            models.CheckConstraint(
                condition=models.Q(pairing__isnull=True) | models.Q(selection__isnull=True),
                name="catalog_setting_pairing_or_selection",
                violation_error_message=_("A setting belongs to a pairing or to a protocol selection, not both."),
            ),
            models.CheckConstraint(condition=~models.Q(name=""), name="catalog_setting_name_not_empty"),
        ]

    def __str__(self):
        return f"{self.name} = {self.value}" if self.value else self.name
