"""Notifications for the demo users: what the workflow would have told them about the demo's
returned and submitted items, and today's reminders. Keys make a second run add nothing."""

from django.utils import timezone
from django.utils.translation import override

from activities.models import ProgressReport
from core.workflow import WorkflowState
from indicators.models import IndicatorValue
from notifications import services


def _items(model, state, owner):
    return model.objects.filter(state=state).select_related(owner, "author", "reviewer")


def load(stdout):
    with override("ru"):
        for model, owner in ((ProgressReport, "measure"), (IndicatorValue, "indicator")):
            for item in _items(model, WorkflowState.RETURNED, owner):
                if item.reviewer is not None:
                    services.item_returned(item, by=item.reviewer)
            for item in _items(model, WorkflowState.SUBMITTED, owner):
                if item.author is not None:
                    services.item_submitted(item, by=item.author)
    made = services.daily_run(timezone.localdate())
    stdout.write(f"Demo notifications: in place (today's run: {made}).")
