"""The reporting calendar's arithmetic: when a report or value falls due, and whether an item
is due, overdue or on time on a given day. Pure functions of dates; the plan's calendar
(models.ReportingCalendar) only supplies the numbers."""

import datetime
from dataclasses import dataclass
from enum import StrEnum

# What the calendar of a plan without one says (design.md, "Calendar and notifications"): the
# annual report by 1 February of the next year, a quarter's 15 days after it ends, and the
# heads approve within 10 days of the due date.
ANNUAL_DUE_MONTH = 2
ANNUAL_DUE_DAY = 1
QUARTERLY_DUE_DAYS = 15
APPROVAL_DAYS = 10
# "Due soon" is said this many days ahead.
WARNING_DAYS = 7


@dataclass(frozen=True)
class Deadlines:
    annual_due_month: int = ANNUAL_DUE_MONTH
    annual_due_day: int = ANNUAL_DUE_DAY
    quarterly_due_days: int = QUARTERLY_DUE_DAYS
    approval_days: int = APPROVAL_DAYS

    def due_date(self, year, quarter=None):
        """The day by which the report (or value) on ``year`` (or its ``quarter``) is due."""
        if quarter is None:
            return datetime.date(year + 1, self.annual_due_month, self.annual_due_day)
        return quarter_end(year, quarter) + datetime.timedelta(days=self.quarterly_due_days)

    def approval_date(self, year, quarter=None):
        """The day by which the heads are to have approved it."""
        return self.due_date(year, quarter) + datetime.timedelta(days=self.approval_days)


DEFAULT_DEADLINES = Deadlines()


def quarter_end(year, quarter):
    if quarter == 4:
        return datetime.date(year, 12, 31)
    return datetime.date(year, 3 * quarter + 1, 1) - datetime.timedelta(days=1)


class Standing(StrEnum):
    ON_TIME = "on_time"  # done by the due date
    LATE = "late"  # done, after the due date
    DUE = "due"  # not done yet, the due date not passed
    OVERDUE = "overdue"  # not done, the due date passed


@dataclass(frozen=True)
class Status:
    standing: Standing
    days: int  # DUE: days left; OVERDUE and LATE: days past the due date; ON_TIME: 0

    @property
    def due_soon(self):
        return self.standing == Standing.DUE and self.days <= WARNING_DAYS


def status(*, due, today, done_on=None):
    """Where an item stands against its due date on ``today``: done (``done_on``, the day it
    was submitted) on time or late, or not done and still due or overdue. The due day itself is
    still in time."""
    if done_on is not None:
        if done_on <= due:
            return Status(Standing.ON_TIME, 0)
        return Status(Standing.LATE, (done_on - due).days)
    if today <= due:
        return Status(Standing.DUE, (due - today).days)
    return Status(Standing.OVERDUE, (today - due).days)


def last_closed_quarter(today):
    """(year, quarter) of the last quarter that ended before ``today``: its values are being
    collected."""
    quarter = (today.month - 1) // 3  # the quarters of this year already over
    if quarter == 0:
        return today.year - 1, 4
    return today.year, quarter


def last_closed_period(today):
    """The year whose annual reports are being collected on ``today``: the previous one."""
    return today.year - 1
