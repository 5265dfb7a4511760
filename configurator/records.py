"""Commissioning records: the form an installer fills on site, issuing a record (a write), reading one, and the
rows the page and the PDF show (expected beside found, deviations marked).

The form is built from what the issued configuration expects (configurator.domain.commissioning.expected_from):
one group of fields per pack, one field per setting. The website and the API validate through the same form; the
API sends the structured ``found`` object, which ``form_data`` flattens into the form's fields.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django import forms
from django.db import IntegrityError
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from configurator.domain.commissioning import (
    FAILED,
    NOT_TESTED,
    PASSED,
    TESTS,
    Expected,
    deviations,
    expected_from,
    voltage_spread,
)
from configurator.models import CommissioningRecord, SavedConfiguration, public_id_typed, save_with_new_public_id
from configurator.presentation import ROLE_TEXT, SIDE_TEXT, setting_name

__all__ = [
    "RecordForm",
    "RecordRow",
    "RecordSuperseded",
    "form_data",
    "record_get",
    "record_issue",
    "record_sections",
]

TEST_CHOICES = [(PASSED, _("Passed")), (FAILED, _("Failed")), (NOT_TESTED, _("Not tested"))]
# The on-site tests (configurator.domain.commissioning.TESTS), in the reader's language.
TEST_TEXT = {
    "communication": _("BMS communication established (the inverter shows the battery's state of charge)"),
    "values_match": _("State of charge, voltage and charge/discharge limits on the inverter match the BMS"),
    "loss_behaviour": _("Communication loss (cable unplugged) stops the inverter or raises its BMS alarm"),
    "no_alarms": _("No alarm on the inverter or the battery after 10 minutes of operation"),
}
DIP_PATTERN = r"^[01x?/ ]*$"


# --- the form ---------------------------------------------------------------------------------------------------


class RecordForm(forms.Form):
    """What was found on site, for one issued configuration. Pack and setting fields come from ``expected``."""

    inverter_serial = forms.CharField(label=_("Inverter serial number"), max_length=60, required=False)
    inverter_firmware = forms.CharField(label=_("Inverter firmware version(s)"), max_length=80, required=False)
    resistance = forms.DecimalField(
        label=_("Resistance between CAN_H and CAN_L (Ω, bus powered off)"),
        min_value=0,
        max_value=100000,
        decimal_places=1,
        required=False,
        localize=True,  # 60,5 in German, 60.5 in English
    )
    cable_length = forms.DecimalField(
        label=_("BMS cable length (m)"), min_value=0, max_value=1000, decimal_places=2, required=False, localize=True
    )
    cable_type = forms.CharField(label=_("Cable type"), max_length=80, required=False, help_text=_("E.g. CAT6 U/UTP."))
    terminated = forms.CharField(
        label=_("Where the terminators are fitted"),
        max_length=200,
        required=False,
        help_text=_("Device and port, each end."),
    )
    remarks = forms.CharField(
        label=_("Deviations and remarks"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    installer = forms.CharField(label=_("Installer's name"), max_length=120)
    company = forms.CharField(label=_("Company"), max_length=120, required=False)
    commissioned_on = forms.DateField(
        label=_("Date"), widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})
    )
    confirm = forms.BooleanField(
        label=_("I measured and set these values on site myself (this is my signature)"), required=True
    )
    customer = forms.CharField(label=_("Customer's name"), max_length=120, required=False)
    customer_ack = forms.BooleanField(label=_("The customer was shown the system and this record"), required=False)

    def __init__(self, *args, expected: Expected, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("commissioned_on", timezone.localdate())
        super().__init__(*args, **kwargs)
        self.expected = expected
        for pack in expected.packs:
            n = pack.index
            self.fields[f"pack_{n}_serial"] = forms.CharField(label=_("Serial"), max_length=60, required=False)
            self.fields[f"pack_{n}_firmware"] = forms.CharField(label=_("BMS firmware"), max_length=40, required=False)
            if pack.dip:
                self.fields[f"pack_{n}_dip"] = forms.RegexField(
                    label=_("DIP switches as found"),
                    regex=DIP_PATTERN,
                    max_length=40,
                    required=False,
                    help_text=gettext("Switch 1 first, 1 ON, 0 OFF. Expected: {pattern}").format(pattern=pack.dip),
                    error_messages={"invalid": _("Write the switches as 1 (ON) and 0 (OFF), switch 1 first.")},
                )
            self.fields[f"pack_{n}_voltage"] = forms.DecimalField(
                label=_("Open-circuit voltage before paralleling (V)"),
                min_value=0,
                max_value=1500,
                decimal_places=2,
                required=False,
                localize=True,
            )
            self.fields[f"pack_{n}_soc"] = forms.IntegerField(
                label=_("State of charge before paralleling (%)"), min_value=0, max_value=100, required=False
            )
        for setting in expected.settings:
            self.fields[f"setting_{setting.key}"] = forms.CharField(
                label=gettext("{side}: {setting} as found").format(
                    side=SIDE_TEXT.get(setting.side, setting.side), setting=setting_name(setting.name)
                ),
                max_length=120,
                required=False,
                help_text=gettext("Expected: {value}").format(value=setting.value)
                if setting.value
                else gettext("Expected: not known to the catalog"),
            )
        for code in TESTS:
            self.fields[f"test_{code}"] = forms.ChoiceField(
                label=TEST_TEXT[code], choices=TEST_CHOICES, widget=forms.RadioSelect, initial=NOT_TESTED
            )

    def pack_fields(self):
        """(pack, its bound fields) for the template, one fieldset per pack."""
        return [
            (pack, [self[name] for name in self.fields if name.startswith(f"pack_{pack.index}_")])
            for pack in self.expected.packs
        ]

    def setting_fields(self):
        return [self[name] for name in self.fields if name.startswith("setting_")]

    def test_fields(self):
        return [self[name] for name in self.fields if name.startswith("test_")]

    def found(self) -> dict:
        """The cleaned values as the record keeps them: strings as typed (numbers as entered), grouped."""
        data = self.cleaned_data

        def text(value) -> str:
            return "" if value is None else str(value)

        return {
            "packs": [
                {
                    key: text(data.get(f"pack_{pack.index}_{key}")).strip()
                    for key in ("serial", "firmware", "dip", "voltage", "soc")
                }
                for pack in self.expected.packs
            ],
            "inverter": {"serial": data["inverter_serial"], "firmware": data["inverter_firmware"]},
            "settings": {s.key: data.get(f"setting_{s.key}", "") for s in self.expected.settings},
            "link": {
                "resistance": text(data.get("resistance")),
                "cable_length": text(data.get("cable_length")),
                "cable_type": data["cable_type"],
                "terminated": data["terminated"],
            },
            "tests": {code: data[f"test_{code}"] for code in TESTS},
            "remarks": data["remarks"],
            "customer": {"name": data["customer"], "acknowledged": data["customer_ack"]},
        }


def form_data(found: dict, *, installer: str = "", company: str = "", commissioned_on: str = "") -> dict:
    """A record's ``found`` object as the form's fields: a correction starts from the values it corrects, and the
    API's JSON is validated by the same form."""
    data: dict[str, object] = {
        "installer": installer,
        "company": company,
        "commissioned_on": commissioned_on,
        "inverter_serial": found.get("inverter", {}).get("serial", ""),
        "inverter_firmware": found.get("inverter", {}).get("firmware", ""),
        "remarks": found.get("remarks", ""),
        "customer": found.get("customer", {}).get("name", ""),
    }
    if found.get("customer", {}).get("acknowledged"):
        data["customer_ack"] = "on"
    for n, pack in enumerate(found.get("packs", []), 1):
        if isinstance(pack, dict):
            data.update({f"pack_{n}_{key}": value for key, value in pack.items()})
    data.update({f"setting_{key}": value for key, value in found.get("settings", {}).items()})
    data.update(found.get("link", {}))
    tests = found.get("tests", {})
    data.update({f"test_{code}": tests.get(code, NOT_TESTED) for code in TESTS})  # a test not named: not tested
    return data


# --- issuing and reading --------------------------------------------------------------------------------------


class RecordSuperseded(Exception):
    """A correction of a revision that was already corrected: correct the latest one."""


def record_issue(
    *,
    configuration: SavedConfiguration,
    form: RecordForm,
    previous: CommissioningRecord | None = None,
    account=None,
    language: str = "en",
) -> CommissioningRecord:
    """Issue a record from a valid form: its deviations computed now and kept, under a new public id. A correction
    (``previous``) is the next revision; correcting a record that already has a correction raises
    RecordSuperseded. Nothing is ever updated. ``language``: the issuer's; the record's PDF is always printed in
    it."""
    found = form.found()
    data = form.cleaned_data
    record = CommissioningRecord(
        configuration=configuration,
        revision=previous.revision + 1 if previous else 1,
        previous=previous,
        found=found,
        deviations=[vars(d) for d in deviations(form.expected, found)],
        installer=data["installer"],
        company=data["company"],
        commissioned_on=data["commissioned_on"],
        language=language,
        account=account,
    )
    try:
        save_with_new_public_id(record)
    except IntegrityError as error:
        if "previous_id" in str(error):  # the record it corrects has a correction already
            raise RecordSuperseded(str(error)) from error
        raise
    return record


def record_get(*, public_id: str) -> CommissioningRecord | None:
    """A record by its public id (read as people type it, like a configuration's), with its configuration and its
    correction if any."""
    typed = public_id_typed(public_id)
    return (
        CommissioningRecord.objects.select_related("configuration", "previous", "correction", "account")
        .filter(public_id=typed)
        .first()
    )


# --- what the page and the PDF show ---------------------------------------------------------------------------


@dataclass(frozen=True)
class RecordRow:
    label: str
    expected: str
    found: str
    deviates: bool = False


def record_sections(record: CommissioningRecord) -> list[tuple[str, list[RecordRow]]]:
    """Expected beside found, by section; rows whose found value deviates are marked."""
    expected = expected_from(record.configuration.configuration)
    found = record.found
    off = {d["field"] for d in record.deviations}
    packs = found.get("packs", [])
    rows_packs = []
    for pack, got in zip(expected.packs, packs, strict=False):
        label = gettext("Pack {number} ({role})").format(number=pack.index, role=ROLE_TEXT.get(pack.role, pack.role))
        rows_packs += [
            RecordRow(gettext("{pack}: serial").format(pack=label), "", got.get("serial", "")),
            RecordRow(gettext("{pack}: BMS firmware").format(pack=label), "", got.get("firmware", "")),
        ]
        if pack.dip:
            dip = gettext("{pack}: DIP switches").format(pack=label)
            rows_packs.append(RecordRow(dip, pack.dip, got.get("dip", ""), f"pack-{pack.index}-dip" in off))
        rows_packs += [
            RecordRow(gettext("{pack}: open-circuit voltage (V)").format(pack=label), "", _local(got.get("voltage"))),
            RecordRow(gettext("{pack}: state of charge (%)").format(pack=label), "", got.get("soc", "")),
        ]
    spread = voltage_spread(found)
    if spread is not None:
        rows_packs.append(
            RecordRow(
                gettext("Voltage spread between packs (V)"),
                gettext("maker's limit not in the catalog"),
                number_format(spread),
            )
        )
    inverter = [
        RecordRow(gettext("Inverter serial"), "", found.get("inverter", {}).get("serial", "")),
        RecordRow(gettext("Inverter firmware"), "", found.get("inverter", {}).get("firmware", "")),
    ]
    not_known = gettext("not known to the catalog")
    settings = [
        RecordRow(
            f"{SIDE_TEXT.get(s.side, s.side)}: {setting_name(s.name)}",
            s.value or not_known,
            found.get("settings", {}).get(s.key, ""),
            s.key in off,
        )
        for s in expected.settings
    ]
    link = found.get("link", {})
    if expected.link_resistance is not None:
        ohms = f"{number_format(expected.link_resistance)} (50-70)"
    else:
        ohms = gettext("not known")
    links = [
        RecordRow(gettext("Resistance CAN_H-CAN_L (Ω)"), ohms, _local(link.get("resistance")), "resistance" in off),
        RecordRow(gettext("Cable length (m)"), "", _local(link.get("cable_length"))),
        RecordRow(gettext("Cable type"), "", link.get("cable_type", "")),
        RecordRow(
            gettext("Terminated ends"),
            _terminated_ends(expected.terminated_ends) or gettext("not known"),
            link.get("terminated", ""),
        ),
    ]
    words = {value: str(text) for value, text in TEST_CHOICES}
    tests = [
        RecordRow(
            str(TEST_TEXT[code]),
            words[PASSED],
            words.get(found.get("tests", {}).get(code, ""), ""),
            f"test-{code}" in off,
        )
        for code in TESTS
    ]
    return [
        (gettext("Battery packs"), rows_packs),
        (gettext("Inverter"), inverter),
        (gettext("Settings"), settings),
        (gettext("Link"), links),
        (gettext("Tests"), tests),
    ]


def _local(text: str | None) -> str:
    """A number the record keeps as typed ("61.5"), written as the reader's language writes it ("61,5")."""
    try:
        return number_format(Decimal(text)) if text else ""
    except InvalidOperation:
        return text


def _terminated_ends(ends: tuple[tuple[str, str], ...]) -> str:
    """Where the BMS link's terminators go (Expected.terminated_ends): each end's device and port."""
    said = gettext("{device}, port '{port}'")
    return "; ".join(said.format(device=device, port=port) if port else device for device, port in ends)
