"""Spreadsheets the portal writes (exports) and reads (imports), made safe in one place.

Exports: a text cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return
is what Excel and LibreOffice evaluate as a formula ("CSV injection", OWASP); ``neutralise``
prefixes such text with an apostrophe, so it is shown as typed and never run. Numbers (and text
that is only a number, like the ``"-12.5000"`` DRF writes for a decimal) stay as they are. Every
export calls it: the partner registers and the admin's (``partners.resources``), the annual
report (``dashboards.reports``) and the API's CSV (``khv_strategy.api.renderers``).
"""

import re

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
# A plain number written as text: a spreadsheet reads it as that number, never as a formula.
NUMBER_RE = re.compile(r"[+-]?(?:\d+(?:[.,]\d*)?|[.,]\d+)(?:[eE][+-]?\d+)?")


def neutralise(value):
    """The value as a spreadsheet may show it: formula-like text gets a leading apostrophe."""
    text = isinstance(value, str) and value.startswith(FORMULA_TRIGGERS)
    if text and not NUMBER_RE.fullmatch(value):
        return "'" + value
    return value


def neutralise_row(values):
    return [neutralise(value) for value in values]
