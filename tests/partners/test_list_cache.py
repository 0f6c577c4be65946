"""The lists' filters, table and pages are kept as HTML under the data version (partners and
indicators views): a second request is served from the cache, and a write shows at once."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import ExpectedResultFactory
from tests.indicators.factories import IndicatorFactory
from tests.partners.factories import AgreementFactory


def _get(client, url, **params):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params)
    assert response.status_code == 200
    page = response.content.decode()
    return page[page.index("<main") : page.index("</main>")], len(queries)  # no form token


@pytest.mark.django_db
def test_the_agreements_register_is_served_from_the_cache_until_a_write(client, viewer, department):
    AgreementFactory(title="Соглашение с Харбином", department=department)
    client.force_login(viewer)
    url = reverse("partners:agreement_list")

    first, cold = _get(client, url, sort="title")
    second, warm = _get(client, url, sort="title")
    assert "Соглашение с Харбином" in first and second == first
    assert warm < cold

    AgreementFactory(title="Соглашение с Ниигатой", department=department)
    third, _queries = _get(client, url, sort="title")
    assert "Соглашение с Ниигатой" in third
    # Another query string is another page.
    filtered, _queries = _get(client, url, q="Ниигат")
    assert "Соглашение с Ниигатой" in filtered and "Соглашение с Харбином" not in filtered


@pytest.mark.django_db
def test_the_indicator_list_is_served_from_the_cache_until_a_write(client, viewer, department):
    result = ExpectedResultFactory()
    IndicatorFactory(name="Число делегаций", expected_result=result, department=department)
    client.force_login(viewer)
    url = reverse("indicators:indicator_list")

    first, cold = _get(client, url)
    second, warm = _get(client, url)
    assert "Число делегаций" in first and second == first
    assert warm < cold

    IndicatorFactory(name="Число соглашений", expected_result=result, department=department)
    third, _queries = _get(client, url)
    assert "Число соглашений" in third
