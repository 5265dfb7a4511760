"""Conductor colours of an 8-conductor patch cable under T568B and T568A."""

__all__ = ["COLOUR_STANDARDS", "conductor_colour"]

T568B = {
    1: "white/orange",
    2: "orange",
    3: "white/green",
    4: "blue",
    5: "white/blue",
    6: "green",
    7: "white/brown",
    8: "brown",
}
T568A = {**T568B, 1: "white/green", 2: "green", 3: "white/orange", 6: "orange"}
COLOUR_STANDARDS = {"t568b": T568B, "t568a": T568A}


def conductor_colour(standard: str, position: int | str | None) -> str | None:
    return COLOUR_STANDARDS[standard].get(position) if isinstance(position, int) else None
