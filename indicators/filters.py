import django_filters
from django.utils.translation import gettext_lazy as _

from activities.models import Department, Section
from core.fields import CachedModelChoiceFilter
from core.filters import YearFilter
from core.forms import fast_selects, style_fields
from core.widgets import FastSelect

from .models import Indicator
from .selectors import Status


class IndicatorFilter(django_filters.FilterSet):
    """Filters of the indicator list. `year` and `status` do not filter the queryset: the status
    is computed for the year by the progress selector, and the view filters its result."""

    # The city's sections and departments, from the cache and rendered without a template per
    # option: hundreds of options were two thirds of the page's time.
    section = CachedModelChoiceFilter(
        cache_name="sections-by-plan",
        widget=FastSelect,
        label=_("Section"),
        field_name="expected_result__section",
        queryset=Section.objects.select_related("plan").order_by("plan__title", "position"),
        empty_label=_("all sections"),
    )
    department = CachedModelChoiceFilter(
        cache_name="departments",
        widget=FastSelect,
        label=_("Responsible department"),
        queryset=Department.objects.order_by("name"),
        empty_label=_("all departments"),
    )
    year = YearFilter(label=_("Year"), method="keep")
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=Status.choices, method="keep", empty_label=_("any status")
    )

    class Meta:
        model = Indicator
        fields = ["section", "department", "year", "status"]

    @property
    def form(self):
        return fast_selects(style_fields(super().form))

    def keep(self, queryset, name, value):
        return queryset
