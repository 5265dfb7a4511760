"""Firmware conditions, as the catalog writes them: comma-separated clauses such as ">= 2.1", "< 4" or
"not 3.0-3.2" (a range excluded, both ends included). The engine compares nothing: it shows the condition to the
installer, who reads the versions on site; this module only checks that a condition is written so it can be
read the same way everywhere."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

__all__ = ["FIRMWARE_HELP", "FIRMWARE_REGEX", "firmware_condition"]

FIRMWARE_HELP = _('Firmware this needs, e.g. ">= 2.1", "not 3.0-3.2", ">= 2.1, < 4"; empty: no condition stated.')
VERSION = r"[0-9A-Za-z][0-9A-Za-z._-]*"
CLAUSE_PATTERN = rf"(?:(?:>=|<=|>|<|=) *{VERSION}|not +{VERSION} *- *{VERSION})"
CLAUSE = re.compile(rf"^{CLAUSE_PATTERN}$")
# The same rule for the database's check constraint and the files' JSON Schema: empty, or clauses joined by ", ".
FIRMWARE_REGEX = rf"^$|^{CLAUSE_PATTERN}(, *{CLAUSE_PATTERN})*$"


def firmware_condition(value: str) -> None:
    """Raise ValidationError unless ``value`` is empty or a list of clauses."""
    for clause in (part.strip() for part in value.split(",")) if value else ():
        if not CLAUSE.match(clause):
            raise ValidationError(
                _("'%(clause)s' is not a firmware condition: write '>= 2.1', '< 4' or 'not 3.0-3.2'."),
                params={"clause": clause},
                code="firmware",
            )
