from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

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


@pytest.fixture(autouse=True)
def russian():
    with translation.override("ru"):
        yield


def draft(indicator, editor, **kwargs):
    kwargs.setdefault("year", 2015)
    kwargs.setdefault("value", D(10))
    return services.value_create(indicator=indicator, by=editor, **kwargs)


def test_value_create_makes_a_draft_with_history(indicator, editor):
    item = draft(indicator, editor, quarter=2, evidence_url="https://khv27.ru/stat")
    item.refresh_from_db()
    assert (item.state, item.author, item.quarter) == (WorkflowState.DRAFT, editor, 2)
    assert item.history.get().history_user == editor


def test_full_workflow(indicator, editor, head):
    item = draft(indicator, editor)
    item = workflow_submit(item=item, by=editor)
    assert item.state == WorkflowState.SUBMITTED and item.submitted_at
    item = workflow_return(item=item, by=head, comment="Приложите справку Хабаровскстата")
    assert (item.state, item.reviewer, item.review_comment) == (
        WorkflowState.RETURNED,
        head,
        "Приложите справку Хабаровскстата",
    )
    item = workflow_submit(item=item, by=editor)
    item = workflow_approve(item=item, by=head)
    assert item.state == WorkflowState.APPROVED and item.reviewed_at
    assert item.history.count() == 5


TRANSITIONS = {"submit": workflow_submit, "approve": workflow_approve, "return": workflow_return}


@pytest.mark.parametrize(
    ("state", "action", "message"),
    [
        ("approved", "approve", "Значение уже согласовано."),
        ("draft", "approve", "Значение ещё черновик: оно не отправлено на согласование."),
        ("returned", "approve", "Значение уже возвращено на доработку."),
        ("approved", "submit", "Значение уже согласовано."),
        ("submitted", "submit", "Значение уже отправлено на согласование."),
        ("approved", "return", "Значение уже согласовано."),
        ("draft", "return", "Значение ещё черновик"),
    ],
)
def test_wrong_state_is_refused(indicator, head, state, action, message):
    item = IndicatorValueFactory(indicator=indicator, state=state)
    with pytest.raises(WorkflowError) as error:
        TRANSITIONS[action](item=item, by=head, **({"comment": "x"} if action == "return" else {}))
    assert error.value.code == "wrong_state"
    assert message in error.value.messages[0]
    item.refresh_from_db()
    assert item.state == state


def test_return_requires_a_comment(indicator, head):
    item = IndicatorValueFactory(indicator=indicator, state=WorkflowState.SUBMITTED)
    with pytest.raises(WorkflowError) as error:
        workflow_return(item=item, by=head, comment="   ")
    assert error.value.code == "comment_required"
    assert "комментарий обязателен" in error.value.messages[0]
    item.refresh_from_db()
    assert item.state == WorkflowState.SUBMITTED


@pytest.mark.parametrize(
    ("existing", "year", "quarter", "message"),
    [
        ([None], 2015, None, "Значение за 2015 год уже внесено."),
        ([1], 2015, None, "За 2015 год уже внесены квартальные значения"),
        ([None], 2015, 3, "внесено значение за весь 2015 год"),
        ([2], 2015, 2, "Значение за 2 квартал 2015 года уже внесено."),
        ([], 2007, None, "Год должен быть в пределах лет плана, 2008–2020."),
        ([], 2021, 1, "Год должен быть в пределах лет плана, 2008–2020."),
    ],
)
def test_periods_are_checked(indicator, editor, existing, year, quarter, message):
    for existing_quarter in existing:
        IndicatorValueFactory(indicator=indicator, year=2015, quarter=existing_quarter)
    with pytest.raises(ValidationError) as error:
        draft(indicator, editor, year=year, quarter=quarter)
    assert message in " ".join(error.value.messages)
    assert IndicatorValue.objects.count() == len(existing)


def test_other_quarters_and_years_are_accepted(indicator, editor):
    IndicatorValueFactory(indicator=indicator, year=2015, quarter=1)
    draft(indicator, editor, year=2015, quarter=2)
    draft(indicator, editor, year=2016)
    assert IndicatorValue.objects.count() == 3


def test_computed_indicator_refuses_values(computed_indicator, editor):
    with pytest.raises(ValidationError) as error:
        draft(computed_indicator, editor)
    assert "вычисляются по записям о партнёрах" in error.value.messages[0]
    assert not IndicatorValue.objects.exists()


def test_update_corrects_a_returned_value(indicator, editor):
    item = IndicatorValueFactory(indicator=indicator, state=WorkflowState.RETURNED, author=editor)
    services.value_update(item=item, by=editor, year=2016, quarter=None, value=D("12.5"))
    item.refresh_from_db()
    assert (item.year, item.value) == (2016, D("12.5"))


@pytest.mark.parametrize("state", [WorkflowState.APPROVED, WorkflowState.SUBMITTED])
def test_update_refuses_a_read_only_value(indicator, editor, state):
    item = IndicatorValueFactory(indicator=indicator, state=state, value=D(5))
    with pytest.raises(WorkflowError) as error:
        services.value_update(item=item, by=editor, year=2015, value=D(6))
    assert error.value.code == "not_editable"
    assert "Изменить можно только черновик или значение" in error.value.messages[0]
    item.refresh_from_db()
    assert item.value == D(5)


def test_targets_set_creates_changes_and_removes(indicator, editor):
    TargetFactory(indicator=indicator, year=2010, value=D(1))
    TargetFactory(indicator=indicator, year=2011, value=D(2))
    TargetFactory(indicator=indicator, year=2012, value=D(3))
    changed = services.targets_set(
        indicator=indicator,
        targets={2010: D(1), 2011: D(5), 2012: None, 2013: D(7), 2014: None},
        by=editor,
    )
    assert changed == 3
    assert dict(Target.objects.values_list("year", "value")) == {2010: 1, 2011: 5, 2013: 7}
    assert Target.history.filter(year=2010).count() == 1  # unchanged: no new history row


def test_targets_set_refuses_years_outside_the_plan(indicator, editor):
    with pytest.raises(ValidationError):
        services.targets_set(indicator=indicator, targets={2030: D(1)}, by=editor)
    assert not Target.objects.exists()
