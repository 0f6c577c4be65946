"""Milestones (qualitative indicators): a status a year instead of a number. The mapping of a
status to the achievement categories, the kind rule the service and the forms enforce, the
targets of a milestone (due years, versioned by acts) and its pages."""

import datetime
from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from activities.models import LegalAct
from core.workflow import WorkflowState
from indicators import services
from indicators.models import Indicator, IndicatorValue, MilestoneStatus, Target
from indicators.selectors import (
    MILESTONE_CATEGORY,
    Status,
    assess_milestone,
    indicator_progress,
    targets_in_force,
)

from .factories import IndicatorFactory, IndicatorValueFactory, TargetFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def milestone(department, expected_result):
    """A milestone of `department`, plan years 2008–2020, due by the end of 2015."""
    indicator = IndicatorFactory(
        code="6.4.2-7",
        name="Подписано соглашение о побратимских связях",
        unit="—",
        kind=Indicator.Kind.MILESTONE,
        baseline_value=None,
        department=department,
        expected_result=expected_result,
    )
    TargetFactory(indicator=indicator, year=2015, value=None)
    return indicator


# --- the mapping -------------------------------------------------------------------------------


def test_each_status_maps_onto_an_achievement_category():
    assert MILESTONE_CATEGORY == {
        MilestoneStatus.DONE: Status.ACHIEVED,
        MilestoneStatus.PARTLY_DONE: Status.AT_RISK,
        MilestoneStatus.NOT_DONE: Status.NOT_ACHIEVED,
    }
    for status, category in [
        ("done", Status.ACHIEVED),
        ("partly_done", Status.AT_RISK),
        ("not_done", Status.NOT_ACHIEVED),
    ]:
        for due in (True, False):
            assessment = assess_milestone(milestone_status=status, due=due, period_ended=True)
            assert assessment.status == category
            assert assessment.degree is None and assessment.capped_degree is None


@pytest.mark.parametrize(
    ("due", "period_ended", "expected"),
    [
        (True, True, Status.MISSING),
        (True, False, Status.NONE),
        (False, True, Status.NONE),
        (False, False, Status.NONE),
    ],
)
def test_without_a_status_it_is_missing_only_once_a_due_year_has_ended(due, period_ended, expected):
    assessment = assess_milestone(milestone_status="", due=due, period_ended=period_ended)
    assert assessment.status == expected and assessment.degree is None


def test_only_approved_statuses_count(milestone):
    IndicatorValueFactory(
        indicator=milestone, year=2015, value=None, milestone_status="done", state="submitted"
    )
    today = datetime.date(2016, 3, 1)

    approved_only = indicator_progress([milestone], [2015], today=today)
    with_pending = indicator_progress([milestone], [2015], today=today, include_pending=True)

    assert approved_only.indicators[0].years[0].status == Status.MISSING
    pending = with_pending.indicators[0].years[0]
    assert (pending.status, pending.milestone_status, pending.pending) == (
        Status.ACHIEVED,
        "done",
        True,
    )


# --- the kind rule: a number for a numeric indicator, a status for a milestone -----------------


def test_the_database_refuses_a_row_with_both_or_neither(milestone):
    for value, status in [(D(1), "done"), (None, ""), (None, "maybe")]:
        with pytest.raises(IntegrityError), transaction.atomic():
            IndicatorValueFactory(indicator=milestone, value=value, milestone_status=status)
    with pytest.raises(IntegrityError), transaction.atomic():
        IndicatorFactory(kind="milestone", source="computed", computation="agreements_concluded")


def test_the_service_refuses_the_other_kinds_input(editor, milestone, indicator):
    cases = [
        (milestone, {"value": D(1), "milestone_status": "done"}, "веха"),
        (milestone, {"value": D(1)}, "веха"),
        (milestone, {"milestone_status": ""}, "Выберите статус выполнения."),
        (milestone, {"milestone_status": "done", "quarter": 2}, "без квартала"),
        (indicator, {"value": D(1), "milestone_status": "done"}, "числовой"),
        (indicator, {}, "Укажите значение."),
    ]
    for target, kwargs, message in cases:
        with pytest.raises(ValidationError) as error:
            services.value_create(indicator=target, by=editor, year=2015, **kwargs)
        assert message in " ".join(error.value.messages)
    assert not IndicatorValue.objects.exists()


def create_url(indicator):
    return reverse("indicators:value_create", args=[indicator.pk])


def test_the_form_offers_a_status_for_a_milestone_and_a_number_otherwise(
    client_for, editor, milestone, indicator
):
    client = client_for(editor)

    page = client.get(create_url(milestone)).content.decode()
    assert 'name="milestone_status"' in page and "<select" in page
    assert "выполнено частично" in page
    assert 'type="hidden" name="value"' in page and 'type="hidden" name="quarter"' in page
    numeric = client.get(create_url(indicator)).content.decode()
    assert 'type="hidden" name="milestone_status"' in numeric
    assert 'name="value"' in numeric and 'type="hidden" name="value"' not in numeric


def test_a_status_with_evidence_is_entered_as_a_draft(client_for, editor, milestone):
    response = client_for(editor).post(
        create_url(milestone),
        {
            "year": "2015",
            "milestone_status": "partly_done",
            "evidence_url": "https://khabarovskadm.ru/soglashenie",
            "comment": "Проект соглашения согласован.",
        },
    )

    assert response.status_code == 302, response.content.decode()
    item = IndicatorValue.objects.get()
    assert (item.year, item.quarter, item.value, item.milestone_status) == (
        2015,
        None,
        None,
        "partly_done",
    )
    assert (item.state, item.evidence_url) == (
        WorkflowState.DRAFT,
        "https://khabarovskadm.ru/soglashenie",
    )
    page = client_for(editor).get(milestone.get_absolute_url()).content.decode()
    assert 'data-milestone-status="partly_done"' in page


@pytest.mark.parametrize(
    ("kind", "data", "message"),
    [
        ("milestone", {"year": "2015", "value": "5"}, "Выберите статус выполнения."),
        (
            "milestone",
            {"year": "2015", "value": "5", "milestone_status": "done"},
            "Этот показатель — веха",
        ),
        (
            "milestone",
            {"year": "2015", "quarter": "2", "milestone_status": "done"},
            "без квартала",
        ),
        ("milestone", {"year": "2015", "milestone_status": "almost"}, "Выберите статус из списка."),
        (
            "numeric",
            {"year": "2015", "value": "5", "milestone_status": "done"},
            "Этот показатель числовой",
        ),
        ("numeric", {"year": "2015", "milestone_status": "done"}, "Укажите значение."),
    ],
)
def test_the_form_refuses_the_other_kinds_input_and_writes_nothing(
    client_for, editor, milestone, indicator, kind, data, message
):
    target = milestone if kind == "milestone" else indicator

    response = client_for(editor).post(create_url(target), data)

    assert response.status_code == 400
    assert message in response.content.decode()
    assert not IndicatorValue.objects.exists()


def test_a_returned_status_is_corrected(client_for, editor, milestone):
    item = IndicatorValueFactory(
        indicator=milestone,
        value=None,
        milestone_status="not_done",
        state=WorkflowState.RETURNED,
        author=editor,
    )

    response = client_for(editor).post(
        reverse("indicators:value_edit", args=[item.pk]),
        {"year": "2015", "milestone_status": "done", "comment": "Подписано 12 мая."},
    )

    assert response.status_code == 302, response.content.decode()
    item.refresh_from_db()
    assert (item.milestone_status, item.value, item.comment) == ("done", None, "Подписано 12 мая.")


# --- targets: the years a milestone is due, versioned by acts ----------------------------------


def test_the_targets_form_of_a_milestone_ticks_due_years(client_for, editor, milestone):
    url = reverse("indicators:targets_edit", args=[milestone.pk])
    page = client_for(editor).get(url).content.decode()
    assert "Выполнить к концу года" in page and 'type="checkbox"' in page

    response = client_for(editor).post(url, {"target_2016": "on"})

    assert response.status_code == 302
    assert sorted(milestone.targets.values_list("year", "value")) == [(2016, None)]


def test_the_targets_service_refuses_a_number_for_a_milestone_and_a_tick_for_a_number(
    editor, milestone, indicator
):
    with pytest.raises(ValidationError, match="не число"):
        services.targets_set(indicator=milestone, targets={2016: D(1)}, by=editor)
    with pytest.raises(ValidationError, match="числом"):
        services.targets_set(indicator=indicator, targets={2016: True}, by=editor)
    assert list(Target.objects.values_list("year", flat=True)) == [2015]


def test_an_act_moves_a_milestone_without_overwriting_the_original(editor, milestone):
    act = LegalAct.objects.create(
        number="пример-2", date=datetime.date(2015, 6, 1), title="О внесении изменений"
    )

    services.targets_set(indicator=milestone, targets={2016: True}, by=editor, act=act)
    services.targets_set(indicator=milestone, targets={2016: True}, by=editor, act=act)

    assert sorted(milestone.targets.values_list("year", "act")) == [(2015, None), (2016, act.pk)]
    in_force = targets_in_force([milestone.pk], [2015, 2016])
    assert in_force[(milestone.pk, 2016)].exists and in_force[(milestone.pk, 2016)].act == act
    progress = indicator_progress([milestone], [2014, 2016], today=datetime.date(2017, 1, 10))
    years = progress.indicators[0].years
    assert [(y.milestone_due, y.status) for y in years] == [
        (False, Status.NONE),
        (True, Status.MISSING),
    ]
