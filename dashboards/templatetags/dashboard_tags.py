from django import template

from dashboards.models import cause_choices

register = template.Library()


@register.filter
def bar_width(percent):
    """A percentage as the whole number 0–100 that names its CSS width class (pct-N): the CSP
    forbids inline styles, so the progress bars' widths live in dashboards.css."""
    if percent is None:
        return 0
    return max(0, min(100, int(round(percent))))


@register.filter
def get_item(mapping, key):
    return mapping.get(key, 0) if mapping else 0


@register.filter
def in_set(value, values):
    return value in values


@register.filter
def raw(value):
    """A value for a data attribute: never localised ("120.5", not "120,5"), "" for None."""
    return "" if value is None else str(value)


@register.simple_tag
def cause_kinds():
    """The kinds of a deviation's cause, grouped (internal, external), for the cause form."""
    return cause_choices()
