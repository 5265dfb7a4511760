"""``manage.py configure``: the configuration of one battery + inverter pair, as text or as the JSON contract."""

import argparse
import json

from django.core.management.base import BaseCommand, CommandError

from catalog.models import Device
from catalog.selectors import device_list, device_search, name_picked
from configurator.choices import BusPreference, ColourStandard
from configurator.domain import ConfigurationError, Options
from configurator.domain.types import MAX_PACKS
from configurator.presentation import result_json
from configurator.services import configuration_build, configuration_save
from configurator.text import configuration_text

PLURAL = {"battery": "batteries", "inverter": "inverters"}


def _candidates(devices) -> str:
    return "\n".join(f"  {device.slug:<40} {device}" for device in devices)


def _resolve(kind: str, text: str) -> Device:
    """The one published device of ``kind`` that ``text`` names; else a CommandError listing the candidates."""
    found = device_search(kind=kind, text=text)
    if len(found) == 1:
        return found[0]
    if found:
        raise CommandError(
            f"'{text}' names {len(found)} {PLURAL[kind]}; give one of these slugs:\n{_candidates(found)}"
        )
    near = {d.pk: d for word in text.split() for d in device_search(kind=kind, text=word)}
    if near:
        near_list = sorted(near.values(), key=str)
        raise CommandError(
            f"No published {kind} matches '{text}'. Did you mean one of these?\n{_candidates(near_list)}"
        )
    raise CommandError(
        f"No published {kind} matches '{text}'. The catalog has:\n{_candidates(device_list(kind=kind))}"
    )


def _packs(value: str) -> int:
    try:
        packs = int(value)
    except ValueError:
        packs = 0
    if not 1 <= packs <= MAX_PACKS:
        raise argparse.ArgumentTypeError(f"give a whole number from 1 to {MAX_PACKS}, not '{value}'")
    return packs


class Command(BaseCommand):
    help = (
        "Configure a battery and an inverter: verdict, BMS cable with colours, DIP switches per pack, termination, "
        "battery and inverter settings, warnings and sources. Devices are given by slug or by an unambiguous name."
    )

    def add_arguments(self, parser):
        parser.add_argument("--inverter", required=True, help="Slug or name, e.g. deye-hybrid or 'solis s6 eh3p'.")
        parser.add_argument("--battery", required=True, help="Slug or name, e.g. weco-5k3-xp or 'US5000'.")
        parser.add_argument(
            "--packs", type=_packs, default=1, help=f"Packs in the parallel stack, 1 to {MAX_PACKS} (default 1)."
        )
        parser.add_argument("--bus", choices=BusPreference.values, default=BusPreference.BEST, help="Default: best.")
        parser.add_argument("--colours", choices=ColourStandard.values, default=ColourStandard.T568B)
        parser.add_argument("--protocol", default="", help="A protocol's slug both sides speak (default: as sourced).")
        parser.add_argument("--battery-port", default="", help="The battery's link port, by name (default: chosen).")
        parser.add_argument("--inverter-port", default="", help="The inverter's link port, by name (default: chosen).")
        parser.add_argument(
            "--json", dest="as_json", action="store_true", help="Print the result's JSON (the API's contract)."
        )
        parser.add_argument("--save", action="store_true", help="Keep the result as a saved configuration.")

    def handle(self, *args, inverter, battery, packs, bus, colours, as_json: bool, save: bool, **options):
        asked = {name: options[name] for name in ("protocol", "battery_port", "inverter_port")}
        battery_row = _resolve("battery", battery)
        inverter_row = _resolve("inverter", inverter)
        request = {"battery": battery_row.slug, "inverter": inverter_row.slug}
        # Named by a name it is sold under (an alias, a size of its range): the result names it so.
        picked = {"battery_as": name_picked(battery_row, battery), "inverter_as": name_picked(inverter_row, inverter)}
        choice = Options(bus=bus, packs=packs, colours=colours, **asked, **picked)
        try:
            if save:
                saved = configuration_save(**request, options=choice)
                result = saved.configuration
            else:
                result = configuration_build(**request, options=choice)
        except ConfigurationError as error:
            raise CommandError(str(error)) from error
        if as_json:
            self.stdout.write(json.dumps(result_json(result), indent=2, ensure_ascii=False))
        else:
            self.stdout.write(configuration_text(result), ending="")
        if save:
            self.stdout.flush()
            self.stderr.write(f"Saved as {saved.public_id}.")
