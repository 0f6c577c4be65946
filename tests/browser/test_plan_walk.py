import pytest

from activities.models import Measure
from activities.services import plan_import
from tests.activities.test_import_service import SEED


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_viewer_walks_from_the_plan_list_to_a_measure(
    page, login, live_server, viewer, screenshot
):
    plan_import(data=SEED.read_bytes())
    measure = Measure.objects.get(group=2, number=1)

    login(viewer)
    page.goto(f"{live_server.url}/plans/")
    page.get_by_role("link", name="Об утверждении Стратегического плана").click()
    page.get_by_role("link", name="Расширение региональных").click()
    assert page.locator("h2", has_text="Цель").is_visible()
    assert page.locator("[data-measure-group]").count() == 2
    page.locator("[data-measure-group='2'] a").first.click()

    assert page.locator("h1").inner_text() == "Мероприятие 2.1"
    assert measure.text[:40] in page.content()
    breadcrumbs = page.locator(".breadcrumb-item").all_inner_texts()
    assert breadcrumbs[0] == "Стратегические планы" and breadcrumbs[2] == "6.4.2"
    screenshot("plan-walk-measure")


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_language_switch_turns_the_page_english(page, login, live_server, viewer):
    login(viewer)
    page.goto(f"{live_server.url}/plans/")
    page.click("#language-form button[value=en]")
    page.wait_for_load_state("networkidle")

    assert page.locator("h1").inner_text() == "Strategic plans"
