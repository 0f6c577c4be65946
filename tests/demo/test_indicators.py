import io

import pytest

from demo import indicators as indicators_demo
from indicators.models import Indicator, IndicatorValue, Target
from indicators.selectors import Status, indicator_progress
from tests.factories import DepartmentFactory, ExpectedResultFactory, SectionFactory


@pytest.fixture
def section_642(db):
    section = SectionFactory(number="6.4.2")
    for position in range(1, 6):
        ExpectedResultFactory(section=section, position=position)
    DepartmentFactory(short_name="УМиМС")
    DepartmentFactory(short_name="УЭРИ")
    return section


def test_demo_creates_the_seven_indicators_once(section_642):
    indicators_demo.load(io.StringIO())
    indicators_demo.load(io.StringIO())
    assert Indicator.objects.count() == 7
    # Six numeric indicators with a target a year, and the milestone due in one year.
    assert Target.objects.count() == 6 * 13 + 1
    assert IndicatorValue.objects.filter(state="approved").count() == 9 + 3
    investment = Indicator.objects.get(code="6.4.2-4")
    assert investment.source == "manual" and investment.department.short_name == "УЭРИ"
    assert "иллюстративные" in investment.description
    assert Indicator.objects.get(code="6.4.2-2").computation == "residents_trained_abroad"
    progress = indicator_progress(Indicator.objects.all(), [2015, 2019])
    statuses = {i.code: i.for_year(2019).status for i in progress.indicators}
    assert statuses["6.4.2-4"] == Status.MISSING


def test_demo_has_an_illustrative_milestone_with_statuses_and_evidence(section_642):
    indicators_demo.load(io.StringIO())

    milestone = Indicator.objects.get(code="6.4.2-7")
    assert milestone.kind == "milestone" and milestone.expected_result.section == section_642
    assert "иллюстративные" in milestone.description
    assert list(milestone.targets.values_list("year", "value")) == [(2012, None)]
    values = milestone.values.order_by("year")
    assert [(v.year, v.value, v.milestone_status) for v in values] == [
        (2010, None, "not_done"),
        (2011, None, "partly_done"),
        (2012, None, "done"),
    ]
    assert all("иллюстративное" in value.comment for value in values)
    progress = indicator_progress([milestone], [2010, 2011, 2012, 2013])
    years = progress.indicators[0].years
    assert [year.status for year in years] == [
        Status.NOT_ACHIEVED,
        Status.AT_RISK,
        Status.ACHIEVED,
        Status.NONE,
    ]
    assert all(year.degree is None and year.capped_degree is None for year in years)


def test_demo_skips_without_the_section(db):
    out = io.StringIO()
    indicators_demo.load(out)
    assert not Indicator.objects.exists()
    assert "skipped" in out.getvalue()


def test_every_demo_department_has_an_indicator_to_enter_values_for(section_642):
    """Each demo editor's main job: enter a value for an indicator kept by hand."""
    from demo.users import DEPARTMENT_LOGINS

    indicators_demo.load(io.StringIO())

    for short_name in DEPARTMENT_LOGINS:
        manual = Indicator.objects.filter(department__short_name=short_name, source="manual")
        assert manual.exists(), short_name
