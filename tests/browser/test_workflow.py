"""An editor reports, the head returns it, the editor fixes it, the head approves — in Chromium."""

import pytest

from activities.models import ProgressReport
from tests.factories import MeasureFactory


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_report_goes_through_return_and_approval(
    page, login, live_server, editor, head, department, screenshot
):
    measure = MeasureFactory(department=department, text="Обмен делегациями с городами-партнёрами.")
    measure_url = f"{live_server.url}/plans/measures/{measure.pk}/"

    # The editor writes a report and submits it.
    login(editor)
    page.goto(measure_url)
    page.get_by_role("link", name="Добавить отчёт").click()
    page.fill("#id_year", "2016")
    page.fill("#id_percent_done", "60")
    page.fill("#id_text", "Принята делегация города Ниигата.")
    page.get_by_role("button", name="Сохранить черновик").click()
    row = page.locator("#progress-reports tbody tr").first
    assert row.locator("[data-state]").get_attribute("data-state") == "draft"
    row.get_by_role("button", name="Отправить на согласование").click()
    page.wait_for_load_state("networkidle")
    assert "Отчёт отправлен на согласование." in page.content()
    report = ProgressReport.objects.get()

    # The head returns it from "My work", in place.
    login(head)
    page.goto(f"{live_server.url}/my-work/")
    # The head also edits: the measure, still without a report for last year, counts too.
    badge = page.locator("#nav-my-work .badge")
    assert badge.inner_text() == "2"
    assert "ждут согласования: 1" in badge.get_attribute("title")
    row = page.locator(f"#report-{report.pk}")
    row.get_by_placeholder("Что нужно исправить").fill("Приложите программу визита.")
    row.get_by_role("button", name="Вернуть на доработку").click()
    page.locator(f"#report-{report.pk} [data-state='returned']").wait_for()
    assert "Приложите программу визита." in page.locator(f"#report-{report.pk}").inner_text()

    # The editor sees the comment, fixes the report and submits it again.
    login(editor)
    page.goto(f"{live_server.url}/my-work/")
    page.locator(f"#report-{report.pk}").get_by_role("link", name="Изменить").click()
    assert "Приложите программу визита." in page.content()
    page.fill("#id_percent_done", "75")
    page.fill("#id_evidence_url", "https://khabarovskadm.ru/news/delegation")
    page.get_by_role("button", name="Сохранить черновик").click()
    page.locator(f"#report-{report.pk}").get_by_role(
        "button", name="Отправить на согласование"
    ).click()
    page.wait_for_load_state("networkidle")

    # The head approves it on the measure page, in place.
    login(head)
    page.goto(measure_url)
    assert page.locator("#measure-progress").inner_text().startswith("согласованных")
    page.locator(f"#report-{report.pk}").get_by_role("button", name="Согласовать").click()
    page.locator(f"#report-{report.pk} [data-state='approved']").wait_for()

    # A fresh look at the measure page: approved, and its percent is the measure's progress.
    page.goto(measure_url)
    assert page.locator(f"#report-{report.pk} [data-state]").inner_text() == "согласовано"
    assert page.locator("#measure-progress strong").inner_text() == "75 %"
    screenshot("workflow-approved")
    report.refresh_from_db()
    assert (report.state, report.percent_done, report.reviewer) == ("approved", 75, head)

    # The dashboard lists it among the latest approvals, linked to the report.
    page.goto(f"{live_server.url}/")
    approvals = page.locator("#latest-approvals")
    assert "Обмен делегациями с городами-партнёрами." in approvals.inner_text()
    assert "75 %" in approvals.inner_text()
    approvals.get_by_role("link", name="Обмен делегациями").first.click()
    assert page.url.endswith(f"/plans/reports/{report.pk}/")


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_returned_report_is_fixed_from_my_work_in_one_step(
    page, login, live_server, editor, head
):
    """Issue 19, items 2 and 3: a head's returned row keeps no one's buttons at once (no reload);
    the editor fixes it from "my work", saves and submits in one step and lands back there."""
    from tests.activities.factories import ProgressReportFactory

    measure = MeasureFactory(department=editor.department, period_start=2008, period_end=2020)
    report = ProgressReportFactory(
        measure=measure, author=editor, state="submitted", text="Принята делегация Ниигаты."
    )

    login(head)
    page.goto(f"{live_server.url}/my-work/")
    row = page.locator(f"#awaiting-approval #report-{report.pk}")
    assert "Принята делегация Ниигаты." in row.inner_text()  # the text, without opening it
    row.get_by_placeholder("Что нужно исправить").fill("Приложите программу визита.")
    page.evaluate("window.notReloaded = true")
    row.get_by_role("button", name="Вернуть на доработку").click()
    page.locator(f"#report-{report.pk} [data-state='returned']").wait_for()
    assert page.evaluate("window.notReloaded") is True
    assert page.locator(f"#report-{report.pk} button, #report-{report.pk} a.btn").count() == 0

    login(editor)
    page.goto(f"{live_server.url}/my-work/")
    page.locator(f"#report-{report.pk}").get_by_role("link", name="Изменить").click()
    page.fill("#id_percent_done", "80")
    page.get_by_role("button", name="Сохранить и отправить").click()
    page.wait_for_load_state("networkidle")

    assert page.url == f"{live_server.url}/my-work/"
    report.refresh_from_db()
    assert (report.state, report.percent_done) == ("submitted", 80)
