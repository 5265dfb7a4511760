"""Sizes within a range the sources name by its bounds ("RHI-(3-4.6)K-48ES-5G", 000): what an installer reads on
the case or types is a size of the range when its number lies within the bounds."""

import pytest

from catalog.naming import compact, size_range

RHI = size_range("RHI-(3-4.6)K-48ES-5G")
S5 = size_range("S5-EH1P(3-6)K-L")


@pytest.mark.parametrize(
    ("sizes", "typed", "name"),
    [
        (RHI, "RHI-3.6K-48ES-5G", "RHI-3.6K-48ES-5G"),  # as printed on the case
        (RHI, "rhi 3.6k 48es 5g", "RHI-3.6K-48ES-5G"),  # spaces, case
        (RHI, "RHI-3,6K-48ES-5G", "RHI-3.6K-48ES-5G"),  # a decimal comma
        (RHI, "rhi-3.6k", "RHI-3.6K-48ES-5G"),  # the end left off
        (RHI, "3.6K", "RHI-3.6K-48ES-5G"),  # the size alone
        (RHI, "RHI-4.6K-48ES-5G", "RHI-4.6K-48ES-5G"),  # a bound itself
        (RHI, "RHI-5K-48ES-5G", ""),  # past the upper bound
        (RHI, "RHI-3.6K-HVES-5G", ""),  # another family's ending
        (RHI, "rhi3", ""),  # no unit: too short to name a size
        (RHI, "3.6", ""),
        (S5, "S5-EH1P5K-L", "S5-EH1P5K-L"),
        (S5, "5k", "S5-EH1P5K-L"),
        (S5, "2k", ""),
    ],
)
def test_a_size_is_named_when_it_lies_within_the_range(sizes, typed, name):
    assert sizes.named(typed) == name


def test_whole_names_only_for_a_name_the_device_is_picked_by():
    assert RHI.named("3.6K", whole=True) == ""
    assert RHI.named("rhi-3.6k", whole=True) == ""
    assert RHI.named("RHI-3.6K-48ES-5G", whole=True) == "RHI-3.6K-48ES-5G"


def test_models_without_one_range_have_none():
    assert size_range("Battery-Box Premium HVS") is None
    assert size_range("Inverters (model not named)") is None
    assert size_range("X-(6-3)K") is None  # bounds the wrong way round
    assert size_range("X-(1-2)K-(3-4)A") is None  # two ranges: which size is which is not said


def test_compact_keeps_only_decimal_points_between_digits():
    assert compact("RHI-3.6K-48ES-5G.") == "rhi3.6k48es5g"
    assert compact("v. 1,5") == "v1.5"
