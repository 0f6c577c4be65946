from django import template
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from .. import selectors

register = template.Library()


@register.inclusion_tag("partners/partials/measure_partners.html", takes_context=True)
def measure_partners(context, measure):
    """The partners block of a measure page (activities' measure_detail.html includes it)."""
    request = context["request"]
    can_link = request.user.has_perm("partners.link_measure", measure)
    return {
        "request": request,
        "csrf_token": context.get("csrf_token"),
        "measure": measure,
        "can_link": can_link,
        **selectors.measure_partners(measure, with_choices=can_link),
    }


@register.simple_tag
def history_value(record, field_name, value):
    """A value from a history diff as an official reads it (labels, dates, names)."""
    if value is None or value == "":
        return "—"
    model_field = type(record)._meta.get_field(field_name)
    if model_field.many_to_many:
        target = model_field.related_model
        key = target._meta.model_name
        ids = [row.get(key) for row in value]
        names = [str(obj) for obj in target.objects.filter(pk__in=ids)]
        return "; ".join(sorted(names)) or "—"
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if model_field.is_relation:
        obj = model_field.related_model.objects.filter(pk=value).first()
        return str(obj) if obj else f"#{value}"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if hasattr(value, "strftime"):
        return date_format(value, "d.m.Y")
    return str(value)


@register.simple_tag
def field_label(record, field_name):
    return type(record)._meta.get_field(field_name).verbose_name


@register.simple_tag
def record_url(record_type, action, record):
    """URL of a record's page: record_url record_type "edit" record."""
    return record_type.url(action, record.pk)
