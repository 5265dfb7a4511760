"""manage.py check_answers: the sweep over every pair of the catalog prints each rule with its count, and with
--fail exits with an error while any answer breaks one."""

import re
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from configurator.invariants import KINDS

pytestmark = pytest.mark.usefixtures("shipped_catalog")


def run(*args) -> str:
    out = StringIO()
    call_command("check_answers", *args, stdout=out)
    return out.getvalue()


def test_the_sweep_reports_every_rule_over_every_pair():
    output = run("--examples", "0")
    assert output.startswith("800 pairs, 7200 requests")
    counts = {kind: int(re.search(rf"^{kind}\s+(\d+)", output, re.M)[1]) for kind in KINDS}
    assert int(re.search(r"^total\s+(\d+)", output, re.M)[1]) == sum(counts.values())
    assert counts == dict.fromkeys(KINDS, 0)  # every answer on the shipped catalog keeps every rule


@pytest.fixture
def one_broken_rule(monkeypatch):
    """The command's report and exit, with the checker replaced by one that finds a single break (the checker
    itself is tested in test_invariants)."""
    from configurator.invariants import Violation
    from configurator.management.commands import check_answers

    def checker(answer):
        if (answer.battery.slug, answer.inverter.slug, answer.bus, answer.packs) == (
            "pylontech-us5000", "deye-hybrid", "can", 2,
        ):  # fmt: skip
            return [Violation("unsafe_join", "pylontech-us5000", "deye-hybrid", "can", 2, "pin 7 with pin 7")]
        return []

    monkeypatch.setattr(check_answers, "answer_violations", checker)


@pytest.mark.usefixtures("one_broken_rule")
def test_examples_name_the_pair_and_the_request():
    output = run("--examples", "1")
    assert re.search(r"^unsafe_join\s+1\s", output, re.M)
    assert "e.g. pylontech-us5000 + deye-hybrid (bus can, 2 pack(s)): pin 7 with pin 7" in output
    assert re.search(r"^total\s+1$", output, re.M)


def test_fail_passes_on_the_shipped_catalog():
    run("--fail", "--examples", "0")


@pytest.mark.usefixtures("one_broken_rule")
def test_fail_exits_with_an_error_while_a_rule_is_broken():
    with pytest.raises(CommandError, match=r"1 answer\(s\) break a rule"):
        run("--fail", "--examples", "0")
