"""The API's JSON parser: DRF's, with a bound on nesting. A body nested deeper than any request needs is a parse
error (400 in the error shape), never a RecursionError (500) here or in the validation that walks it later."""

from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser

__all__ = ["MAX_DEPTH", "BoundedJSONParser"]

MAX_DEPTH = 32  # a device with ports, pins and their sources nests 5 levels


def _depth(value) -> int:
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict | list):
            deepest = max(deepest, depth)
            children = item.values() if isinstance(item, dict) else item
            stack.extend((child, depth + 1) for child in children if isinstance(child, dict | list))
    return deepest


class BoundedJSONParser(JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError as error:
            raise ParseError(f"JSON parse error - the document nests deeper than {MAX_DEPTH} levels.") from error
        if _depth(data) > MAX_DEPTH:
            raise ParseError(f"JSON parse error - the document nests deeper than {MAX_DEPTH} levels.")
        return data
