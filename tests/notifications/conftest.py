import pytest

from accounts.models import Role
from tests.activities.factories import ProgressReportFactory
from tests.factories import MeasureFactory, UserFactory


@pytest.fixture
def measure(department):
    return MeasureFactory(department=department)


@pytest.fixture
def second_head(department):
    return UserFactory(
        username="second_head", department=department, role=Role.HEAD, email="head2@khv.test"
    )


@pytest.fixture
def report_factory():
    return ProgressReportFactory
