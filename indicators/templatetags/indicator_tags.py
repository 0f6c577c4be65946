from decimal import Decimal

from django import template
from django.utils.formats import number_format

from indicators.forms import plain_decimal
from indicators.selectors import Status

register = template.Library()

BADGE_CLASSES = {
    Status.ACHIEVED: "text-bg-success",
    Status.AT_RISK: "text-bg-warning",
    Status.NOT_ACHIEVED: "text-bg-danger",
    Status.MISSING: "text-bg-secondary",
    Status.NONE: "text-bg-light border",
}


@register.inclusion_tag("indicators/partials/status_badge.html")
def status_badge(status):
    return {
        "status": status,
        "label": Status(status).label,
        "css": BADGE_CLASSES[Status(status)],
    }


@register.filter
def amount(value):
    """A Decimal without trailing zeros, in the active language's format (12,5 in Russian)."""
    if value is None or value == "":
        return "—"
    return number_format(plain_decimal(Decimal(value)), force_grouping=True)
