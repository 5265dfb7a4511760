"""OpenAPI post-processing: answers every operation can give, documented once here instead of on each view."""

__all__ = ["add_common_errors"]

COMMON = {
    "400": "Invalid input (a parameter, the body, or a page size); `fields` names each field at fault.",
    "401": "The token is missing where required, malformed, unknown or expired.",
    "404": "No such object, or no such page of a list.",
    "429": "Too many requests; the Retry-After header says when to try again.",
}


def add_common_errors(result, generator, request, public):
    error = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
    for item in result.get("paths", {}).values():
        for operation in item.values():
            responses = operation.setdefault("responses", {})
            for status, description in COMMON.items():
                responses.setdefault(status, {"description": description, "content": error})
    return result
