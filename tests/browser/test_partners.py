"""An editor records an incoming delegation for a measure and links a partner city to it."""

import pytest
from django.contrib.auth.models import Group

from accounts.models import Role
from partners.models import Delegation
from tests.factories import DepartmentFactory, MeasureFactory, SectionFactory, UserFactory
from tests.partners.factories import PartnerCityFactory


@pytest.fixture
def roles(transactional_db):
    # The live server's database is flushed between tests, data migrations included.
    for role in Role:
        Group.objects.get_or_create(name=role.value)


def test_editor_records_a_delegation_and_links_a_city(roles, live_server, page, login, screenshot):
    department = DepartmentFactory(name="Управление международных связей", short_name="УМС")
    editor = UserFactory(username="editor", department=department, role=Role.EDITOR)
    section = SectionFactory(number="6.4.2")
    measure = MeasureFactory(
        section=section,
        group=1,
        number=4,
        department=department,
        text="Реализация Программы сотрудничества с Северо-Востоком КНР.",
    )
    harbin = PartnerCityFactory(department=department, name_ru="Харбин", country="CN")
    PartnerCityFactory(department=department, name_ru="Ниигата", country="JP")

    login(editor)
    page.goto(f"{live_server.url}/partners/delegations/new/")
    page.select_option("#id_direction", "incoming")
    page.select_option("#id_partner_city", str(harbin.pk))
    page.select_option("#id_country", "CN")
    page.fill("#id_start_date", "2024-05-10")
    page.fill("#id_end_date", "2024-05-12")
    page.fill("#id_headcount", "8")
    page.fill("#id_purpose", "Переговоры по программе сотрудничества")
    page.select_option("#id_measures", str(measure.pk))
    page.click("button[type=submit]:has-text('Сохранить')")
    page.wait_for_selector("text=Запись сохранена.")
    delegation = Delegation.objects.get()
    assert delegation.partner_city == harbin and delegation.department == department

    page.goto(f"{live_server.url}{harbin.get_absolute_url()}")
    incoming = page.locator("#city-incoming")
    assert "10.05.2024" in incoming.inner_text()
    assert "Переговоры по программе сотрудничества" in incoming.inner_text()

    page.goto(f"{live_server.url}{measure.get_absolute_url()}")
    assert "Харбин" in page.locator("#measure-delegations").inner_text()

    # Link Niigata through the htmx control: the block is replaced, the page is not reloaded.
    page.evaluate("window.notReloaded = true")
    page.select_option("#link-city", label="Ниигата")
    page.click("#measure-city-links button:has-text('Привязать')")
    page.wait_for_selector("#measure-city-links a:has-text('Ниигата')")
    assert page.evaluate("window.notReloaded") is True
    assert measure.partner_cities.get().name_ru == "Ниигата"
    screenshot("partners-measure-links")
