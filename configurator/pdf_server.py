"""Imported once by the sheet renderer's fork server (see configurator.pdf): WeasyPrint loaded and its fonts
warm, so that each render, forked from that server, starts warm. Not imported by the web process."""

from configurator.pdf import warm_up

warm_up()
