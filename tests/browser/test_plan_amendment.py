"""An administrator uploads an amendment under its act, reads the preview, applies it, and
finds the revision and the two targets of an indicator."""

import datetime
from decimal import Decimal

import pytest

from activities.models import ExpectedResult, LegalAct, StrategicPlan
from activities.services import ActDetails, plan_import
from tests.activities.test_revisions import AMENDED, ORIGINAL
from tests.indicators.factories import IndicatorFactory, TargetFactory


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_upload_an_amendment_preview_apply_and_see_revision_and_targets(
    page, login, live_server, administrator, tmp_path, screenshot
):
    plan_import(
        data=ORIGINAL.encode(), act=ActDetails("1", datetime.date(2008, 5, 20), "Об утверждении")
    )
    plan = StrategicPlan.objects.get()
    indicator = IndicatorFactory(expected_result=ExpectedResult.objects.get())
    TargetFactory(indicator=indicator, year=2016, value=Decimal(10))
    amended = tmp_path / "amended.txt"
    amended.write_text(AMENDED, encoding="utf-8")

    login(administrator)
    page.goto(f"{live_server.url}/plans/import/")
    page.set_input_files("#id_file", str(amended))
    page.fill("#id_act_number", "123")
    page.fill("#id_act_date", "2016-03-01")
    page.fill("#id_act_title", "О внесении изменений в план")
    page.get_by_role("button", name="Показать изменения").click()

    assert page.locator("h1").inner_text() == "Что меняет текст"
    assert page.locator("ins", has_text="школьников и студентов.").count() == 1
    assert (
        page.locator("[data-change='measure-excluded']").inner_text().count("Издание буклета") == 1
    )
    screenshot("amendment-preview")
    page.get_by_role("button", name="Применить изменения").click()

    assert page.url.endswith(f"/plans/{plan.pk}/revisions/")
    assert "№ 123" in page.locator(".revision").first.inner_text()
    assert page.locator("#plan-tabs .active").inner_text() == "Редакции"

    # The act now sets a higher target for 2016 beside the original one.
    act = LegalAct.objects.get(number="123")
    page.goto(f"{live_server.url}/indicators/{indicator.pk}/targets/?act={act.pk}")
    page.fill("#id_target_2016", "15")
    page.get_by_role("button", name="Сохранить").click()
    row = page.locator("#progress-table tr[data-year='2016']")
    assert row.locator(".original-target").inner_text() == "10"
    assert row.locator(".target-in-force").inner_text().startswith("15")
    assert "№ 123" in row.locator(".target-act").inner_text()
    screenshot("amendment-targets")
