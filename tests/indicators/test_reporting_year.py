"""A closed reporting year: no value dated in it is entered, corrected, submitted, approved or
returned, and no target of it is set — through the services and through the pages."""

from decimal import Decimal as D

import pytest
from django.urls import reverse
from django.utils import translation

from activities.services import reporting_year_set_locked
from core.workflow import (
    WorkflowError,
    WorkflowState,
    workflow_approve,
    workflow_return,
    workflow_submit,
)
from indicators import services
from indicators.models import IndicatorValue, Target

from .factories import IndicatorValueFactory, TargetFactory

LOCKED = "Отчётный год 2015 закрыт для изменений."


@pytest.fixture(autouse=True)
def russian():
    with translation.override("ru"):
        yield


@pytest.fixture
def locked_2015(administrator):
    return reporting_year_set_locked(year=2015, locked=True, by=administrator)


def test_value_create_is_refused(indicator, editor, locked_2015):
    with pytest.raises(WorkflowError) as error:
        services.value_create(indicator=indicator, by=editor, year=2015, value=D(1))
    assert error.value.code == "year_locked"
    assert error.value.messages == [LOCKED]
    assert not IndicatorValue.objects.exists()
    # Another year stays open.
    services.value_create(indicator=indicator, by=editor, year=2016, value=D(1))


@pytest.mark.parametrize(("from_year", "to_year"), [(2015, 2016), (2016, 2015)])
def test_value_update_is_refused_into_and_out_of_a_locked_year(
    indicator, editor, locked_2015, from_year, to_year
):
    item = IndicatorValueFactory(indicator=indicator, year=from_year, state=WorkflowState.DRAFT)
    with pytest.raises(WorkflowError) as error:
        services.value_update(item=item, by=editor, year=to_year, value=D(7))
    assert error.value.code == "year_locked"
    item.refresh_from_db()
    assert (item.year, item.value) == (from_year, D(100))


@pytest.mark.parametrize(
    ("state", "transition", "user"),
    [
        (WorkflowState.DRAFT, workflow_submit, "editor"),
        (WorkflowState.SUBMITTED, workflow_approve, "head"),
        (WorkflowState.SUBMITTED, workflow_return, "head"),
    ],
)
def test_transitions_are_refused(request, indicator, locked_2015, state, transition, user):
    item = IndicatorValueFactory(indicator=indicator, year=2015, state=state)
    extra = {"comment": "Нет справки"} if transition is workflow_return else {}
    with pytest.raises(WorkflowError) as error:
        transition(item=item, by=request.getfixturevalue(user), **extra)
    assert error.value.code == "year_locked"
    item.refresh_from_db()
    assert item.state == state


def test_targets_of_a_locked_year_are_refused(indicator, editor, locked_2015):
    TargetFactory(indicator=indicator, year=2015, value=D(5))
    with pytest.raises(WorkflowError) as error:
        services.targets_set(indicator=indicator, targets={2015: D(6), 2016: D(7)}, by=editor)
    assert error.value.messages == [LOCKED]
    # Nothing is written, not even the open year's target.
    assert dict(Target.objects.values_list("year", "value")) == {2015: 5}


@pytest.mark.parametrize("amount", [D(5), None])
def test_unchanged_or_removed_targets(indicator, editor, locked_2015, amount):
    """The targets form sends every year: an unchanged locked year does not block the others,
    removing its target does."""
    TargetFactory(indicator=indicator, year=2015, value=D(5))
    targets = {2015: amount, 2016: D(7)}
    if amount is None:
        with pytest.raises(WorkflowError):
            services.targets_set(indicator=indicator, targets=targets, by=editor)
    else:
        assert services.targets_set(indicator=indicator, targets=targets, by=editor) == 1
        assert dict(Target.objects.values_list("year", "value")) == {2015: 5, 2016: 7}


# --- the pages --------------------------------------------------------------------------------


def test_value_form_says_the_year_is_closed(client_for, editor, indicator, locked_2015):
    url = reverse("indicators:value_create", args=[indicator.pk])
    response = client_for(editor).post(url, {"year": "2015", "value": "3"})
    assert response.status_code == 400
    assert LOCKED in response.content.decode()
    assert not IndicatorValue.objects.exists()


def test_targets_form_says_the_year_is_closed(client_for, editor, indicator, locked_2015):
    url = reverse("indicators:targets_edit", args=[indicator.pk])
    response = client_for(editor).post(url, {"target_2015": "9"})
    assert response.status_code == 400
    assert LOCKED in response.content.decode()
    assert not Target.objects.exists()


def test_approve_page_says_the_year_is_closed(client_for, head, indicator, locked_2015):
    item = IndicatorValueFactory(indicator=indicator, year=2015, state=WorkflowState.SUBMITTED)
    response = client_for(head).post(reverse("indicators:value_approve", args=[item.pk]))
    assert response.status_code == 409
    assert LOCKED in response.content.decode()
    item.refresh_from_db()
    assert item.state == WorkflowState.SUBMITTED
