from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.cache import watched


class Cause(models.TextChoices):
    """The kind of a deviation's cause, as a city's monitoring reports sort them: conditions
    inside the administration (internal) or outside it (external). The value's prefix is its
    group. UNSPECIFIED is for reasons written before causes had kinds (migration 0003); a head
    writing a cause now chooses a kind."""

    INTERNAL_ORGANISATIONAL = "internal_organisational", _("organisational")
    INTERNAL_STAFF = "internal_staff", _("staffing")
    INTERNAL_FUNDING = "internal_funding", _("financial (insufficient funding)")
    INTERNAL_REGULATION = "internal_regulation", _("regulatory (municipal legal acts)")
    INTERNAL_PLANNING = "internal_planning", _("planning errors (target set unrealistically)")
    EXTERNAL_LEGISLATION = "external_legislation", _("changes in federal or regional legislation")
    EXTERNAL_ECONOMY = "external_economy", _("economic conditions")
    EXTERNAL_PARTNERS = "external_partners", _("actions of partners and contractors")
    EXTERNAL_SANCTIONS = "external_sanctions", _("sanctions and foreign-policy restrictions")
    EXTERNAL_EMERGENCY = "external_emergency", _("epidemic, natural or other emergencies")
    UNSPECIFIED = "unspecified", _("not specified")


class CauseGroup(models.TextChoices):
    INTERNAL = "internal", _("internal conditions")
    EXTERNAL = "external", _("external conditions")
    UNSPECIFIED = "unspecified", _("not specified")


def cause_group(cause):
    """The group (CauseGroup) of a Cause value: its prefix."""
    prefix = str(cause).partition("_")[0]
    return CauseGroup(prefix) if prefix in CauseGroup.values else CauseGroup.UNSPECIFIED


def cause_choices():
    """The kinds a head chooses from, grouped as a select shows them (UNSPECIFIED left out)."""
    return [
        (
            group.label,
            [(c.value, c.label) for c in Cause if cause_group(c) == group],
        )
        for group in (CauseGroup.INTERNAL, CauseGroup.EXTERNAL)
    ]


@watched
class ReasonForDeviation(models.Model):
    """The cause of an indicator's deviation from its target in a year: its kind (internal or
    external conditions, Cause) and the head's text; with the corrective actions taken
    (CorrectiveAction). Written when the year is at risk or not achieved
    (selectors.deviation_status).

    It is printed beside the indicator in the annual monitoring report (page, XLSX and Word).
    """

    indicator = models.ForeignKey(
        "indicators.Indicator",
        verbose_name=_("indicator"),
        on_delete=models.CASCADE,
        related_name="reasons_for_deviation",
    )
    year = models.PositiveSmallIntegerField(_("year"))
    cause = models.CharField(
        _("kind of cause"), max_length=32, choices=Cause.choices, default=Cause.UNSPECIFIED
    )
    text = models.TextField(_("reason for deviation"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("reason for deviation")
        verbose_name_plural = _("reasons for deviation")
        ordering = ["indicator", "year"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "year"], name="reason_for_deviation_unique_per_year"
            ),
            models.CheckConstraint(
                condition=Q(year__gte=1900) & Q(year__lte=2100),
                name="reason_for_deviation_year_plausible",
            ),
        ]

    def __str__(self):
        return f"{self.indicator_id} {self.year}"

    @property
    def cause_group(self):
        return cause_group(self.cause)


@watched
class CorrectiveAction(models.Model):
    """A corrective action (корректирующее мероприятие) taken against a deviation: what is done,
    who answers for it, by when, and how far it has come. Tracked to done on the dashboards.

    The responsible person is free text (a name and a position), not a portal user: actions
    are often assigned to people who never sign in (a deputy mayor, a municipal enterprise's
    director, a partner's staff), and the report prints the name as the order gave it.
    """

    class Status(models.TextChoices):
        PLANNED = "planned", _("planned")
        IN_PROGRESS = "in_progress", _("in progress")
        DONE = "done", _("done")

    reason = models.ForeignKey(
        ReasonForDeviation,
        verbose_name=_("reason for deviation"),
        on_delete=models.CASCADE,
        related_name="actions",
    )
    text = models.TextField(_("corrective action"))
    responsible = models.CharField(_("responsible person"), max_length=200)
    responsible_position = models.CharField(
        _("position of the responsible person"), max_length=200, blank=True
    )
    due_on = models.DateField(_("due date"))
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.PLANNED
    )
    done_on = models.DateField(_("done on"), null=True, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("corrective action")
        verbose_name_plural = _("corrective actions")
        ordering = ["reason", "due_on", "pk"]
        indexes = [
            models.Index(
                fields=["due_on"],
                condition=~Q(status="done"),
                name="corrective_action_open_idx",
            )
        ]
        constraints = [
            # Done, and only done, has the day it was done.
            models.CheckConstraint(
                condition=(Q(status="done") & Q(done_on__isnull=False))
                | (~Q(status="done") & Q(done_on__isnull=True)),
                name="corrective_action_done_on_when_done",
            ),
        ]

    def __str__(self):
        return self.text[:80]

    @property
    def is_done(self):
        return self.status == self.Status.DONE


@watched
class PublishedReport(models.Model):
    """A year whose annual monitoring report a head or an administrator has published.

    Publishing is what lets a year's approved data leave the portal: the public portal and the
    open data show the years published here and nothing else (design.md, "Publication").
    """

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    published_at = models.DateTimeField(_("published"), auto_now_add=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("published by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("published annual report")
        verbose_name_plural = _("published annual reports")
        ordering = ["-year"]
        constraints = [
            models.CheckConstraint(
                condition=Q(year__gte=1900) & Q(year__lte=2100),
                name="published_report_year_plausible",
            ),
        ]

    def __str__(self):
        return str(self.year)


@watched
class SectionProposal(models.Model):
    """A head's proposals for a plan section in a year: what to change in the measures, the
    targets or the funding. Printed at the end of the section in the annual report (page, XLSX
    and Word), as the strategic-planning law's report asks."""

    section = models.ForeignKey(
        "activities.Section",
        verbose_name=_("section"),
        on_delete=models.CASCADE,
        related_name="proposals",
    )
    year = models.PositiveSmallIntegerField(_("year"))
    text = models.TextField(_("proposals"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("proposals for a section")
        verbose_name_plural = _("proposals for sections")
        ordering = ["section", "year"]
        constraints = [
            models.UniqueConstraint(
                fields=["section", "year"], name="section_proposal_unique_per_year"
            ),
            models.CheckConstraint(
                condition=Q(year__gte=1900) & Q(year__lte=2100),
                name="section_proposal_year_plausible",
            ),
        ]

    def __str__(self):
        return f"{self.section_id} {self.year}"
