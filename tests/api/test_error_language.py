"""Every error code of the API gives its message in Russian under "ru" and in English under
"en", whatever language the request asks for (core.api.errors)."""

from decimal import Decimal

import pytest
from django.urls import reverse

from accounts.tokens import api_token_issue
from activities.models import ReportingYear
from core.api.throttling import ClientRateThrottle
from core.workflow import WorkflowState
from tests.indicators.factories import IndicatorFactory, IndicatorValueFactory

pytestmark = pytest.mark.django_db

LANGUAGES = ["ru", "en"]
JSON = "application/json"


@pytest.fixture
def value(department):
    indicator = IndicatorFactory(department=department)
    return IndicatorValueFactory(
        indicator=indicator, year=2015, value=Decimal(5), state=WorkflowState.APPROVED
    )


def detail(value):
    return reverse("indicatorvalue-detail", args=[value.pk])


def validation_error(client, users, value):
    body = {"indicator": value.indicator_id, "year": "soon", "value": "1"}
    return client(users["editor"]).post(reverse("indicatorvalue-list"), body, content_type=JSON)


def parse_error(client, users, value):
    return client(users["editor"]).post(reverse("indicatorvalue-list"), "{", content_type=JSON)


def not_authenticated(client, users, value):
    return client(None).get(reverse("indicatorvalue-list"))


def authentication_failed(client, users, value):
    return client(None).get(reverse("indicatorvalue-list"), HTTP_AUTHORIZATION="Token wrong")


def permission_denied(client, users, value):
    return client(users["viewer"]).patch(detail(value), {"value": "1"}, content_type=JSON)


def not_found(client, users, value):
    return client(users["viewer"]).get(reverse("indicatorvalue-detail", args=[value.pk + 999]))


def method_not_allowed(client, users, value):
    return client(users["administrator"]).delete(detail(value))


def not_acceptable(client, users, value):
    return client(users["viewer"]).get(detail(value), HTTP_ACCEPT="application/xml")


def unsupported_media_type(client, users, value):
    return client(users["editor"]).post(reverse("indicatorvalue-list"), {"year": 2015})


def already_approved(client, users, value):
    return client(users["head"]).post(reverse("indicatorvalue-approve", args=[value.pk]))


def not_editable(client, users, value):
    return client(users["editor"]).patch(detail(value), {"value": "1"}, content_type=JSON)


def year_locked(client, users, value):
    value.state = WorkflowState.DRAFT
    value.save()
    ReportingYear.objects.create(year=2015, locked=True)
    return client(users["editor"]).post(reverse("indicatorvalue-submit", args=[value.pk]))


def throttled(client, users, value):
    caller = client(users["viewer"])
    for _request in range(2):
        caller.get(detail(value))
    return caller.get(detail(value))


CASES = {
    validation_error: (400, "validation_error", "Проверьте переданные данные.",
                       "Check the data you sent."),
    parse_error: (400, "parse_error", "Тело запроса не является корректным JSON.",
                  "The request body is not valid JSON."),
    not_authenticated: (401, "not_authenticated", "Учётные данные не предоставлены.",
                        "Authentication credentials were not provided."),
    authentication_failed: (401, "authentication_failed",
                            "Ключ API недействителен, истёк или отозван.",
                            "The API token is not valid, has expired or has been revoked."),
    permission_denied: (403, "permission_denied", "У вас нет прав на это действие.",
                        "You do not have permission to do this."),
    not_found: (404, "not_found", "Не найдено.", "Not found."),
    method_not_allowed: (405, "method_not_allowed", "Этот метод здесь не поддерживается.",
                         "This method is not allowed here."),
    not_acceptable: (406, "not_acceptable", "Запрошенный формат недоступен.",
                     "The requested format is not available."),
    unsupported_media_type: (415, "unsupported_media_type",
                             "Передайте тело запроса в формате JSON (application/json).",
                             "Send the request body as JSON (application/json)."),
    already_approved: (409, "conflict", "Значение уже согласовано.",
                       "The value has already been approved."),
    not_editable: (409, "conflict",
                   "Значение уже согласовано. Изменить можно только черновик или значение, "
                   "возвращённое на доработку.",
                   "The value has already been approved. Only a draft or a returned value can "
                   "be changed."),
    year_locked: (409, "conflict", "Отчётный год 2015 закрыт для изменений.",
                  "Reporting year 2015 is closed for changes."),
    throttled: (429, "throttled", "Слишком много запросов; повторите позже.",
                "Too many requests; try again later."),
}  # fmt: skip


@pytest.fixture
def users(viewer, editor, head, administrator):
    return {"viewer": viewer, "editor": editor, "head": head, "administrator": administrator}


@pytest.fixture
def client_in(client, monkeypatch):
    """client_in(language)(user): the test client asking for `language`, signed in as user."""
    rates = {**ClientRateThrottle.THROTTLE_RATES, "client": "2/minute"}
    monkeypatch.setattr(ClientRateThrottle, "THROTTLE_RATES", rates)

    def asking(language):
        client.defaults["HTTP_ACCEPT_LANGUAGE"] = language

        def signed_in(user):
            client.logout()
            if user is not None:
                client.force_login(user)
            return client

        return signed_in

    return asking


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("case", list(CASES), ids=lambda case: case.__name__)
def test_each_error_speaks_russian_under_ru_and_english_under_en(
    client_in, users, value, case, language
):
    status, code, russian, english = CASES[case]

    response = case(client_in(language), users, value)

    assert response.status_code == status, response.content
    body = response.json()
    assert body["code"] == code
    assert body["message"] == {"ru": russian, "en": english}


def test_an_api_token_caller_gets_both_languages_too(client, api_client_user, value):
    """The token path (no session, no language cookie) renders the same way."""
    _token, key = api_token_issue(user=api_client_user, name="client")

    response = client.post(
        reverse("indicatorvalue-approve", args=[value.pk]),
        HTTP_AUTHORIZATION=f"Token {key}",
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert response.status_code == 403
    assert response.json()["message"] == {
        "ru": "У вас нет прав на это действие.",
        "en": "You do not have permission to do this.",
    }
