from django.db.models import Max, Min
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers as drf_serializers
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from accounts.people import WORKFLOW_PEOPLE, WORKFLOW_PEOPLE_COLUMNS, person_names
from core.api.cache import cached_read
from core.api.viewsets import ReadOnlyViewSet, ReadWriteViewSet, call_service
from core.api.workflow import WorkflowActionsMixin
from core.filters import YEAR_MAX, YEAR_MIN
from indicators import selectors, services
from indicators.models import IndicatorValue, Target

from . import filters, serializers

YEAR = {"type": "integer", "minimum": YEAR_MIN, "maximum": YEAR_MAX}
YEAR_RANGE = [
    OpenApiParameter("year_from", YEAR, description="First year of the series."),
    OpenApiParameter("year_to", YEAR, description="Last year of the series."),
]


class YearRangeSerializer(drf_serializers.Serializer):
    year_from = drf_serializers.IntegerField(required=False, min_value=YEAR_MIN, max_value=YEAR_MAX)
    year_to = drf_serializers.IntegerField(required=False, min_value=YEAR_MIN, max_value=YEAR_MAX)

    def validate(self, attrs):
        first, last = attrs.get("year_from"), attrs.get("year_to")
        if first and last and first > last:
            raise drf_serializers.ValidationError(
                {"year_to": [_("The last year cannot come before the first.")]}
            )
        return attrs


class IndicatorViewSet(ReadOnlyViewSet):
    # The progress selector reads each indicator's section and plan: joined here, not per row.
    queryset = selectors.indicator_queryset().order_by("code")
    serializer_class = serializers.IndicatorSerializer
    filterset_class = filters.IndicatorApiFilter
    ordering_fields = ["code", "name", "updated_at", "id"]
    action_parameters = {"series_list": {"year_from", "year_to"}}

    @extend_schema(parameters=YEAR_RANGE, responses=serializers.SeriesSerializer)
    @action(detail=True, methods=["get"])
    @cached_read
    def series(self, request, pk=None):
        """Per year the baseline, target, approved actual, degree and status of one indicator."""
        indicator = self.get_object()
        return Response(self._series([indicator])[0])

    @extend_schema(parameters=YEAR_RANGE, responses=serializers.SeriesSerializer(many=True))
    @action(detail=False, methods=["get"], url_path="series")
    @cached_read
    def series_list(self, request):
        """The series of many indicators at once: the list's filters and paging apply."""
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response(self._series(page))

    def csv_table(self, rows):
        """The series as CSV: one row per indicator and year, the indicator's columns then the
        year's (core.api.renderers); an indicator without years is one row, its year empty. A
        nested object (the act that set a target) is spread over columns of its own
        (``target_act_number``, …), empty when there is none."""
        if self.action not in {"series", "series_list"}:
            return None
        indicator_columns = [
            name for name in serializers.SeriesSerializer().fields if name != "years"
        ]
        columns = [*indicator_columns, *_flat_columns(serializers.YearSeriesSerializer())]
        table = []
        for row in rows:
            base = {name: row.get(name) for name in indicator_columns}
            for year in row.get("years") or [{}]:
                table.append({**base, **_flat(year)})
        empty = dict.fromkeys(columns, "")
        return columns, [
            {**empty, **{k: "" if v is None else v for k, v in r.items()}} for r in table
        ]

    def _series(self, indicators):
        """The dashboard's numbers, from the same selector (approved values only)."""
        years = self._years(indicators)
        progress = selectors.indicator_progress(indicators, years)
        return serializers.SeriesSerializer(progress.indicators, many=True).data

    def _years(self, indicators):
        bounds = YearRangeSerializer(data=self.request.query_params)
        bounds.is_valid(raise_exception=True)
        first, last = bounds.validated_data.get("year_from"), bounds.validated_data.get("year_to")
        if first is None or last is None:
            # From the first plan year (after the baseline) to the last target of the lot.
            span = Target.objects.filter(indicator__in=indicators).aggregate(
                first=Min("year"), last=Max("year")
            )
            baselines = [i.baseline_year + 1 for i in indicators if i.baseline_year]
            first = first or min([*baselines, span["first"] or span["last"] or 2000])
            last = last or span["last"] or first
        return range(first, max(first, last) + 1)


class TargetViewSet(ReadOnlyViewSet):
    queryset = Target.objects.order_by("indicator", "year")
    serializer_class = serializers.TargetSerializer
    filterset_class = filters.TargetApiFilter
    ordering_fields = ["year", "updated_at", "id"]


class IndicatorValueViewSet(WorkflowActionsMixin, ReadWriteViewSet):
    """Manual indicator values. API clients see approved values only; staff also see the
    pending values of their own department (administrators: all)."""

    serializer_class = serializers.IndicatorValueSerializer
    filterset_class = filters.ValueApiFilter
    ordering_fields = ["year", "quarter", "updated_at", "id"]
    add_permission = "accounts.view_portal"  # the indicator's rules decide, in perform_create

    # Who entered and reviewed a value: names for staff, null for API clients.
    fast_list_expressions = WORKFLOW_PEOPLE_COLUMNS

    def get_queryset(self):
        return (
            IndicatorValue.objects.visible_to(self.request.user)
            .select_related("indicator__expected_result__section__plan")
            .annotate(**person_names(self.request.user, **WORKFLOW_PEOPLE))
            .order_by("indicator", "year", "quarter", "id")
        )

    def check_object_permissions(self, request, obj):
        # The value's rules are the indicator's (its department), as on the pages.
        if self.action in {"update", "partial_update"}:
            if not request.user.has_perm("indicators.edit_indicator_data", obj.indicator):
                raise PermissionDenied
            return
        super().check_object_permissions(request, obj)

    def perform_create(self, serializer):
        data = serializer.validated_data
        indicator = data["indicator"]
        # Who may enter it, and whether a computed indicator takes values, is the service's.
        serializer.instance = call_service(
            services.value_create,
            indicator=indicator,
            by=self.request.user,
            year=data["year"],
            quarter=data.get("quarter"),
            value=data.get("value"),
            milestone_status=data.get("milestone_status", ""),
            evidence_url=data.get("evidence_url", ""),
            comment=data.get("comment", ""),
        )

    def perform_update(self, serializer):
        item = serializer.instance
        data = serializer.validated_data
        if "indicator" in data and data["indicator"].pk != item.indicator_id:
            raise drf_serializers.ValidationError(
                {"indicator": [_("The indicator of a value cannot be changed; enter a new value.")]}
            )
        serializer.instance = call_service(
            services.value_update,
            item=item,
            by=self.request.user,
            year=data.get("year", item.year),
            quarter=data.get("quarter", item.quarter),
            value=data.get("value", item.value),
            milestone_status=data.get("milestone_status", item.milestone_status),
            evidence_url=data.get("evidence_url", item.evidence_url),
            comment=data.get("comment", item.comment),
        )


def _flat_columns(serializer):
    for name, field in serializer.fields.items():
        if isinstance(field, drf_serializers.Serializer):
            yield from (f"{name}_{inner}" for inner in field.fields)
        else:
            yield name


def _flat(row):
    flat = {}
    for name, value in row.items():
        if isinstance(value, dict):
            flat.update({f"{name}_{inner}": item for inner, item in value.items()})
        else:
            flat[name] = value
    return flat
