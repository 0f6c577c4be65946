from rest_framework import serializers

from accounts.people import PersonNameField
from core.filters import YEAR_MAX, YEAR_MIN
from indicators.models import VALUE_FIELD, Indicator, IndicatorValue, MilestoneStatus, Target

WORKFLOW_FIELDS = [
    "state", "author", "author_name", "submitted_at", "reviewer", "reviewer_name",
    "reviewed_at", "review_comment", "created_at", "updated_at",
]  # fmt: skip
# The database's checks (indicators.models), as the serializers validate and document them.
YEAR = {"min_value": YEAR_MIN, "max_value": YEAR_MAX}
QUARTER = {"min_value": 1, "max_value": 4}


def read_only(field_class, source, **kwargs):
    return field_class(source=source, read_only=True, **kwargs)


class IndicatorSerializer(serializers.ModelSerializer):
    """An indicator with its expected result, section and plan (ids, and the section's
    number and the plan's title to read them by)."""

    section = read_only(serializers.IntegerField, "expected_result.section_id")
    section_number = read_only(serializers.CharField, "expected_result.section.number")
    plan = read_only(serializers.IntegerField, "expected_result.section.plan_id")
    plan_title = read_only(serializers.CharField, "expected_result.section.plan.title")

    class Meta:
        model = Indicator
        fields = [
            "id", "code", "name", "kind", "description", "unit", "direction", "baseline_value",
            "baseline_year", "expected_result", "section", "section_number", "plan",
            "plan_title", "department", "source", "computation", "accumulation", "updated_at",
        ]  # fmt: skip
        extra_kwargs = {"baseline_year": YEAR}


class TargetSerializer(serializers.ModelSerializer):
    """A target value; `act` is the legal act that set it (null: the original target)."""

    class Meta:
        model = Target
        fields = ["id", "indicator", "year", "value", "act", "updated_at"]
        extra_kwargs = {"year": YEAR}


class ActSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField()
    number = serializers.CharField()
    date = serializers.DateField()
    title = serializers.CharField()


class IndicatorValueSerializer(serializers.ModelSerializer):
    """A manual value, with its indicator's code and unit, section and plan. Written as a
    draft; the workflow actions move it on. A numeric indicator's value has a number and an
    empty status; a milestone's (indicator kind "milestone") a status and a null number
    (indicators.services checks which, by the indicator's kind)."""

    indicator_code = read_only(serializers.CharField, "indicator.code")
    indicator_unit = read_only(serializers.CharField, "indicator.unit")
    section = read_only(serializers.IntegerField, "indicator.expected_result.section_id")
    section_number = read_only(serializers.CharField, "indicator.expected_result.section.number")
    plan = read_only(serializers.IntegerField, "indicator.expected_result.section.plan_id")
    plan_title = read_only(serializers.CharField, "indicator.expected_result.section.plan.title")
    evidence_file = serializers.FileField(read_only=True)
    value = serializers.DecimalField(
        max_digits=VALUE_FIELD["max_digits"],
        decimal_places=VALUE_FIELD["decimal_places"],
        allow_null=True,
        required=False,
        help_text="The number (null for a milestone).",
    )
    milestone_status = serializers.ChoiceField(
        choices=MilestoneStatus.choices,
        allow_blank=True,
        required=False,
        help_text="A milestone's status (empty for a numeric indicator).",
    )
    author_name = PersonNameField("author")
    reviewer_name = PersonNameField("reviewer")

    class Meta:
        model = IndicatorValue
        fields = [
            "id", "indicator", "indicator_code", "indicator_unit", "section", "section_number",
            "plan", "plan_title", "year", "quarter", "value", "milestone_status",
            "evidence_file", "evidence_url",
            "comment", *WORKFLOW_FIELDS,
        ]  # fmt: skip
        read_only_fields = WORKFLOW_FIELDS
        extra_kwargs = {"year": YEAR, "quarter": QUARTER}

    def validate_quarter(self, quarter):
        if quarter is not None and not 1 <= quarter <= 4:
            raise serializers.ValidationError(
                IndicatorValue._meta.get_field("quarter").verbose_name
            )
        return quarter


class YearSeriesSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    # The target in force at the end of the year (the degree is measured against it), the
    # original target, and the act that set the one in force (null: the original).
    target = serializers.DecimalField(max_digits=None, decimal_places=4, allow_null=True)
    original_target = serializers.DecimalField(max_digits=None, decimal_places=4, allow_null=True)
    target_act = ActSerializer(allow_null=True)
    actual = serializers.DecimalField(max_digits=None, decimal_places=4, allow_null=True)
    year_actual = serializers.DecimalField(max_digits=None, decimal_places=4, allow_null=True)
    degree = serializers.DecimalField(max_digits=None, decimal_places=4, allow_null=True)
    status = serializers.ChoiceField(
        choices=["achieved", "at_risk", "not_achieved", "missing", "none"]
    )
    exceeded = serializers.BooleanField()
    period_ended = serializers.BooleanField()
    # A milestone (indicator kind "milestone") has no target, actual or degree: whether it is
    # due by the end of the year, and its approved status ("" when none).
    milestone_due = serializers.BooleanField()
    milestone_status = serializers.ChoiceField(
        choices=[("", "none"), *MilestoneStatus.choices], allow_blank=True
    )


class SeriesSerializer(serializers.Serializer):
    """Per year: target, approved actual, degree and status — the dashboard's numbers."""

    indicator = serializers.IntegerField(source="indicator_id")
    code = serializers.CharField()
    name = serializers.CharField()
    unit = serializers.CharField()
    kind = serializers.ChoiceField(choices=Indicator.Kind.choices)
    direction = serializers.CharField()
    accumulation = serializers.CharField()
    baseline_value = serializers.DecimalField(max_digits=None, decimal_places=4, allow_null=True)
    baseline_year = serializers.IntegerField(allow_null=True)
    years = YearSeriesSerializer(many=True)
