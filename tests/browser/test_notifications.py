"""An editor's report is returned; the editor sees the bell, opens the notification, fixes the
report and submits it again; the head's bell then says it waits — in Chromium."""

import pytest

from core.workflow import WorkflowState
from notifications.models import Notification
from tests.activities.factories import ProgressReportFactory
from tests.factories import MeasureFactory


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_returned_report_reaches_its_editor_through_the_bell(
    page, login, live_server, editor, head, department, screenshot
):
    measure = MeasureFactory(department=department, text="Обмен делегациями с городами-партнёрами.")
    report = ProgressReportFactory(
        measure=measure,
        year=2016,
        quarter=None,
        percent_done=40,
        author=editor,
        state=WorkflowState.SUBMITTED,
    )

    # The head returns it from "My work", in place.
    login(head)
    page.goto(f"{live_server.url}/my-work/")
    row = page.locator(f"#report-{report.pk}")
    row.get_by_placeholder("Что нужно исправить").fill("Приложите программу визита.")
    row.get_by_role("button", name="Вернуть на доработку").click()
    page.locator(f"#report-{report.pk} [data-state='returned']").wait_for()

    # The editor sees the bell with one unread notification and opens it.
    login(editor)
    assert page.locator("#unread-count").inner_text() == "1"
    page.locator("#nav-bell").click()
    item = page.locator("#notifications li").first
    assert "«Приложите программу визита.»" in item.inner_text()
    screenshot("notifications-returned")
    item.get_by_role("button", name="Открыть").click()
    page.wait_for_load_state("networkidle")
    assert page.url.endswith(f"/plans/reports/{report.pk}/")
    assert page.locator("#unread-count").count() == 0  # read now

    # Fixes the report and submits it again.
    page.locator(f"#report-{report.pk}").get_by_role("link", name="Изменить").click()
    page.fill("#id_percent_done", "75")
    page.get_by_role("button", name="Сохранить черновик").click()
    page.locator(f"#report-{report.pk}").get_by_role(
        "button", name="Отправить на согласование"
    ).click()
    page.wait_for_load_state("networkidle")
    report.refresh_from_db()
    assert (report.state, report.percent_done) == ("submitted", 75)

    # The head's bell says it waits.
    login(head)
    assert page.locator("#unread-count").inner_text() == "1"
    page.locator("#nav-bell").click()
    assert "на согласование" in page.locator("#notifications li").first.inner_text()
    assert Notification.objects.filter(user=head, read_at__isnull=True).count() == 1
