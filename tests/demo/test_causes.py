import io

import pytest
from django.core.management import call_command

from activities.services import plan_import
from dashboards.models import CorrectiveAction, ReasonForDeviation
from notifications.models import Kind, Notification
from tests.activities.test_import_service import SEED


@pytest.mark.django_db
def test_the_demo_heads_have_a_cause_and_an_open_corrective_action():
    plan_import(data=SEED.read_bytes())

    call_command("load_demo", stdout=io.StringIO())
    first = (ReasonForDeviation.objects.count(), CorrectiveAction.objects.count())
    call_command("load_demo", stdout=io.StringIO())

    assert (ReasonForDeviation.objects.count(), CorrectiveAction.objects.count()) == first
    reasons = ReasonForDeviation.objects.select_related("author", "indicator")
    assert {reason.author.username for reason in reasons} == {"head.umims", "head.ueri"}
    for reason in reasons:
        assert reason.author.department_id == reason.indicator.department_id
        assert reason.cause == "external_partners"
        [action] = reason.actions.all()
        assert action.status == "in_progress" and action.done_on is None
    # The daily run of the demo told the heads about their action.
    told = Notification.objects.filter(kind=Kind.CORRECTIVE_ACTION)
    assert {n.user.username for n in told} == {"head.umims", "head.ueri"}
