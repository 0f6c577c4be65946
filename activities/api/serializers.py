from rest_framework import serializers

from accounts.people import PersonNameField
from activities.models import (
    Department,
    ExpectedResult,
    Goal,
    Measure,
    ProgressReport,
    Section,
    StrategicPlan,
    Task,
)


class DepartmentSerializer(serializers.ModelSerializer):
    class Meta:
        model = Department
        fields = ["id", "name", "short_name", "updated_at"]


class PlanSerializer(serializers.ModelSerializer):
    class Meta:
        model = StrategicPlan
        fields = [
            "id", "title", "legal_act", "horizon_year", "status", "repealed_on",
            "created_at", "updated_at",
        ]  # fmt: skip


class SectionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Section
        fields = [
            "id", "plan", "parent", "number", "kind", "title", "vision", "position",
            "updated_at",
        ]  # fmt: skip


class GoalSerializer(serializers.ModelSerializer):
    class Meta:
        model = Goal
        fields = ["id", "section", "position", "text", "updated_at"]


class TaskSerializer(serializers.ModelSerializer):
    class Meta:
        model = Task
        fields = ["id", "section", "number", "text", "updated_at"]


class ExpectedResultSerializer(serializers.ModelSerializer):
    class Meta:
        model = ExpectedResult
        fields = ["id", "section", "position", "text", "updated_at"]


class MeasureSerializer(serializers.ModelSerializer):
    code = serializers.CharField(read_only=True)
    tasks = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = Measure
        fields = [
            "id", "section", "code", "group", "number", "text", "tasks", "department",
            "status", "period_start", "period_end", "deadline", "planned_funding",
            "actual_funding", "updated_at",
        ]  # fmt: skip


class ProgressReportSerializer(serializers.ModelSerializer):
    evidence_file = serializers.FileField(read_only=True)
    author_name = PersonNameField("author")
    reviewer_name = PersonNameField("reviewer")

    class Meta:
        model = ProgressReport
        fields = [
            "id", "measure", "year", "quarter", "text", "percent_done", "evidence_file",
            "evidence_url", "state", "author", "author_name", "submitted_at", "reviewer",
            "reviewer_name", "reviewed_at", "review_comment", "created_at", "updated_at",
        ]  # fmt: skip
        read_only_fields = [
            "state", "author", "author_name", "submitted_at", "reviewer", "reviewer_name",
            "reviewed_at", "review_comment", "created_at", "updated_at",
        ]  # fmt: skip
        validators = []  # the service reports a duplicate period, in the same words as the form
