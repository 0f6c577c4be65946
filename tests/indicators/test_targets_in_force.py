"""The target in force at the end of a year decides the degree of achievement; no target set by
an act overwrites an earlier one."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from activities.models import LegalAct
from indicators import services
from indicators.models import Target
from indicators.selectors import Status, indicator_progress, targets_in_force
from tests.indicators.factories import IndicatorFactory, IndicatorValueFactory, TargetFactory

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 6, 1)


def act(day, number="1"):
    return LegalAct.objects.create(number=number, date=day, title=f"О внесении изменений {number}")


def test_original_target_without_acts():
    target = TargetFactory(year=2015, value=Decimal(10))

    found = targets_in_force([target.indicator_id], [2015])[(target.indicator_id, 2015)]

    assert (found.value, found.original, found.act) == (Decimal(10), Decimal(10), None)


def test_an_act_of_31_december_sets_that_years_target_one_of_1_january_does_not():
    indicator = IndicatorFactory()
    TargetFactory(indicator=indicator, year=2015, value=Decimal(10))
    on_new_years_eve = act(datetime.date(2015, 12, 31), "31")
    TargetFactory(indicator=indicator, year=2015, value=Decimal(12), act=on_new_years_eve)
    TargetFactory(
        indicator=indicator, year=2015, value=Decimal(20), act=act(datetime.date(2016, 1, 1), "1")
    )

    found = targets_in_force([indicator.pk], [2015])[(indicator.pk, 2015)]

    assert found.value == Decimal(12)
    assert found.act == on_new_years_eve
    assert found.original == Decimal(10)
    assert Target.objects.filter(indicator=indicator, year=2015).count() == 3


def test_same_day_acts_are_ordered_by_their_id_and_an_act_may_set_the_first_target():
    indicator = IndicatorFactory()
    day = datetime.date(2015, 5, 5)
    first, second = act(day, "a"), act(day, "b")
    TargetFactory(indicator=indicator, year=2015, value=Decimal(5), act=first)
    TargetFactory(indicator=indicator, year=2015, value=Decimal(7), act=second)

    found = targets_in_force([indicator.pk], [2015])[(indicator.pk, 2015)]

    assert (found.value, found.act, found.original) == (Decimal(7), second, Decimal(5))


def test_a_year_whose_only_target_came_later_has_no_target_in_force():
    indicator = IndicatorFactory()
    TargetFactory(
        indicator=indicator, year=2015, value=Decimal(5), act=act(datetime.date(2016, 2, 1))
    )

    found = targets_in_force([indicator.pk], [2015])[(indicator.pk, 2015)]

    assert found.value is None and found.original == Decimal(5)


def test_degree_is_measured_against_the_target_in_force_at_the_end_of_the_year():
    indicator = IndicatorFactory()
    TargetFactory(indicator=indicator, year=2015, value=Decimal(10))
    TargetFactory(
        indicator=indicator, year=2015, value=Decimal(20), act=act(datetime.date(2015, 12, 31))
    )
    TargetFactory(
        indicator=indicator, year=2015, value=Decimal(5), act=act(datetime.date(2016, 1, 1), "2")
    )
    IndicatorValueFactory(indicator=indicator, year=2015, value=Decimal(10))

    year = indicator_progress([indicator], [2015], today=TODAY).indicators[0].for_year(2015)

    assert year.target == Decimal(20)
    assert year.original_target == Decimal(10)
    assert year.degree == Decimal("0.5000")
    assert year.status == Status.NOT_ACHIEVED
    assert year.target_act.date == datetime.date(2015, 12, 31)


def test_setting_targets_under_an_act_keeps_the_old_ones(indicator, editor):
    TargetFactory(indicator=indicator, year=2015, value=Decimal(10))
    amendment = act(datetime.date(2015, 3, 1))

    services.targets_set(indicator=indicator, targets={2015: Decimal(15)}, by=editor, act=amendment)

    assert sorted(Target.objects.filter(indicator=indicator).values_list("value", "act")) == [
        (Decimal(10), None),
        (Decimal(15), amendment.pk),
    ]


# --- pages -----------------------------------------------------------------------------------


def _amended(indicator):
    from activities.models import PlanRevision

    amendment = act(datetime.date(2015, 6, 1), "77")
    PlanRevision.objects.create(
        plan=indicator.expected_result.section.plan,
        act=amendment,
        role=PlanRevision.Role.AMENDMENT,
        effective_date=amendment.date,
    )
    return amendment


def test_indicator_page_shows_original_target_target_in_force_and_the_act(
    client_for, viewer, indicator
):
    TargetFactory(indicator=indicator, year=2015, value=Decimal(100))
    TargetFactory(indicator=indicator, year=2015, value=Decimal(150), act=_amended(indicator))

    html = client_for(viewer).get(indicator.get_absolute_url()).content.decode()

    row = html[html.index('data-year="2015"') :]
    row = row[: row.index("</tr>")]
    assert "100" in row[row.index("original-target") : row.index("target-in-force")]
    assert "150" in row[row.index("target-in-force") :]
    assert "№ 77" in row and "01.06.2015" in row


def test_targets_form_under_an_act_adds_targets_beside_the_original(client_for, editor, indicator):
    TargetFactory(indicator=indicator, year=2015, value=Decimal(100))
    amendment = _amended(indicator)
    url = reverse("indicators:targets_edit", args=[indicator.pk])

    page = client_for(editor).get(url, {"act": amendment.pk}).content.decode()
    response = client_for(editor).post(f"{url}?act={amendment.pk}", {"target_2015": "150"})

    assert "№ 77" in page
    assert response.status_code == 302
    assert sorted(indicator.targets.values_list("value", "act")) == [
        (Decimal(100), None),
        (Decimal(150), amendment.pk),
    ]


def test_targets_form_refuses_an_act_of_another_plan(client_for, editor, indicator):
    other = act(datetime.date(2015, 6, 1), "99")
    url = reverse("indicators:targets_edit", args=[indicator.pk])

    assert client_for(editor).get(url, {"act": other.pk}).status_code == 404


def test_api_series_and_annual_report_carry_both_targets_and_the_act(client_for, viewer, indicator):
    from io import BytesIO

    from openpyxl import load_workbook

    TargetFactory(indicator=indicator, year=2015, value=Decimal(100))
    amendment = _amended(indicator)
    TargetFactory(indicator=indicator, year=2015, value=Decimal(150), act=amendment)
    IndicatorValueFactory(indicator=indicator, year=2015, value=Decimal(120))
    client = client_for(viewer)

    series = client.get(
        reverse("indicator-series", args=[indicator.pk]) + "?year_from=2015&year_to=2015"
    ).json()
    page = client.get(reverse("dashboards:annual_report", args=[2015])).content.decode()
    xlsx = client.get(reverse("dashboards:annual_report_xlsx", args=[2015]))

    year = series["years"][0]
    assert (year["target"], year["original_target"]) == ("150.0000", "100.0000")
    assert (year["target_act"]["id"], year["target_act"]["number"]) == (amendment.pk, "77")
    assert year["degree"] == "0.8000"
    assert 'data-field="original_target" data-value="100.0000"' in page
    assert 'data-field="target" data-value="150.0000"' in page and "№ 77" in page
    sheet = load_workbook(BytesIO(xlsx.content))["Показатели"]
    header, row = list(sheet.iter_rows(values_only=True))[:2]
    assert row[header.index("Плановое значение")] == 150
    assert row[header.index("Исходное плановое значение")] == 100
    assert "№ 77" in row[header.index("Установлено актом")]
