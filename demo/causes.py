"""The demo's causes of deviation and corrective actions: in the latest year with approved
values, the first indicator of each demo department that is at risk or not achieved gets a
cause and an open corrective action, written by the department's head through the services (the
permission and the deviation rule are checked as on the portal). After `make run` the
dashboards show an open action and the head gets its reminder. Illustrative; a second run adds
nothing."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from accounts.models import User
from core.workflow import WorkflowState
from dashboards import selectors, services
from dashboards.models import Cause, CorrectiveAction, ReasonForDeviation
from demo.users import DEPARTMENT_LOGINS
from indicators.models import IndicatorValue
from indicators.selectors import indicator_progress, indicator_queryset

CAUSE_TEXT = (
    "Часть запланированных визитов и совместных мероприятий перенесена городами-партнёрами "
    "на следующий год."
)
ACTION_TEXT = (
    "Согласовать с городами-партнёрами новый график визитов и включить перенесённые "
    "мероприятия в план на следующий год."
)


def _deviating(department_id, year, today):
    """The department's first indicator (by code) at risk or not achieved in ``year``."""
    indicators = list(indicator_queryset().filter(department_id=department_id).order_by("code"))
    progress = indicator_progress(indicators, [year], today=today)
    for indicator, item in zip(indicators, progress.indicators, strict=True):
        if selectors.deviates(item.years[0].status):
            return indicator
    return None


def load(stdout):
    year = IndicatorValue.objects.filter(
        state=WorkflowState.APPROVED, quarter__isnull=True
    ).aggregate(year=Max("year"))["year"]
    if year is None:
        stdout.write("Demo causes of deviation skipped: no approved value")
        return
    today = timezone.localdate()
    due_on = min(
        today + datetime.timedelta(days=21),
        datetime.date(year + services.ACTION_YEARS_AHEAD, 12, 31),
    )
    made = 0
    for login in DEPARTMENT_LOGINS.values():
        head = User.objects.filter(username=f"head.{login}").first()
        if head is None or head.department_id is None:
            continue
        indicator = _deviating(head.department_id, year, today)
        if indicator is None:
            continue
        if ReasonForDeviation.objects.filter(indicator=indicator, year=year).exists():
            continue
        try:
            with transaction.atomic():
                services.reason_for_deviation_set(
                    indicator=indicator,
                    year=year,
                    cause=Cause.EXTERNAL_PARTNERS,
                    text=CAUSE_TEXT,
                    by=head,
                )
                services.corrective_action_add(
                    indicator=indicator,
                    year=year,
                    text=ACTION_TEXT,
                    responsible=head.get_full_name() or head.username,
                    responsible_position="руководитель подразделения",
                    due_on=due_on,
                    status=CorrectiveAction.Status.IN_PROGRESS,
                    by=head,
                )
        except ValidationError as error:  # a closed year, say: the demo goes on without it
            stdout.write(f"Demo cause for {indicator.code} skipped: {' '.join(error.messages)}")
            continue
        made += 1
    stdout.write(f"Demo causes of deviation and corrective actions: {made} new for {year}")
