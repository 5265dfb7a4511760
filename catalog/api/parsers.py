"""The API's JSON parser: DRF's, with a bound on nesting. A body nested deeper than any request needs is a parse
error (400 in the error shape), never a RecursionError (500) here or in the validation that walks it later. A NUL
character, which PostgreSQL cannot store in text, is a 400 naming the field it is in, never a database error."""

from rest_framework.exceptions import ParseError, ValidationError
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


def _nul_path(value) -> str | None:
    """Where the first NUL character is in a parsed body (a key or a string), as a field path
    (``ports[0].name``), or None."""
    stack = [(value, "")]
    while stack:
        item, path = stack.pop()
        if isinstance(item, str):
            if "\x00" in item:
                return path or "body"
        elif isinstance(item, dict):
            for key, child in item.items():
                where = f"{path}.{key}" if path else str(key)
                if "\x00" in str(key):
                    return where.replace("\x00", "\\0")
                stack.append((child, where))
        elif isinstance(item, list):
            stack.extend((child, f"{path}[{n}]") for n, child in enumerate(item))
    return None


class BoundedJSONParser(JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError as error:
            raise ParseError(f"JSON parse error - the document nests deeper than {MAX_DEPTH} levels.") from error
        if _depth(data) > MAX_DEPTH:
            raise ParseError(f"JSON parse error - the document nests deeper than {MAX_DEPTH} levels.")
        if (path := _nul_path(data)) is not None:
            raise ValidationError({path: ["Contains a NUL character (\\u0000), which cannot be stored: remove it."]})
        return data
