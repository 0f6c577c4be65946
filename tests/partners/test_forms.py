"""The forms refuse what the database would refuse, with a message in Russian."""

import pytest

from partners.forms import AgreementForm, DelegationForm, EventForm, ExchangeForm, PartnerCityForm

from .factories import PartnerCityFactory

pytestmark = pytest.mark.django_db


def delegation_data(department, **overrides):
    data = {
        "direction": "incoming",
        "partner_city": "",
        "partner_organisation": "",
        "origin": "Приморский край",
        "country": "CN",
        "start_date": "2012-06-01",
        "end_date": "2012-06-03",
        "headcount": "5",
        "purpose": "Переговоры",
        "department": department.pk,
    }
    data.update(overrides)
    return data


def test_it_refuses_agreement_ending_before_signing(editor):
    form = AgreementForm(
        {
            "title": "Соглашение",
            "kind": "cooperation",
            "level": "international",
            "status": "in_force",
            "signed_on": "2012-05-01",
            "valid_until": "2012-04-01",
            "department": editor.department_id,
        },
        user=editor,
    )
    assert not form.is_valid()
    assert form.errors["valid_until"] == [
        "Срок действия соглашения не может заканчиваться раньше даты подписания."
    ]


def test_it_refuses_delegation_ending_before_start(editor):
    form = DelegationForm(delegation_data(editor.department, end_date="2012-05-30"), user=editor)
    assert not form.is_valid()
    assert form.errors["end_date"] == ["Дата окончания визита не может быть раньше даты начала."]


def test_it_refuses_delegation_without_people(editor):
    form = DelegationForm(delegation_data(editor.department, headcount="0"), user=editor)
    assert not form.is_valid()
    assert "Численность должна быть положительным числом." in form.errors["headcount"]


def test_it_refuses_incoming_delegation_without_partner(editor):
    form = DelegationForm(delegation_data(editor.department, origin=""), user=editor)
    assert not form.is_valid()
    assert form.errors["partner_city"] == [
        "Укажите, откуда прибыла делегация: город-партнёр, организацию-партнёр или регион (город)."
    ]


def test_it_accepts_a_good_delegation(editor):
    city = PartnerCityFactory(department=editor.department)
    form = DelegationForm(
        delegation_data(editor.department, partner_city=city.pk, origin=""), user=editor
    )
    assert form.is_valid(), form.errors


def test_it_refuses_exchange_without_host(editor):
    form = ExchangeForm(
        {
            "category": "students",
            "headcount": "3",
            "year": "2012",
            "country": "CN",
            "department": editor.department_id,
        },
        user=editor,
    )
    assert not form.is_valid()
    assert form.errors["host"] == [
        "Укажите принимающую сторону: город-партнёр, организацию-партнёр или её название."
    ]


def test_it_refuses_event_ending_before_start(editor):
    form = EventForm(
        {
            "title": "Форум",
            "kind": "forum",
            "level": "international",
            "start_date": "2012-09-02",
            "end_date": "2012-09-01",
            "place": "Хабаровск",
            "country": "RU",
            "department": editor.department_id,
        },
        user=editor,
    )
    assert not form.is_valid()
    assert form.errors["end_date"] == [
        "Дата окончания мероприятия не может быть раньше даты начала."
    ]


def test_it_limits_editor_to_own_department(editor, other_department):
    form = PartnerCityForm(
        {
            "name_ru": "Харбин",
            "country": "CN",
            "status": "sister",
            "department": other_department.pk,
        },
        user=editor,
    )
    assert not form.is_valid()
    assert "department" in form.errors
    assert list(form.fields["department"].queryset) == [editor.department]


def test_it_lets_administrator_choose_any_department(administrator, other_department):
    form = PartnerCityForm(
        {
            "name_ru": "Харбин",
            "country": "CN",
            "status": "sister",
            "department": other_department.pk,
        },
        user=administrator,
    )
    assert form.is_valid(), form.errors


def test_it_refuses_duplicate_city_with_a_message(editor):
    PartnerCityFactory(name_ru="Харбин", country="CN", department=editor.department)
    form = PartnerCityForm(
        {
            "name_ru": "Харбин",
            "country": "CN",
            "status": "sister",
            "department": editor.department_id,
        },
        user=editor,
    )
    assert not form.is_valid()
    assert "уже существует" in str(form.errors)
