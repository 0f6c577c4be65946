from rest_framework import serializers

from indicators.models import Indicator, IndicatorValue, Target

WORKFLOW_FIELDS = [
    "state", "author", "submitted_at", "reviewer", "reviewed_at", "review_comment",
    "created_at", "updated_at",
]  # fmt: skip


class IndicatorSerializer(serializers.ModelSerializer):
    section = serializers.IntegerField(source="expected_result.section_id", read_only=True)

    class Meta:
        model = Indicator
        fields = [
            "id", "code", "name", "description", "unit", "direction", "baseline_value",
            "baseline_year", "expected_result", "section", "department", "source",
            "computation", "accumulation", "updated_at",
        ]  # fmt: skip


class TargetSerializer(serializers.ModelSerializer):
    """A target value; `act` is the legal act that set it (null: the original target)."""

    class Meta:
        model = Target
        fields = ["id", "indicator", "year", "value", "act", "updated_at"]


class ActSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField()
    number = serializers.CharField()
    date = serializers.DateField()
    title = serializers.CharField()


class IndicatorValueSerializer(serializers.ModelSerializer):
    """A manual value. Written as a draft; the workflow actions move it on."""

    evidence_file = serializers.FileField(read_only=True)

    class Meta:
        model = IndicatorValue
        fields = [
            "id", "indicator", "year", "quarter", "value", "evidence_file", "evidence_url",
            "comment", *WORKFLOW_FIELDS,
        ]  # fmt: skip
        read_only_fields = WORKFLOW_FIELDS

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


class SeriesSerializer(serializers.Serializer):
    """Per year: target, approved actual, degree and status — the dashboard's numbers."""

    indicator = serializers.IntegerField(source="indicator_id")
    code = serializers.CharField()
    name = serializers.CharField()
    unit = serializers.CharField()
    direction = serializers.CharField()
    accumulation = serializers.CharField()
    baseline_value = serializers.DecimalField(max_digits=None, decimal_places=4, allow_null=True)
    baseline_year = serializers.IntegerField(allow_null=True)
    years = YearSeriesSerializer(many=True)
