"""API filters of indicators, targets and values (the page filters plus what clients sync by)."""

import django_filters
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.filters import QuarterFilter, UpdatedSinceFilterSet, YearFilter
from core.workflow import WorkflowState
from indicators.filters import IndicatorFilter
from indicators.models import IndicatorValue, Target
from indicators.selectors import indicator_progress


class IndicatorApiFilter(IndicatorFilter, UpdatedSinceFilterSet):
    """The indicator list's filters; `status` keeps the indicators with that status in `year`
    (this year when not given), computed by the progress selector in a constant number of
    queries."""

    plan = django_filters.NumberFilter(field_name="expected_result__section__plan", label=_("plan"))

    class Meta(IndicatorFilter.Meta):
        fields = [*IndicatorFilter.Meta.fields, "expected_result", "source", "plan"]

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        status = self.form.cleaned_data.get("status")
        if not status:
            return queryset
        year = self.form.cleaned_data.get("year") or timezone.localdate().year
        progress = indicator_progress(queryset, [year])
        wanted = [
            item.indicator_id
            for item in progress.indicators
            if (item.for_year(year) and item.for_year(year).status == status)
        ]
        return queryset.filter(pk__in=wanted)


class YearRangeFilterSet(UpdatedSinceFilterSet):
    year = YearFilter(field_name="year")
    year_from = YearFilter(field_name="year", lookup_expr="gte")
    year_to = YearFilter(field_name="year", lookup_expr="lte")
    section = django_filters.NumberFilter(
        field_name="indicator__expected_result__section", label=_("section")
    )
    department = django_filters.NumberFilter(field_name="indicator__department")


class TargetApiFilter(YearRangeFilterSet):
    class Meta:
        model = Target
        fields = ["indicator"]


class ValueApiFilter(YearRangeFilterSet):
    quarter = QuarterFilter(label=_("quarter"))
    state = django_filters.ChoiceFilter(choices=WorkflowState.choices)

    class Meta:
        model = IndicatorValue
        fields = ["indicator", "quarter", "state"]
