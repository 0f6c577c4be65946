"""The API's JSON parser: DRF's, refusing two kinds of body its decoder lets through.

- Nesting: Python's decoder recurses once per level, so a body nested a few thousand levels
  deep raises RecursionError (a 500), and one a few hundred deep still reaches code that
  recurses over it. No body of this API nests more than a few levels; past MAX_DEPTH it is a
  400.
- Numbers out of a float's range: ``1e309`` is decoded as infinity, which no id, integer or
  decimal can hold (an id lookup raises OverflowError). DRF's strict mode already refuses the
  ``Infinity`` and ``NaN`` literals; a literal that overflows to them is refused the same way.
"""

import codecs
import json
import math

from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, parsers

MAX_DEPTH = 32


class BodyRefused(exceptions.ParseError):
    """A parse error with its own message (the error body gives it in both languages)."""

    def __init__(self, message):
        self.lazy_message = message
        super().__init__(detail=message)


def _finite_float(text):
    value = float(text)
    if not math.isfinite(value):
        raise BodyRefused(_("A number in the request body is too large."))
    return value


def _refuse_constant(name):  # NaN, Infinity, -Infinity
    raise BodyRefused(_("A number in the request body is too large."))


def _too_deep(data):
    pending = [(data, 1)]
    while pending:
        value, depth = pending.pop()
        if isinstance(value, dict):
            value = value.values()
        elif not isinstance(value, list):
            continue
        if depth > MAX_DEPTH:
            return True
        pending.extend((item, depth + 1) for item in value)
    return False


class JSONParser(parsers.JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        encoding = parsers.get_encoding(parser_context or {})
        try:
            data = json.load(
                codecs.getreader(encoding)(stream),
                parse_float=_finite_float,
                parse_constant=_refuse_constant,
            )
        except RecursionError as error:
            raise BodyRefused(_("The request body is nested too deeply.")) from error
        except ValueError as error:
            raise exceptions.ParseError(f"JSON parse error - {error}") from error
        if _too_deep(data):
            raise BodyRefused(_("The request body is nested too deeply."))
        return data
