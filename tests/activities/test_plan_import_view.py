from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from activities.models import Measure, StrategicPlan

SEED = Path(__file__).resolve().parents[2] / "data" / "plans" / "khabarovsk-2020-section-6.4.2.txt"
URL = reverse("activities:plan_import")


def upload(content, name="plan.txt"):
    return {"file": SimpleUploadedFile(name, content, content_type="text/plain")}


@pytest.mark.django_db
def test_it_shows_the_form_to_an_administrator(client_for, administrator):
    response = client_for(administrator).get(URL)

    assert response.status_code == 200
    assert "Импорт плана" in response.content.decode()


@pytest.mark.django_db
def test_it_previews_then_imports_the_seed(client_for, administrator):
    client = client_for(administrator)
    preview = client.post(URL, upload(SEED.read_bytes()))

    assert preview.status_code == 200
    assert "Ничего ещё не сохранено" in preview.content.decode()
    assert StrategicPlan.objects.count() == 0
    response = client.post(URL, {"text": SEED.read_text(encoding="utf-8"), "apply": "1"})
    plan = StrategicPlan.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("activities:plan_revisions", args=[plan.pk])
    assert Measure.objects.count() == 7


@pytest.mark.django_db
def test_it_refuses_a_truncated_text_with_the_line_and_writes_nothing(client_for, administrator):
    truncated = SEED.read_bytes().split("Ожидаемые".encode())[0]

    response = client_for(administrator).post(URL, upload(truncated, "cut.txt"))

    assert response.status_code == 400
    html = response.content.decode()
    assert "cut.txt, строка" in html
    assert "Ожидаемые результаты" in html
    assert StrategicPlan.objects.count() == 0


@pytest.mark.django_db
@pytest.mark.parametrize(
    "data",
    [{}, upload(b""), upload(b"\x00\x01\x02PK\x03\x04" * 50, "plan.docx")],
    ids=["no-file", "empty", "binary"],
)
def test_it_refuses_bad_uploads(client_for, administrator, data):
    response = client_for(administrator).post(URL, data)

    assert response.status_code == 400
    assert 'class="invalid-feedback"' in response.content.decode()
    assert StrategicPlan.objects.count() == 0


@pytest.mark.django_db
def test_it_refuses_a_file_over_two_megabytes(client_for, administrator):
    response = client_for(administrator).post(URL, upload(b"a" * (2 * 1024 * 1024 + 1)))

    assert response.status_code == 400
    assert "слишком велик" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["viewer", "editor", "other_editor", "head", "api_client_user"])
def test_it_refuses_everyone_but_administrators(request, client_for, role):
    client = client_for(request.getfixturevalue(role))

    assert client.get(URL).status_code == 403
    assert client.post(URL, upload(SEED.read_bytes())).status_code == 403
    assert StrategicPlan.objects.count() == 0


@pytest.mark.django_db
def test_it_sends_anonymous_users_to_the_login_page(client):
    response = client.post(URL, upload(SEED.read_bytes()))

    assert response.status_code == 302
    assert StrategicPlan.objects.count() == 0


@pytest.mark.django_db
def test_it_rejects_other_methods(client_for, administrator):
    assert client_for(administrator).put(URL).status_code == 405
