from decimal import Decimal

from django import template
from django.utils.formats import number_format

from indicators.forms import plain_decimal
from indicators.selectors import Status, actual_text, target_text

register = template.Library()

# The Bootstrap colour of each status, wherever it is shown (badges, bars, counts).
STATUS_COLOURS = {
    Status.ACHIEVED: "success",
    Status.AT_RISK: "warning",
    Status.NOT_ACHIEVED: "danger",
    Status.MISSING: "secondary",
    Status.NONE: "light",
}


@register.filter
def status_colour(status):
    return STATUS_COLOURS[Status(status)]


@register.inclusion_tag("indicators/partials/status_badge.html")
def status_badge(status):
    return {
        "status": status,
        "label": Status(status).label,
        "css": f"text-bg-{status_colour(status)}" + (" border" if status == Status.NONE else ""),
    }


@register.filter
def amount(value):
    """A Decimal without trailing zeros, in the active language's format (12,5 in Russian)."""
    if value is None or value == "":
        return "—"
    return number_format(plain_decimal(Decimal(value)), force_grouping=True)


@register.filter
def target_cell(item):
    """A year's target: a number as ``amount`` shows it, or what a milestone is due to be."""
    text = target_text(item)
    return amount(text) if text is None or isinstance(text, Decimal) else str(text)


@register.filter
def actual_cell(item):
    """A year's actual: a number as ``amount`` shows it, or a milestone's status."""
    text = actual_text(item)
    return amount(text) if text is None or isinstance(text, Decimal) else str(text)
