"""US English (the sheet's en-us, on Letter): Django's English formats, month first."""

from django.conf.locale.en.formats import *  # noqa: F403
