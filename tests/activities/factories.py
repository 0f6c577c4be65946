import factory

from activities.models import ProgressReport
from core.workflow import WorkflowState
from tests.factories import MeasureFactory


class ProgressReportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProgressReport

    measure = factory.SubFactory(MeasureFactory)
    year = 2016
    quarter = factory.Sequence(lambda n: n % 4 + 1)
    text = factory.Sequence(lambda n: f"Проведено мероприятие №{n}.")
    percent_done = 50
    state = WorkflowState.DRAFT
