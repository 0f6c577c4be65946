import pytest

from tests.factories import ExpectedResultFactory, SectionFactory, StrategicPlanFactory

from .factories import IndicatorFactory


@pytest.fixture
def expected_result(db):
    plan = StrategicPlanFactory(horizon_year=2020)
    return ExpectedResultFactory(section=SectionFactory(plan=plan, number="6.4.2"))


@pytest.fixture
def indicator(department, expected_result):
    """A manual per-year indicator of `department`, plan years 2008–2020."""
    return IndicatorFactory(
        code="6.4.2-4",
        name="Объём иностранных инвестиций",
        unit="млн долл. США",
        department=department,
        expected_result=expected_result,
    )


@pytest.fixture
def computed_indicator(department, expected_result):
    return IndicatorFactory(
        code="6.4.2-1",
        name="Количество заключённых соглашений",
        department=department,
        expected_result=expected_result,
        source="computed",
        computation="agreements_concluded",
    )
