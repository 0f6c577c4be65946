from rest_framework import viewsets

from activities import filters
from activities.models import (
    Department,
    ExpectedResult,
    Goal,
    Measure,
    Section,
    StrategicPlan,
    Task,
)
from khv_strategy.api.conditional import ConditionalReadMixin

from . import serializers


class ReadOnlyViewSet(ConditionalReadMixin, viewsets.ReadOnlyModelViewSet):
    """Read endpoints of the plan structure; every list is paginated and ordered."""


class DepartmentViewSet(ReadOnlyViewSet):
    queryset = Department.objects.order_by("name")
    serializer_class = serializers.DepartmentSerializer
    ordering_fields = ["name", "id"]


class PlanViewSet(ReadOnlyViewSet):
    queryset = StrategicPlan.objects.order_by("title")
    serializer_class = serializers.PlanSerializer
    filterset_class = filters.PlanFilter
    ordering_fields = ["title", "updated_at", "id"]


class SectionViewSet(ReadOnlyViewSet):
    queryset = Section.objects.order_by("plan", "position", "number")
    serializer_class = serializers.SectionSerializer
    filterset_class = filters.SectionFilter
    ordering_fields = ["number", "position", "id"]


class GoalViewSet(ReadOnlyViewSet):
    queryset = Goal.objects.order_by("section", "position")
    serializer_class = serializers.GoalSerializer
    filterset_class = filters.GoalFilter
    ordering_fields = ["position", "id"]


class TaskViewSet(ReadOnlyViewSet):
    queryset = Task.objects.order_by("section", "number")
    serializer_class = serializers.TaskSerializer
    filterset_class = filters.TaskFilter
    ordering_fields = ["number", "id"]


class ExpectedResultViewSet(ReadOnlyViewSet):
    queryset = ExpectedResult.objects.order_by("section", "position")
    serializer_class = serializers.ExpectedResultSerializer
    filterset_class = filters.ExpectedResultFilter
    ordering_fields = ["position", "id"]


class MeasureViewSet(ReadOnlyViewSet):
    queryset = Measure.objects.prefetch_related("tasks").order_by("section", "group", "number")
    serializer_class = serializers.MeasureSerializer
    filterset_class = filters.MeasureFilter
    ordering_fields = ["group", "number", "deadline", "updated_at", "id"]
