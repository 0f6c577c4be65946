"""What every form of the portal shares: Bootstrap classes, fast selects on filter forms."""

from django import forms

from .widgets import FastSelect


def style_fields(form):
    """Give each widget the Bootstrap class its kind needs (the CSP forbids inline styles, not
    classes), added to any class it already has; returns the form."""
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.CheckboxInput):
            css = "form-check-input"
        elif isinstance(widget, forms.Select | forms.SelectMultiple):
            css = "form-select"
        else:
            css = "form-control"
        classes = widget.attrs.get("class", "").split()
        if css not in classes:
            widget.attrs["class"] = " ".join([*classes, css])
    return form


def fast_selects(form):
    """Render the plain single selects of a filter form with FastSelect (a country list alone
    is 250 options, a city's departments hundreds); returns the form.

    Only for filters: FastSelect renders flat options, without groups."""
    for field in form.fields.values():
        widget = field.widget
        if type(widget) is forms.Select:
            fast = FastSelect(attrs=widget.attrs)
            fast.choices = widget.choices
            fast.is_required = widget.is_required
            field.widget = fast
    return form
