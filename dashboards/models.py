from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.cache import watched


@watched
class ReasonForDeviation(models.Model):
    """A head's explanation of why an indicator deviated from its target in a year.

    It is printed beside the indicator in the annual monitoring report (page and XLSX).
    """

    indicator = models.ForeignKey(
        "indicators.Indicator",
        verbose_name=_("indicator"),
        on_delete=models.CASCADE,
        related_name="reasons_for_deviation",
    )
    year = models.PositiveSmallIntegerField(_("year"))
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
