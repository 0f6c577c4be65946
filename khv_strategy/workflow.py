"""The approval workflow shared by progress reports and indicator values.

draft → submitted → approved, or → returned (comment required) → submitted again.
Only approved items count on dashboards, in reports and for API clients.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class WorkflowState(models.TextChoices):
    DRAFT = "draft", _("draft")
    SUBMITTED = "submitted", _("submitted for approval")
    APPROVED = "approved", _("approved")
    RETURNED = "returned", _("returned for revision")


class WorkflowItem(models.Model):
    """Fields every item that goes through approval carries."""

    state = models.CharField(
        _("state"),
        max_length=16,
        choices=WorkflowState.choices,
        default=WorkflowState.DRAFT,
        db_index=True,
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entered by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    review_comment = models.TextField(_("review comment"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        abstract = True

    @property
    def is_approved(self):
        return self.state == WorkflowState.APPROVED

    @property
    def is_editable(self):
        return self.state in {WorkflowState.DRAFT, WorkflowState.RETURNED}
