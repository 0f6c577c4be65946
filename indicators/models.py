from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.roles import visibility_filter
from core.cache import watched
from core.history import HistoricalRecords
from core.uploads import UploadValidator
from core.workflow import WorkflowItem, WorkflowState

from . import computations

# Indicator values are entered with up to four decimal places (e.g. millions of US dollars).
VALUE_FIELD = {"max_digits": 20, "decimal_places": 4}


@watched
class Indicator(models.Model):
    class Direction(models.TextChoices):
        INCREASE = "increase", _("increase is better")
        DECREASE = "decrease", _("decrease is better")

    class Source(models.TextChoices):
        MANUAL = "manual", _("entered by hand")
        COMPUTED = "computed", _("computed from partner records")

    class Accumulation(models.TextChoices):
        PER_YEAR = "per_year", _("per year")
        CUMULATIVE = "cumulative", _("cumulative")

    class Kind(models.TextChoices):
        NUMERIC = "numeric", _("numeric")
        MILESTONE = "milestone", _("milestone")

    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=500)
    # A milestone is assessed by a yearly status (done / partly done / not done) instead of a
    # number: see IndicatorValue.milestone_status and selectors.assess_milestone.
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.NUMERIC)
    description = models.TextField(_("description"), blank=True)
    unit = models.CharField(_("unit"), max_length=64)
    direction = models.CharField(
        _("direction"), max_length=16, choices=Direction.choices, default=Direction.INCREASE
    )
    baseline_value = models.DecimalField(_("baseline value"), null=True, blank=True, **VALUE_FIELD)
    baseline_year = models.PositiveSmallIntegerField(_("baseline year"), null=True, blank=True)
    expected_result = models.ForeignKey(
        "activities.ExpectedResult",
        verbose_name=_("expected result"),
        on_delete=models.PROTECT,
        related_name="indicators",
    )
    department = models.ForeignKey(
        "activities.Department",
        verbose_name=_("responsible department"),
        on_delete=models.PROTECT,
        related_name="indicators",
    )
    source = models.CharField(
        _("source"), max_length=16, choices=Source.choices, default=Source.MANUAL
    )
    computation = models.CharField(
        _("computation"), max_length=64, blank=True, choices=computations.choices()
    )
    accumulation = models.CharField(
        _("accumulation"),
        max_length=16,
        choices=Accumulation.choices,
        default=Accumulation.PER_YEAR,
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True, db_index=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(source="computed", computation__gt="")
                | Q(source="manual", computation=""),
                name="indicator_computed_iff_computation",
            ),
            models.CheckConstraint(
                condition=Q(baseline_year__isnull=True)
                | (Q(baseline_year__gte=1900) & Q(baseline_year__lte=2100)),
                name="indicator_baseline_year_plausible",
            ),
            # A milestone's statuses are entered by hand, one a year, and add up to nothing.
            models.CheckConstraint(
                condition=Q(kind="numeric")
                | Q(kind="milestone", source="manual", accumulation="per_year"),
                name="indicator_milestone_manual_per_year",
                violation_error_message=_(
                    "A milestone is entered by hand, a status a year: it cannot be computed "
                    "or cumulative."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.code} {self.name}"

    def get_absolute_url(self):
        return reverse("indicators:indicator_detail", args=[self.pk])

    @property
    def is_computed(self):
        return self.source == self.Source.COMPUTED

    @property
    def is_cumulative(self):
        return self.accumulation == self.Accumulation.CUMULATIVE

    @property
    def is_milestone(self):
        return self.kind == self.Kind.MILESTONE


@watched
class Target(models.Model):
    """The planned value of an indicator for a year (a running total for cumulative ones).

    A milestone's target has no value: its row says the milestone is due — to be done by the
    end of that year. Whether a row may have a value depends on its indicator's kind, a rule
    across two tables, so ``services.targets_set`` (the one writer) enforces it.
    """

    indicator = models.ForeignKey(
        Indicator, verbose_name=_("indicator"), on_delete=models.CASCADE, related_name="targets"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    value = models.DecimalField(_("target value"), null=True, blank=True, **VALUE_FIELD)
    # The act that set this value; it takes effect from the act's date. NULL: the original
    # target (set with the plan, or the act is not known). A new act adds a row, never
    # overwrites one (selectors.targets_in_force picks the one in force).
    act = models.ForeignKey(
        "activities.LegalAct",
        verbose_name=_("set by act"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="targets",
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True, db_index=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("target value")
        verbose_name_plural = _("target values")
        ordering = ["indicator", "year"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "year", "act"],
                nulls_distinct=False,
                name="target_unique_per_year_and_act",
            ),
            models.CheckConstraint(
                condition=Q(year__gte=1900) & Q(year__lte=2100), name="target_year_plausible"
            ),
        ]

    def __str__(self):
        return f"{self.indicator.code} {self.year}: {self.value}"


class MilestoneStatus(models.TextChoices):
    """A milestone's status for a year (the head's assessment, design.md "qualitative")."""

    DONE = "done", _("done")
    PARTLY_DONE = "partly_done", _("partly done")
    NOT_DONE = "not_done", _("not done")


class IndicatorValueQuerySet(models.QuerySet):
    def approved(self):
        return self.filter(state=WorkflowState.APPROVED)

    def visible_to(self, user):
        """The values ``user`` may see (accounts.roles, "who sees what")."""
        return self.filter(visibility_filter(user, "indicator__department_id"))


@watched
class IndicatorValue(WorkflowItem):
    """An actual value for a year, or for one quarter of it, entered by hand with evidence.

    A numeric indicator's value has a number and no status; a milestone's has a status and no
    number (the database checks that a row has exactly one of them). Which one depends on the
    indicator's kind, a rule across two tables: ``services.value_create`` / ``value_update``
    (the one writer, used by the form and the API) enforce it, and a milestone's status is
    yearly (no quarter).
    """

    indicator = models.ForeignKey(
        Indicator, verbose_name=_("indicator"), on_delete=models.CASCADE, related_name="values"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    quarter = models.PositiveSmallIntegerField(_("quarter"), null=True, blank=True)
    value = models.DecimalField(_("actual value"), null=True, blank=True, **VALUE_FIELD)
    milestone_status = models.CharField(
        _("milestone status"), max_length=16, choices=MilestoneStatus.choices, blank=True
    )
    evidence_file = models.FileField(
        _("evidence file"),
        upload_to="indicator-values/%Y/",
        blank=True,
        validators=[UploadValidator()],
    )
    evidence_url = models.URLField(_("evidence link"), max_length=500, blank=True)
    comment = models.TextField(_("comment"), blank=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    objects = IndicatorValueQuerySet.as_manager()

    class Meta:
        verbose_name = _("indicator value")
        verbose_name_plural = _("indicator values")
        ordering = ["indicator", "year", "quarter"]
        # The sync cursor's key (core.api.pagination): a page is a range scan from its position.
        indexes = [models.Index(fields=["updated_at", "id"], name="indicator_value_sync")]
        constraints = [
            # NULLS NOT DISTINCT: a year has at most one yearly value (quarter NULL).
            models.UniqueConstraint(
                fields=["indicator", "year", "quarter"],
                name="indicator_value_unique_per_period",
                nulls_distinct=False,
            ),
            models.CheckConstraint(
                condition=Q(quarter__isnull=True) | (Q(quarter__gte=1) & Q(quarter__lte=4)),
                name="indicator_value_quarter_1_to_4",
            ),
            models.CheckConstraint(
                condition=Q(year__gte=1900) & Q(year__lte=2100),
                name="indicator_value_year_plausible",
            ),
            models.CheckConstraint(
                condition=Q(value__isnull=False, milestone_status="")
                | Q(value__isnull=True, milestone_status__in=MilestoneStatus.values),
                name="indicator_value_number_or_status",
                violation_error_message=_(
                    "A value is either a number (a numeric indicator) or a milestone's status."
                ),
            ),
        ]

    # The workflow's refusals (core.workflow), worded for a value.
    WORKFLOW_STATE_REFUSALS = {
        WorkflowState.DRAFT: _("The value is still a draft; it has not been submitted."),
        WorkflowState.SUBMITTED: _("The value has already been submitted for approval."),
        WorkflowState.APPROVED: _("The value has already been approved."),
        WorkflowState.RETURNED: _("The value has already been returned for revision."),
    }
    WORKFLOW_NOT_EDITABLE = _("%(reason)s Only a draft or a returned value can be changed.")
    WORKFLOW_COMMENT_REQUIRED = _("Say why the value is returned: the comment is required.")
    WORKFLOW_OWN_ITEM = _(
        "You entered this value yourself; another head or an administrator has to review it "
        "(four eyes)."
    )

    def __str__(self):
        shown = self.get_milestone_status_display() if self.milestone_status else self.value
        return f"{self.indicator_id} {self.period_label}: {shown}"

    @property
    def workflow_year(self):
        return self.year

    @property
    def period_label(self):
        return f"{self.year}" if self.quarter is None else f"{self.year} Q{self.quarter}"
