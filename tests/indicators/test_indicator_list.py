import pytest
from django.urls import reverse


@pytest.mark.django_db
def test_the_list_is_paged_by_fifty(client_for, viewer):
    from tests.indicators.factories import IndicatorFactory

    IndicatorFactory.create_batch(60)
    client = client_for(viewer)

    first = client.get(reverse("indicators:indicator_list"))
    second = client.get(reverse("indicators:indicator_list"), {"page": 2})

    assert len(first.context["rows"]) == 50 and len(second.context["rows"]) == 10
    assert "Страница 1 из 2" in first.content.decode()
    assert client.get(reverse("indicators:indicator_list"), {"page": "abc"}).status_code == 200
