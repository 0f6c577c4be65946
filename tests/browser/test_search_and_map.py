"""A reader searches from the navigation and finds grouped, highlighted results; the partner
map draws its cities from this site's own files only."""

from decimal import Decimal

import pytest
from django.contrib.auth.models import Group

from accounts.models import Role
from tests.factories import DepartmentFactory, UserFactory
from tests.partners.factories import AgreementFactory, EventFactory, PartnerCityFactory


@pytest.fixture
def roles(transactional_db):
    # The live server's database is flushed between tests, data migrations included.
    for role in Role:
        Group.objects.get_or_create(name=role.value)


@pytest.fixture
def department(roles):
    return DepartmentFactory(name="Управление международных связей", short_name="УМС")


@pytest.fixture
def viewer(department):
    return UserFactory(username="viewer", department=department, role=Role.VIEWER)


def test_search_from_the_navigation(department, viewer, live_server, page, login, screenshot):
    harbin = PartnerCityFactory(department=department, name_ru="Харбин", country="CN")
    agreement = AgreementFactory(
        department=department, title="Соглашение об установлении побратимских связей с Харбином"
    )
    agreement.partner_cities.add(harbin)
    EventFactory(department=department, title="Форум городов-побратимов")

    login(viewer)
    page.fill("#nav-search input[name=q]", "побратимские связи")
    page.press("#nav-search input[name=q]", "Enter")
    page.wait_for_selector(".search-group")

    assert page.url.startswith(f"{live_server.url}/search/?q=")
    groups = page.locator(".search-group h2").all_inner_texts()
    assert "Соглашения" in groups
    marks = page.locator(".search-group[data-kind=agreement] mark").all_inner_texts()
    assert marks == ["побратимских", "связей"]
    assert page.input_value("#search-page-q") == "побратимские связи"
    screenshot("search-results")

    # A typo in a name: the city is found by similarity.
    page.fill("#nav-search input[name=q]", "Харбн")
    page.press("#nav-search input[name=q]", "Enter")
    page.wait_for_selector(".search-group[data-kind=city]")
    page.click(".search-group[data-kind=city] a:has-text('Харбин')")
    page.wait_for_url(f"{live_server.url}{harbin.get_absolute_url()}")


def test_the_partner_map_draws_its_cities_from_this_site(
    department, viewer, live_server, page, login, screenshot
):
    cities = [
        PartnerCityFactory(
            department=department,
            name_ru=name,
            status="sister",
            latitude=Decimal(latitude),
            longitude=Decimal(longitude),
        )
        for name, latitude, longitude in [
            ("Харбин", "45.8038", "126.5350"),
            ("Ниигата", "37.9161", "139.0364"),
            ("Портленд", "45.5152", "-122.6784"),
        ]
    ]
    PartnerCityFactory(department=department, name_ru="Город без координат")
    requests = []
    page.on("request", lambda request: requests.append(request.url))
    errors = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))

    login(viewer)
    page.goto(f"{live_server.url}/partners/map/")
    page.wait_for_selector("#partner-map svg .map-city")

    assert page.locator("#partner-map svg .map-land").count() == 1
    assert page.locator("#partner-map svg .map-city").count() == 3
    titles = page.locator("#partner-map svg .map-city title").all_text_contents()
    assert any(title.startswith("Харбин: соглашений: 0") for title in titles)
    assert page.locator("#partner-map-list li").count() == 3
    # The markers stand where the cities are: Portland east of Niigata (the map is centred on
    # the Pacific), Niigata south of Harbin.
    boxes = {
        name: page.locator(
            f"#partner-map svg .map-city:has(text:text-is('{name}')) circle"
        ).bounding_box()
        for name in ("Харбин", "Ниигата", "Портленд")
    }
    assert boxes["Портленд"]["x"] > boxes["Ниигата"]["x"] > boxes["Харбин"]["x"]
    assert boxes["Ниигата"]["y"] > boxes["Харбин"]["y"]
    screenshot("partner-map")
    assert errors == []
    foreign = [url for url in requests if not url.startswith(live_server.url)]
    assert foreign == []
    assert any(url.endswith("/static/vendor/world-atlas/countries-110m.json") for url in requests)

    page.click(f"#partner-map svg a[href='{cities[1].get_absolute_url()}']")
    page.wait_for_url(f"{live_server.url}{cities[1].get_absolute_url()}")
