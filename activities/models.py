from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext

from accounts.roles import visibility_filter
from core.cache import watched
from core.history import HistoricalRecords
from core.uploads import UploadValidator
from core.workflow import WorkflowItem, WorkflowState


@watched
class Department(models.Model):
    name = models.CharField(_("name"), max_length=255, unique=True)
    short_name = models.CharField(_("short name"), max_length=64, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True, db_index=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("department")
        verbose_name_plural = _("departments")
        ordering = ["name"]

    def __str__(self):
        return self.short_name or self.name


@watched
class LegalAct(models.Model):
    """A legal act that approves, amends or repeals a plan (a City Duma decision, a decree)."""

    class Kind(models.TextChoices):
        DUMA_DECISION = "duma_decision", _("City Duma decision")
        ADMINISTRATION_DECREE = "administration_decree", _("administration decree")
        MAYOR_DECREE = "mayor_decree", _("mayor's decree")
        OTHER = "other", _("other act")

    kind = models.CharField(
        _("kind of act"), max_length=32, choices=Kind.choices, default=Kind.DUMA_DECISION
    )
    number = models.CharField(_("number"), max_length=64)
    date = models.DateField(_("date of the act"))
    issuer = models.CharField(_("issued by"), max_length=255, blank=True)
    title = models.CharField(_("title"), max_length=1000)
    url = models.URLField(_("link"), max_length=500, blank=True)
    file = models.FileField(
        _("file"), upload_to="acts/%Y/", max_length=255, blank=True, validators=[UploadValidator()]
    )
    illustrative = models.BooleanField(
        _("illustrative example"),
        default=False,
        help_text=_("Demo data: not a real act."),
    )

    class Meta:
        verbose_name = _("legal act")
        verbose_name_plural = _("legal acts")
        ordering = ["date", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "number", "date"], name="legal_act_unique_kind_number_date"
            )
        ]

    def __str__(self):
        return _("%(kind)s of %(date)s No. %(number)s") % {
            "kind": self.get_kind_display(),
            "date": self.date.strftime("%d.%m.%Y"),
            "number": self.number,
        }


# A plan imported from the act that approved it carries the act's title, and Russian act
# titles name what they approve in the genitive: "Об утверждении Стратегического плана …".
APPROVAL_TITLE_PREFIX = "Об утверждении "


def plan_in_genitive(title):
    """The plan's name as it follows "of" in a sentence ("о ходе реализации …").

    For a title in the act's form, the words after "Об утверждении" (already in the genitive);
    otherwise "стратегического плана «title»".
    """
    if title.startswith(APPROVAL_TITLE_PREFIX) and len(title) > len(APPROVAL_TITLE_PREFIX):
        return title.removeprefix(APPROVAL_TITLE_PREFIX)
    return pgettext("genitive", "the strategic plan “%(title)s”") % {"title": title}


@watched
class StrategicPlan(models.Model):
    class Status(models.TextChoices):
        IN_FORCE = "in_force", _("in force")
        REPEALED = "repealed", _("repealed")

    title = models.CharField(_("title"), max_length=500, unique=True)
    legal_act = models.CharField(_("legal act"), max_length=1000, blank=True)
    horizon_year = models.PositiveSmallIntegerField(_("horizon year"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.IN_FORCE
    )
    repealed_on = models.DateField(_("repealed on"), null=True, blank=True)
    source_text = models.TextField(_("source text"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    # For the deletions feed (a tombstone when a plan is deleted); the source text is kept
    # by the plan itself, not copied into each history row.
    history = HistoricalRecords(excluded_fields=["updated_at", "source_text"])

    class Meta:
        verbose_name = _("strategic plan")
        verbose_name_plural = _("strategic plans")
        ordering = ["title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="in_force", repealed_on__isnull=True) | Q(status="repealed"),
                name="plan_repeal_date_only_when_repealed",
            )
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("activities:plan_detail", args=[self.pk])


@watched
class PlanRevision(models.Model):
    """One change of a plan: its approval, an amendment or repeal by an act, or a correction of
    the text made without an act. ``changes`` lists what the revision changed, as the preview
    showed it."""

    class Role(models.TextChoices):
        APPROVAL = "approval", _("approval")
        AMENDMENT = "amendment", _("amendment")
        REPEAL = "repeal", _("repeal")
        CORRECTION = "correction", _("correction without an act")

    plan = models.ForeignKey(
        StrategicPlan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="revisions"
    )
    act = models.ForeignKey(
        LegalAct,
        verbose_name=_("legal act"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="revisions",
    )
    role = models.CharField(_("role"), max_length=16, choices=Role.choices)
    # The act's date; for a correction the day it was made.
    effective_date = models.DateField(_("in force from"))
    changes = models.JSONField(_("changes"), default=list, blank=True)
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("plan revision")
        verbose_name_plural = _("plan revisions")
        ordering = ["plan", "effective_date", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "act"],
                condition=Q(act__isnull=False),
                name="plan_revision_one_per_act",
            ),
            models.CheckConstraint(
                condition=Q(role="correction", act__isnull=True)
                | (~Q(role="correction") & Q(act__isnull=False)),
                name="plan_revision_act_unless_correction",
            ),
        ]

    def __str__(self):
        if self.act_id:
            return f"{self.get_role_display()}: {self.act}"
        return f"{self.get_role_display()} {self.effective_date:%d.%m.%Y}"


@watched
class Section(models.Model):
    plan = models.ForeignKey(
        StrategicPlan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="sections"
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent section"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="children",
    )
    number = models.CharField(_("number"), max_length=32)
    kind = models.CharField(_("kind"), max_length=100, blank=True, default="")
    title = models.CharField(_("title"), max_length=500)
    vision = models.TextField(_("vision"), blank=True)
    position = models.PositiveIntegerField(_("position"), default=0)
    updated_at = models.DateTimeField(_("updated"), auto_now=True, db_index=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("section")
        verbose_name_plural = _("sections")
        ordering = ["plan", "position", "number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="section_number_unique_in_plan")
        ]

    def __str__(self):
        return f"{self.number} {self.title}"

    def get_absolute_url(self):
        return reverse("activities:section_detail", args=[self.pk])


@watched
class Goal(models.Model):
    section = models.ForeignKey(
        Section, verbose_name=_("section"), on_delete=models.CASCADE, related_name="goals"
    )
    position = models.PositiveIntegerField(_("position"), default=1)
    text = models.TextField(_("text"))
    updated_at = models.DateTimeField(_("updated"), auto_now=True, db_index=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("goal")
        verbose_name_plural = _("goals")
        ordering = ["section", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["section", "position"], name="goal_position_unique_in_section"
            )
        ]

    def __str__(self):
        return self.text


@watched
class Task(models.Model):
    section = models.ForeignKey(
        Section, verbose_name=_("section"), on_delete=models.CASCADE, related_name="tasks"
    )
    number = models.PositiveIntegerField(_("number"))
    text = models.TextField(_("text"))
    updated_at = models.DateTimeField(_("updated"), auto_now=True, db_index=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("task")
        verbose_name_plural = _("tasks")
        ordering = ["section", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["section", "number"], name="task_number_unique_in_section"
            )
        ]

    def __str__(self):
        return f"{self.number}. {self.text}"


class MeasureQuerySet(models.QuerySet):
    def in_force_on(self, day):
        """The measures the plan contained on ``day``."""
        return self.filter(Q(in_force_from__isnull=True) | Q(in_force_from__lte=day)).filter(
            Q(excluded_on__isnull=True) | Q(excluded_on__gt=day)
        )

    def late(self, today):
        """Measures whose deadline has passed and that are not done or cancelled."""
        return self.filter(deadline__lt=today).exclude(
            status__in=[Measure.Status.DONE, Measure.Status.CANCELLED]
        )


@watched
class Measure(models.Model):
    class Status(models.TextChoices):
        PLANNED = "planned", _("planned")
        IN_PROGRESS = "in_progress", _("in progress")
        DONE = "done", _("done")
        CANCELLED = "cancelled", _("cancelled")

    section = models.ForeignKey(
        Section, verbose_name=_("section"), on_delete=models.CASCADE, related_name="measures"
    )
    # The plan text restarts its measure numbering; each restart begins a new group.
    group = models.PositiveSmallIntegerField(_("group of measures"), default=1)
    number = models.PositiveSmallIntegerField(_("number"))
    text = models.TextField(_("text"))
    tasks = models.ManyToManyField(
        Task, verbose_name=_("tasks"), blank=True, related_name="measures"
    )
    department = models.ForeignKey(
        Department,
        verbose_name=_("responsible department"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="measures",
    )
    period_start = models.PositiveSmallIntegerField(_("start year"), null=True, blank=True)
    period_end = models.PositiveSmallIntegerField(_("end year"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.PLANNED
    )
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    planned_funding = models.DecimalField(
        _("planned funding, thousand roubles"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
    )
    actual_funding = models.DecimalField(
        _("actual funding, thousand roubles"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
    )
    # In force from the date of the act that added it (NULL: since the plan's approval) until
    # the date of the act that excluded it (never deleted when it has records).
    in_force_from = models.DateField(_("in force from"), null=True, blank=True)
    excluded_on = models.DateField(_("excluded from"), null=True, blank=True)
    excluded_by = models.ForeignKey(
        PlanRevision,
        verbose_name=_("excluded by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="excluded_measures",
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    history = HistoricalRecords()

    objects = MeasureQuerySet.as_manager()

    class Meta:
        verbose_name = _("measure")
        verbose_name_plural = _("measures")
        ordering = ["section", "group", "number"]
        constraints = [
            # A measure excluded by an act keeps its number; a new one may take it.
            models.UniqueConstraint(
                fields=["section", "group", "number"],
                condition=Q(excluded_on__isnull=True),
                name="measure_number_unique_in_group",
            ),
            models.CheckConstraint(
                condition=Q(period_end__isnull=True)
                | Q(period_start__isnull=True)
                | Q(period_end__gte=F("period_start")),
                name="measure_period_ordered",
            ),
            models.CheckConstraint(
                condition=Q(planned_funding__isnull=True) | Q(planned_funding__gte=0),
                name="measure_planned_funding_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(actual_funding__isnull=True) | Q(actual_funding__gte=0),
                name="measure_actual_funding_not_negative",
            ),
        ]

    def __str__(self):
        return f"{self.code} {self.text[:80]}"

    def get_absolute_url(self):
        return reverse("activities:measure_detail", args=[self.pk])

    @property
    def code(self):
        """Group and number as the plan prints them, e.g. "2.3" for the third of group two."""
        return f"{self.group}.{self.number}"

    def in_force(self, day):
        return (self.in_force_from is None or self.in_force_from <= day) and (
            self.excluded_on is None or self.excluded_on > day
        )


@watched
class MeasureWording(models.Model):
    """A measure's text from a date on: the original wording (``valid_from`` NULL) and each
    rewording by an act. The plan as of a date reads the latest wording valid then; a
    correction without an act fixes the wording it corrects in place."""

    measure = models.ForeignKey(
        Measure, verbose_name=_("measure"), on_delete=models.CASCADE, related_name="wordings"
    )
    text = models.TextField(_("text"))
    valid_from = models.DateField(_("in force from"), null=True, blank=True)
    revision = models.ForeignKey(
        PlanRevision,
        verbose_name=_("revision"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="wordings",
    )

    class Meta:
        verbose_name = _("wording of a measure")
        verbose_name_plural = _("wordings of measures")
        ordering = ["measure", F("valid_from").asc(nulls_first=True), "pk"]

    def __str__(self):
        return self.text[:80]


@watched
class ExpectedResult(models.Model):
    section = models.ForeignKey(
        Section,
        verbose_name=_("section"),
        on_delete=models.CASCADE,
        related_name="expected_results",
    )
    position = models.PositiveIntegerField(_("position"))
    text = models.TextField(_("text"))
    updated_at = models.DateTimeField(_("updated"), auto_now=True, db_index=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("expected result")
        verbose_name_plural = _("expected results")
        ordering = ["section", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["section", "position"], name="expected_result_position_unique"
            )
        ]

    def __str__(self):
        return self.text


@watched
class ReportingYear(models.Model):
    """A reporting year an administrator can close: nothing dated in a locked year is created,
    edited, submitted or approved until it is opened again (core.workflow checks it)."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    locked = models.BooleanField(_("closed for changes"), default=False)
    locked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("closed by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    locked_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("reporting year")
        verbose_name_plural = _("reporting years")
        ordering = ["-year"]
        constraints = [
            models.CheckConstraint(
                condition=Q(year__gte=1990) & Q(year__lte=2100), name="reporting_year_plausible"
            )
        ]

    def __str__(self):
        return str(self.year)


class ProgressReportQuerySet(models.QuerySet):
    def approved(self):
        return self.filter(state=WorkflowState.APPROVED)

    def visible_to(self, user):
        """The reports ``user`` may see (accounts.roles, "who sees what")."""
        return self.filter(visibility_filter(user, "measure__department_id"))

    def latest_first(self):
        # A whole-year report (no quarter) sums the year up, so it comes before its quarters.
        return self.order_by("-year", F("quarter").desc(nulls_first=True), "-pk")


@watched
class ProgressReport(WorkflowItem):
    """What a department reports on a measure for a year or a quarter of it."""

    class Quarter(models.IntegerChoices):
        Q1 = 1, _("1st quarter")
        Q2 = 2, _("2nd quarter")
        Q3 = 3, _("3rd quarter")
        Q4 = 4, _("4th quarter")

    measure = models.ForeignKey(
        Measure, verbose_name=_("measure"), on_delete=models.PROTECT, related_name="reports"
    )
    year = models.PositiveSmallIntegerField(
        _("year"),
        validators=[
            MinValueValidator(1990, _("The year must be between 1990 and 2100.")),
            MaxValueValidator(2100, _("The year must be between 1990 and 2100.")),
        ],
    )
    quarter = models.PositiveSmallIntegerField(
        _("quarter"),
        choices=Quarter.choices,
        null=True,
        blank=True,
        help_text=_("Leave empty for a report on the whole year."),
    )
    text = models.TextField(_("what has been done"))
    percent_done = models.PositiveSmallIntegerField(
        _("percent done"),
        validators=[
            MinValueValidator(0, _("Percent done must be between 0 and 100.")),
            MaxValueValidator(100, _("Percent done must be between 0 and 100.")),
        ],
    )
    evidence_file = models.FileField(
        _("evidence file"),
        upload_to="reports/%Y/",
        max_length=255,
        blank=True,
        validators=[UploadValidator()],
    )
    evidence_url = models.URLField(_("evidence link"), max_length=500, blank=True)
    history = HistoricalRecords()

    objects = ProgressReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("progress report")
        verbose_name_plural = _("progress reports")
        ordering = ["-year", F("quarter").desc(nulls_first=True), "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["measure", "year", "quarter"],
                nulls_distinct=False,
                name="progress_report_one_per_period",
                violation_error_message=_(
                    "There is already a report on this measure for this period."
                ),
            ),
            models.CheckConstraint(
                condition=Q(quarter__isnull=True) | Q(quarter__gte=1, quarter__lte=4),
                name="progress_report_quarter_1_to_4",
            ),
            models.CheckConstraint(
                condition=Q(percent_done__gte=0, percent_done__lte=100),
                name="progress_report_percent_0_to_100",
            ),
            models.CheckConstraint(
                condition=Q(year__gte=1990) & Q(year__lte=2100),
                name="progress_report_year_plausible",
            ),
        ]

    def __str__(self):
        return f"{self.period} · {self.percent_done} %"

    def get_absolute_url(self):
        return reverse("activities:report_detail", args=[self.pk])

    @property
    def workflow_year(self):
        return self.year

    @property
    def period(self):
        if self.quarter:
            return f"{self.year}, {self.get_quarter_display()}"
        return _("%(year)s, whole year") % {"year": self.year}
