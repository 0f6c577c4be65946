"""Filter pieces shared by every app's FilterSets (pages and REST API alike)."""

import datetime

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _


class UtcDateTimeField(forms.DateTimeField):
    """An ISO 8601 moment, normalised to UTC.

    PostgreSQL refuses UTC offsets beyond ±15:59 that Python accepts, so the value is converted
    here instead of being sent with its offset; a moment outside the calendar is a 400.
    """

    def to_python(self, value):
        moment = super().to_python(value)
        if moment is None or moment.tzinfo is None:
            return moment
        try:
            return moment.astimezone(datetime.UTC)
        except OverflowError as error:
            raise forms.ValidationError(
                _("Enter a valid date and time."), code="invalid"
            ) from error


class IsoUtcDateTimeField(django_filters.fields.IsoDateTimeField, UtcDateTimeField):
    pass


class UtcDateTimeFilter(django_filters.IsoDateTimeFilter):
    field_class = IsoUtcDateTimeField


class UpdatedSinceFilterSet(django_filters.FilterSet):
    """`updated_since`: rows changed at or after a moment, so a client can sync incrementally."""

    # Pages offer a date picker (a date is read as its midnight); the API also takes a
    # moment in ISO 8601.
    updated_since = UtcDateTimeFilter(
        field_name="updated_at",
        lookup_expr="gte",
        label=_("changed since (date)"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )


# The calendar years the portal accepts anywhere (pages, API, imports).
YEAR_MIN, YEAR_MAX = 1900, 2100


class YearField(forms.IntegerField):
    default_error_messages = {
        "invalid": _("Enter the year as a number, e.g. 2015."),
        "min_value": _("The year must be between 1900 and 2100."),
        "max_value": _("The year must be between 1900 and 2100."),
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", YEAR_MIN)
        kwargs.setdefault("max_value", YEAR_MAX)
        super().__init__(**kwargs)


class YearFilter(django_filters.NumberFilter):
    """A calendar year, 1900–2100: a whole number, so "0.0" or "1e9" is a 400, not a 500."""

    field_class = YearField


class QuarterField(forms.IntegerField):
    default_error_messages = {
        "invalid": _("Enter the quarter as a number from 1 to 4."),
        "min_value": _("Enter the quarter as a number from 1 to 4."),
        "max_value": _("Enter the quarter as a number from 1 to 4."),
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", 4)
        super().__init__(**kwargs)


class QuarterFilter(django_filters.NumberFilter):
    """A quarter, 1–4: anything else is a 400, not an empty list."""

    field_class = QuarterField
