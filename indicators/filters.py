import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from activities.models import Department, Section

from .forms import style_fields
from .models import Indicator
from .selectors import Status


class YearFilter(django_filters.NumberFilter):
    field_class = forms.IntegerField


class IndicatorFilter(django_filters.FilterSet):
    """Filters of the indicator list. `year` and `status` do not filter the queryset: the status
    is computed for the year by the progress selector, and the view filters its result."""

    section = django_filters.ModelChoiceFilter(
        label=_("Section"),
        field_name="expected_result__section",
        queryset=Section.objects.select_related("plan").order_by("plan__title", "position"),
        empty_label=_("all sections"),
    )
    department = django_filters.ModelChoiceFilter(
        label=_("Responsible department"),
        queryset=Department.objects.all(),
        empty_label=_("all departments"),
    )
    year = YearFilter(
        label=_("Year"),
        method="keep",
        min_value=1900,
        max_value=2100,
        error_messages={
            "invalid": _("Enter the year as a number, e.g. 2015."),
            "min_value": _("The year must be between 1900 and 2100."),
            "max_value": _("The year must be between 1900 and 2100."),
        },
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=Status.choices, method="keep", empty_label=_("any status")
    )

    class Meta:
        model = Indicator
        fields = ["section", "department", "year", "status"]

    @property
    def form(self):
        return style_fields(super().form)

    def keep(self, queryset, name, value):
        return queryset
