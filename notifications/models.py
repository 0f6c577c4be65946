import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.cache import watched

from . import calendar


@watched  # the dashboards' overdue panels, cached under the data version, read it
class ReportingCalendar(models.Model):
    """A plan's reporting deadlines; a plan without one follows calendar.DEFAULT_DEADLINES.
    Administrators edit it in the admin."""

    plan = models.OneToOneField(
        "activities.StrategicPlan",
        verbose_name=_("plan"),
        on_delete=models.CASCADE,
        related_name="reporting_calendar",
    )
    annual_due_month = models.PositiveSmallIntegerField(
        _("annual report due: month of the next year"),
        default=calendar.ANNUAL_DUE_MONTH,
        validators=[MinValueValidator(1), MaxValueValidator(12)],
    )
    annual_due_day = models.PositiveSmallIntegerField(
        _("annual report due: day of the month"),
        default=calendar.ANNUAL_DUE_DAY,
        validators=[MinValueValidator(1), MaxValueValidator(31)],
    )
    quarterly_due_days = models.PositiveSmallIntegerField(
        _("quarterly report due: days after the quarter"),
        default=calendar.QUARTERLY_DUE_DAYS,
        validators=[MaxValueValidator(90)],
    )
    approval_days = models.PositiveSmallIntegerField(
        _("days the heads have to approve after the due date"),
        default=calendar.APPROVAL_DAYS,
        validators=[MaxValueValidator(90)],
    )

    class Meta:
        verbose_name = _("reporting calendar")
        verbose_name_plural = _("reporting calendars")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(annual_due_month__gte=1, annual_due_month__lte=12)
                & models.Q(annual_due_day__gte=1, annual_due_day__lte=31),
                name="reporting_calendar_date_plausible",
            )
        ]

    def __str__(self):
        return str(self.plan)

    def clean(self):
        try:
            # A leap year, so 29 February is allowed (it then falls on 1 March in other years:
            # see deadlines()).
            datetime.date(2024, self.annual_due_month or 1, self.annual_due_day or 1)
        except ValueError:
            raise ValidationError(
                {"annual_due_day": _("There is no such day in that month.")}
            ) from None

    @property
    def deadlines(self):
        return calendar.Deadlines(
            annual_due_month=self.annual_due_month,
            annual_due_day=self.annual_due_day,
            quarterly_due_days=self.quarterly_due_days,
            approval_days=self.approval_days,
        )


class Kind(models.TextChoices):
    RETURNED = "returned", _("Your item was returned for revision")
    AWAITING_APPROVAL = "awaiting_approval", _("An item awaits your approval")
    DUE_SOON = "due_soon", _("A report is due within 7 days")
    OVERDUE = "overdue", _("A report is overdue")
    AGREEMENT_EXPIRING = "agreement_expiring", _("An agreement expires soon")
    AT_RISK = "at_risk", _("An indicator is at risk of missing its target")
    CORRECTIVE_ACTION = (
        "corrective_action",
        _("A corrective action falls due"),
    )


class Delivery(models.TextChoices):
    PORTAL = "portal", _("in the portal only")
    IMMEDIATE = "immediate", _("also by e-mail at once")
    DIGEST = "digest", _("also by e-mail in a daily digest")


class NotificationQuerySet(models.QuerySet):
    def unread(self):
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    """Something a user is told in the portal (and perhaps by e-mail). ``key`` makes each
    notification once only: a repeated trigger (a restarted worker, a daily run run twice)
    finds the key taken and adds nothing."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices)
    text = models.TextField(_("text"))
    link = models.CharField(_("link"), max_length=500, blank=True)
    key = models.CharField(_("idempotency key"), max_length=200, unique=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)
    # When it went out by e-mail (at once or in a digest); None: not (yet) e-mailed.
    emailed_at = models.DateTimeField(_("e-mailed"), null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(
                fields=["user"],
                condition=models.Q(read_at__isnull=True),
                name="notification_unread_idx",
            ),
            models.Index(fields=["user", "-created_at"], name="notification_user_recent_idx"),
        ]

    def __str__(self):
        return self.text[:80]


class NotificationPreference(models.Model):
    """How a user wants one kind of notification; no row: in the portal only."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="notification_preferences",
    )
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices)
    delivery = models.CharField(
        _("delivery"), max_length=16, choices=Delivery.choices, default=Delivery.PORTAL
    )

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="notification_preference_once")
        ]

    def __str__(self):
        return f"{self.user_id} {self.kind}: {self.delivery}"


class OutgoingEmail(models.Model):
    """An e-mail waiting for the worker (an outbox). Written in the same transaction as what it
    tells (the notification, the digest's notifications marked e-mailed); the worker sends each
    row once, marking ``sent_at`` as it sends (notifications.delivery)."""

    key = models.CharField(_("idempotency key"), max_length=200, unique=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    to = models.EmailField(_("to"))
    subject = models.CharField(_("subject"), max_length=255)
    body = models.TextField(_("body"))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)

    class Meta:
        verbose_name = _("outgoing e-mail")
        verbose_name_plural = _("outgoing e-mails")
        ordering = ["pk"]
        indexes = [
            models.Index(
                fields=["id"], condition=models.Q(sent_at__isnull=True), name="outgoing_unsent_idx"
            )
        ]

    def __str__(self):
        return f"{self.to}: {self.subject}"


class ScheduledRun(models.Model):
    """A periodic job enqueued for a day; the unique (job, day) makes the scheduler enqueue it
    once however many schedulers run or restart."""

    job = models.CharField(_("job"), max_length=64)
    day = models.DateField(_("day"))
    enqueued_at = models.DateTimeField(_("enqueued"), auto_now_add=True)

    class Meta:
        verbose_name = _("scheduled run")
        verbose_name_plural = _("scheduled runs")
        constraints = [
            models.UniqueConstraint(fields=["job", "day"], name="scheduled_run_once_a_day")
        ]

    def __str__(self):
        return f"{self.job} {self.day}"
