"""``manage.py configure``: readable text or the JSON contract; names that are ambiguous or unknown list the
candidates and fail."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from configurator.domain import Options
from configurator.models import SavedConfiguration
from configurator.presentation import result_json
from configurator.services import configuration_build

pytestmark = pytest.mark.usefixtures("shipped_catalog")


def configure(*args: str) -> str:
    out = StringIO()
    call_command("configure", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def test_the_readable_result_has_every_part_an_installer_needs():
    text = configure("--battery", "generic lfp", "--inverter", "victron", "--packs", "3")
    assert "Verdict: DOCUMENTED" in text
    assert "Link: CAN, protocol Victron CAN, documented; battery port 'CAN' -> inverter port 'BMS-Can'" in text
    assert "CAN_H   4 (CANH)     7 (CAN H)     blue" in text
    assert "CAN_L   5 (CANL)     8 (CAN L)     white/blue" in text
    assert "Cut back and insulate at the inverter end (the battery plug stays as it is)" in text
    assert "pin 1 (white/orange): not in the documented crimp" in text
    assert "1     master      0        DIP   5            000010" in text
    assert "3     last slave  2        DIP   2            010000" in text
    assert "The packs' own bus (RS485): first and last pack" in text
    assert "about 60 Ω when both ends are terminated" in text
    assert "Protocol: Victron CAN = xxxx10" in text
    assert "! Sources disagree: The parallel example" in text
    assert "001_37f4442432f1a2d3.txt: Generic LFP battery BMS manual" in text
    assert "    - 3. Inverter pins definition" in text


def test_colours_follow_the_chosen_standard():
    text = configure("--battery", "generic-lfp-bms", "--inverter", "victron-color-control", "--colours", "t568a")
    assert "colours T568A" in text
    assert "pin 1 (white/green): not in the documented crimp" in text


def test_json_is_the_result_contract():
    out = configure("--battery", "US5000", "--inverter", "deye hybrid", "--packs", "2", "--bus", "can", "--json")
    expected = result_json(
        configuration_build(battery="pylontech-us5000", inverter="deye-hybrid", options=Options(bus="can", packs=2))
    )
    assert json.loads(out) == json.loads(json.dumps(expected))


def test_save_keeps_the_result_and_prints_its_id():
    err = StringIO()
    call_command(
        "configure", "--battery", "weco-5k3-xp", "--inverter", "deye-hybrid", "--save", stdout=StringIO(), stderr=err
    )
    saved = SavedConfiguration.objects.get()
    assert f"Saved as {saved.public_id}." in err.getvalue()


def test_an_ambiguous_name_lists_the_candidates_and_fails():
    with pytest.raises(CommandError) as error:
        configure("--battery", "weco", "--inverter", "deye-hybrid")
    message = str(error.value)
    assert "'weco' names 4 batteries" in message
    assert "weco-4k4-lt" in message
    assert "weco-5k3-xp" in message


def test_an_unknown_name_suggests_near_ones_and_fails():
    with pytest.raises(CommandError, match="No published inverter matches 'sunny qq'") as error:
        configure("--battery", "weco-5k3-xp", "--inverter", "sunny qq")
    assert "sma-sunny-island" in str(error.value)
    with pytest.raises(CommandError, match="The catalog has:") as error:
        configure("--battery", "zzz", "--inverter", "deye-hybrid")
    assert "pylontech-us5000" in str(error.value)


def test_an_inverter_slug_is_not_a_battery():
    with pytest.raises(CommandError, match="No published battery matches 'deye-hybrid'"):
        configure("--battery", "deye-hybrid", "--inverter", "deye-hybrid")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--packs", "0"), "from 1 to 64, not '0'"),
        (("--packs", "two"), "from 1 to 64, not 'two'"),
        (("--packs", "16"), "at most 15 packs"),
    ],
)
def test_a_bad_pack_count_is_a_clear_error(args, message):
    with pytest.raises(CommandError, match=message):
        configure("--battery", "sok-battery", "--inverter", "sol-ark-inverter", *args)
    assert not SavedConfiguration.objects.exists()


def test_a_bus_the_pair_does_not_talk_over_is_refused():
    with pytest.raises(CommandError, match=r"does not talk over RS485; it does over CAN\."):
        configure("--inverter", "deye-hybrid", "--battery", "pylontech-us5000", "--bus", "rs485")
