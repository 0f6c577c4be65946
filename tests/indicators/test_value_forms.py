"""Setting targets, entering and correcting values: refusals in Russian, nothing written."""

from decimal import Decimal as D

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse

from core.workflow import WorkflowState
from indicators.models import IndicatorValue, Target

from .factories import IndicatorValueFactory, TargetFactory


def targets_url(indicator):
    return reverse("indicators:targets_edit", args=[indicator.pk])


def create_url(indicator):
    return reverse("indicators:value_create", args=[indicator.pk])


def edit_url(item):
    return reverse("indicators:value_edit", args=[item.pk])


# --- targets ----------------------------------------------------------------------------------


def test_targets_form_lists_plan_years(client_for, editor, indicator):
    TargetFactory(indicator=indicator, year=2010, value=D("12.5"))
    response = client_for(editor).get(targets_url(indicator))
    assert response.status_code == 200
    assert [year for year, _field in response.context["form"].rows()] == list(range(2008, 2021))
    assert 'value="12,5"' in response.content.decode()


def test_targets_are_saved(client_for, editor, indicator):
    TargetFactory(indicator=indicator, year=2010, value=D(1))
    response = client_for(editor).post(
        targets_url(indicator), {"target_2009": "5", "target_2010": "", "target_2011": "7,25"}
    )
    assert response.status_code == 302 and response.url == indicator.get_absolute_url()
    assert dict(Target.objects.values_list("year", "value")) == {2009: 5, 2011: D("7.25")}


def test_targets_refuse_non_numbers(client_for, editor, indicator):
    TargetFactory(indicator=indicator, year=2010, value=D(1))
    response = client_for(editor).post(
        targets_url(indicator), {"target_2009": "пять", "target_2010": ""}
    )
    assert response.status_code == 400
    assert "Введите число, например 12,5." in response.content.decode()
    assert dict(Target.objects.values_list("year", "value")) == {2010: 1}


@pytest.mark.parametrize("user", ["head", "administrator"])
def test_targets_allowed(client_for, request, user, indicator):
    assert client_for(request.getfixturevalue(user)).get(targets_url(indicator)).status_code == 200


@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("user", ["viewer", "other_editor", "other_head"])
def test_targets_refused(client_for, request, user, method, indicator):
    response = getattr(client_for(request.getfixturevalue(user)), method)(
        targets_url(indicator), {"target_2010": "1"}
    )
    assert response.status_code == 403
    assert not Target.objects.exists()


def test_targets_anonymous_and_wrong_method(client_for, editor, indicator):
    assert client_for(None).get(targets_url(indicator)).status_code == 302
    assert client_for(editor).put(targets_url(indicator)).status_code == 405


# --- entering a value ----------------------------------------------------------------------


def test_value_is_entered_as_a_draft(client_for, editor, indicator):
    evidence = SimpleUploadedFile("spravka.pdf", b"%PDF-1.4 test", "application/pdf")
    response = client_for(editor).post(
        create_url(indicator),
        {"year": "2015", "quarter": "2", "value": "1 234,5", "evidence_file": evidence},
    )
    assert response.status_code == 302
    item = IndicatorValue.objects.get()
    assert (item.year, item.quarter, item.value) == (2015, 2, D("1234.5"))
    assert (item.state, item.author) == (WorkflowState.DRAFT, editor)
    assert item.evidence_file.name.endswith(".pdf")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"year": "2015", "value": "много"}, "Введите число, например 12,5."),
        ({"year": "2015", "value": ""}, "Укажите значение."),
        ({"year": "", "value": "5"}, "Укажите год."),
        ({"year": "2030", "value": "5"}, "Год должен быть в пределах лет плана, 2008–2020."),
        ({"year": "2015", "quarter": "5", "value": "5"}, "Квартал должен быть 1, 2, 3 или 4."),
        ({"year": "2015", "value": "5", "evidence_url": "javascript:alert(1)"}, "полную ссылку"),
        ({"year": "2016", "value": "5"}, "Значение за 2016 год уже внесено."),
        ({"year": "2016", "quarter": "1", "value": "5"}, "внесено значение за весь 2016 год"),
    ],
)
def test_value_form_refusals(client_for, editor, indicator, data, message):
    IndicatorValueFactory(indicator=indicator, year=2016)
    response = client_for(editor).post(create_url(indicator), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert IndicatorValue.objects.count() == 1


def test_value_form_refuses_wrong_file_type(client_for, editor, indicator):
    evidence = SimpleUploadedFile("virus.exe", b"MZ", "application/octet-stream")
    response = client_for(editor).post(
        create_url(indicator), {"year": "2015", "value": "5", "evidence_file": evidence}
    )
    assert response.status_code == 400
    assert "Файлы с расширением «.exe» загружать нельзя" in response.content.decode()
    assert not IndicatorValue.objects.exists()


def test_value_for_computed_indicator_is_refused(client_for, editor, computed_indicator):
    response = client_for(editor).post(
        create_url(computed_indicator), {"year": "2015", "value": "5"}
    )
    assert response.status_code == 400
    assert "вычисляются по записям о партнёрах" in response.content.decode()
    assert not IndicatorValue.objects.exists()


@pytest.mark.parametrize("user", ["editor", "head", "administrator"])
def test_value_create_allowed(client_for, request, user, indicator):
    response = client_for(request.getfixturevalue(user)).get(create_url(indicator))
    assert response.status_code == 200


@pytest.mark.parametrize("user", ["viewer", "other_editor", "other_head"])
def test_value_create_refused(client_for, request, user, indicator):
    client = client_for(request.getfixturevalue(user))
    assert client.get(create_url(indicator)).status_code == 403
    assert client.post(create_url(indicator), {"year": "2015", "value": "5"}).status_code == 403
    assert not IndicatorValue.objects.exists()


def test_value_create_anonymous_and_wrong_method(client_for, editor, indicator):
    response = client_for(None).post(create_url(indicator), {"year": "2015", "value": "5"})
    assert response.status_code == 302 and "/accounts/login/" in response.url
    assert client_for(editor).delete(create_url(indicator)).status_code == 405
    assert not IndicatorValue.objects.exists()


# --- correcting a value ----------------------------------------------------------------------


def test_returned_value_is_corrected(client_for, editor, indicator):
    item = IndicatorValueFactory(indicator=indicator, state=WorkflowState.RETURNED, value=D(1))
    client = client_for(editor)
    assert client.get(edit_url(item)).status_code == 200
    response = client.post(edit_url(item), {"year": "2015", "value": "2"})
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.value == D(2)


@pytest.mark.parametrize("method", ["get", "post"])
def test_approved_value_is_read_only(client_for, editor, indicator, method):
    item = IndicatorValueFactory(indicator=indicator, state=WorkflowState.APPROVED, value=D(1))
    response = getattr(client_for(editor), method)(edit_url(item), {"year": "2015", "value": "2"})
    assert response.status_code == 409
    assert "Изменить можно только черновик" in response.content.decode()
    item.refresh_from_db()
    assert item.value == D(1)


def test_value_edit_refuses_duplicate_period(client_for, editor, indicator):
    IndicatorValueFactory(indicator=indicator, year=2016)
    item = IndicatorValueFactory(indicator=indicator, year=2015, state=WorkflowState.DRAFT)
    response = client_for(editor).post(edit_url(item), {"year": "2016", "value": "2"})
    assert response.status_code == 400
    assert "Значение за 2016 год уже внесено." in response.content.decode()


@pytest.mark.parametrize("user", ["viewer", "other_editor"])
def test_value_edit_refused(client_for, request, user, indicator):
    item = IndicatorValueFactory(indicator=indicator, state=WorkflowState.DRAFT, value=D(1))
    client = client_for(request.getfixturevalue(user))
    assert client.post(edit_url(item), {"year": "2015", "value": "2"}).status_code == 403
    item.refresh_from_db()
    assert item.value == D(1)


def test_value_edit_anonymous_and_wrong_method(client_for, editor, indicator):
    item = IndicatorValueFactory(indicator=indicator, state=WorkflowState.DRAFT)
    assert client_for(None).get(edit_url(item)).status_code == 302
    assert client_for(editor).patch(edit_url(item)).status_code == 405


@override_settings(UPLOAD_MAX_BYTES=10)
def test_value_form_refuses_too_large_file(client_for, editor, indicator):
    evidence = SimpleUploadedFile("spravka.pdf", b"%PDF-1.4 more than ten bytes", "application/pdf")
    response = client_for(editor).post(
        create_url(indicator), {"year": "2015", "value": "5", "evidence_file": evidence}
    )
    assert response.status_code == 400
    assert "можно загрузить файл не больше 10\xa0байт" in response.content.decode()
    assert not IndicatorValue.objects.exists()


def test_a_computed_indicator_offers_no_save(client_for, editor, computed_indicator):
    html = client_for(editor).get(create_url(computed_indicator)).content.decode()

    assert "вычисляются по записям о партнёрах" in html
    assert 'enctype="multipart/form-data"' not in html
    assert "Сохранить</button>" not in html


@pytest.mark.parametrize("page", ["value", "targets"])
def test_the_unit_ends_in_one_full_stop(client_for, editor, indicator, page):
    indicator.unit = "ед."
    indicator.save()
    url = create_url(indicator) if page == "value" else targets_url(indicator)
    html = client_for(editor).get(url).content.decode()

    assert "Единица измерения: ед." in html
    assert "ед.." not in html
