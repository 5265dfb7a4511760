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
    # Every rule is kept but one: protocol switches are still drawn OFF where no protocol was found (the result
    # has no "unknown" switch state yet). This test is tightened when that is fixed.
    broken = {kind for kind, count in counts.items() if count}
    assert broken == {"protocol_bits_without_protocol"}


def test_examples_name_the_pair_and_the_request():
    output = run("--examples", "1")
    assert re.search(r"e\.g\. generic-lfp-bms \+ \S+ \(bus \w+, \d+ pack\(s\)\): master switches \[5, 6\]", output)


def test_fail_exits_with_an_error_while_rules_are_broken():
    with pytest.raises(CommandError, match=r"answer\(s\) break a rule"):
        run("--fail", "--examples", "0")
