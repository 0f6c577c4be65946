"""Reads of the plan structure shared by the pages and the API."""

from django.db.models import Count, Prefetch
from django.shortcuts import get_object_or_404

from .models import Measure, Section, StrategicPlan


def plan_list():
    return StrategicPlan.objects.annotate(
        section_count=Count("sections", distinct=True),
        measure_count=Count("sections__measures", distinct=True),
    ).order_by("status", "title")


def plan_get(plan_id):
    sections = Section.objects.annotate(
        measure_count=Count("measures", distinct=True),
        task_count=Count("tasks", distinct=True),
        expected_result_count=Count("expected_results", distinct=True),
    ).order_by("position", "number")
    return get_object_or_404(
        StrategicPlan.objects.prefetch_related(Prefetch("sections", queryset=sections)),
        pk=plan_id,
    )


def section_get(section_id):
    measures = Measure.objects.select_related("department").prefetch_related("tasks")
    return get_object_or_404(
        Section.objects.select_related("plan", "parent").prefetch_related(
            "goals",
            "tasks",
            "expected_results",
            Prefetch("measures", queryset=measures),
        ),
        pk=section_id,
    )


def measure_groups(section):
    """The section's measures as [(group, [measures])], in plan order."""
    groups = {}
    for measure in section.measures.all():
        groups.setdefault(measure.group, []).append(measure)
    return sorted(groups.items())


def measure_get(measure_id):
    return get_object_or_404(
        Measure.objects.select_related("section__plan", "department").prefetch_related("tasks"),
        pk=measure_id,
    )
