"""Sizes of a range the sources name by its bounds: "RHI-(3-4.6)K-48ES-5G" covers the RHI-3.6K-48ES-5G an
installer reads on the case. Pure Python, shared by the search (catalog.selectors) and the engine's check of the
name a device was picked by (configurator.domain.types.DeviceSpec.sold_under).

A typed name is a size of the range when it is the model with a number between the bounds in place of the range
("RHI-3.6K-48ES-5G", and also "rhi 3.6k" with the end left off), or the number and the unit alone ("3.6K", "5k").
The sources give the bounds, not the steps between them: any number within them is taken.
"""

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

__all__ = ["SizeRange", "compact", "size_range"]

_NUMBER = r"\d+(?:\.\d+)?"
_RANGE = re.compile(rf"\((?P<low>{_NUMBER})\s*-\s*(?P<high>{_NUMBER})\)")


def compact(text: str) -> str:
    """Lower case, letters, digits and decimal points only ("RHI-3.6K" and "rhi 3.6k" alike)."""
    text = re.sub(r"(?<=\d),(?=\d)", ".", text.casefold())  # "3,6" as some installers write it
    text = re.sub(r"[^0-9a-z.]+", "", text)
    return re.sub(r"\.(?!(?<=\d\.)\d)", "", text)  # a point stays only between two digits


@dataclass(frozen=True)
class SizeRange:
    """A model name with one range of sizes in it, split around the range."""

    before: str  # as printed: "RHI-"
    low: Decimal
    high: Decimal
    after: str  # as printed: "K-48ES-5G"

    @property
    def unit(self) -> str:
        """The letters right after the range ("k"): a size typed alone must carry them."""
        return re.match(r"[a-z]*", self.after.casefold()).group()

    def named(self, typed: str, *, whole: bool = False) -> str:
        """The size's full name ("RHI-3.6K-48ES-5G") when ``typed`` names a size within the range, else empty.
        ``whole``: only the model's full name with the size in it counts (not "3.6K", not a name cut short)."""
        word, tail = compact(typed), compact(self.after)
        size = ""
        if found := re.fullmatch(rf"{re.escape(compact(self.before))}({_NUMBER})([a-z0-9.]*)", word):
            rest = found[2]
            cut_short = not whole and self.unit and rest.startswith(self.unit) and tail.startswith(rest)
            size = found[1] if rest == tail or cut_short else ""
        elif not whole and self.unit and (found := re.fullmatch(rf"({_NUMBER}){self.unit}", word)):
            size = found[1]
        if not size or not self.low <= Decimal(size) <= self.high:
            return ""
        return f"{self.before}{size}{self.after}"


def size_range(model: str) -> SizeRange | None:
    """The range in a model's name, or None when it names no range (or more than one)."""
    ranges = list(_RANGE.finditer(model))
    if len(ranges) != 1:
        return None
    found = ranges[0]
    try:
        low, high = Decimal(found["low"]), Decimal(found["high"])
    except InvalidOperation:  # pragma: no cover - the pattern only lets numbers through
        return None
    if low >= high:
        return None
    return SizeRange(model[: found.start()], low, high, model[found.end() :])
