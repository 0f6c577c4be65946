"""Every endpoint of /api/v1/: roles, approved-only data for API clients, query counts, writes,
workflow actions and the series, which must give the dashboard's numbers."""

import csv
import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.tokens import api_token_issue
from core.workflow import WorkflowState
from indicators.models import IndicatorValue
from indicators.selectors import indicator_progress
from khv_strategy.api.router import router
from partners.models import Delegation
from tests.activities.factories import ProgressReportFactory
from tests.factories import (
    ExpectedResultFactory,
    GoalFactory,
    MeasureFactory,
    SectionFactory,
    TaskFactory,
)
from tests.indicators.factories import IndicatorFactory, IndicatorValueFactory, TargetFactory
from tests.partners.factories import (
    AgreementFactory,
    DelegationFactory,
    EventFactory,
    ExchangeFactory,
    PartnerCityFactory,
    PartnerOrganisationFactory,
)

BASENAMES = [basename for _prefix, _viewset, basename in router.registry]
READERS = ["viewer", "editor", "other_editor", "head", "administrator", "api_client_user"]


def populate(department, size):
    """`size` rows of everything, owned by `department`; half the reports and values pending."""
    section = SectionFactory()
    result = ExpectedResultFactory(section=section)
    GoalFactory(section=section)
    for number in range(1, size + 1):
        TaskFactory(section=section, number=number)
        measure = MeasureFactory(section=section, number=number, department=department)
        city = PartnerCityFactory(department=department)
        city.measures.add(measure)
        organisation = PartnerOrganisationFactory(department=department, city=city)
        agreement = AgreementFactory(department=department)
        agreement.partner_cities.add(city)
        agreement.partner_organisations.add(organisation)
        agreement.measures.add(measure)
        DelegationFactory(department=department, partner_city=city).measures.add(measure)
        ExchangeFactory(department=department).measures.add(measure)
        event = EventFactory(department=department)
        event.partner_cities.add(city)
        event.measures.add(measure)
        indicator = IndicatorFactory(expected_result=result, department=department)
        TargetFactory(indicator=indicator, year=2015, value=Decimal(100))
        IndicatorValueFactory(indicator=indicator, year=2015, value=Decimal(95))
        IndicatorValueFactory(
            indicator=indicator, year=2016, value=Decimal(5), state=WorkflowState.SUBMITTED
        )
        ProgressReportFactory(measure=measure, year=2015, quarter=None,
                              state=WorkflowState.APPROVED)  # fmt: skip
        ProgressReportFactory(measure=measure, year=2016, quarter=None)


def list_url(basename):
    return reverse(f"{basename}-list")


@pytest.fixture
def data(department):
    populate(department, 3)


@pytest.mark.django_db
@pytest.mark.parametrize("basename", BASENAMES)
@pytest.mark.parametrize("role", READERS)
def test_every_reader_lists_and_reads_every_endpoint(request, client_for, data, basename, role):
    client = client_for(request.getfixturevalue(role))

    response = client.get(list_url(basename))

    assert response.status_code == 200, response.content
    rows = response.json()["results"]
    assert rows
    detail = client.get(reverse(f"{basename}-detail", args=[rows[0]["id"]]))
    assert detail.status_code == 200 and detail.json() == rows[0]


@pytest.mark.django_db
@pytest.mark.parametrize("basename", BASENAMES)
def test_anonymous_callers_are_refused(client, data, basename):
    response = client.get(list_url(basename))

    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"


@pytest.mark.django_db
@pytest.mark.parametrize("basename", BASENAMES)
def test_list_query_counts_do_not_grow_with_the_data(client_for, viewer, department, basename):
    """Every list prefetches its many-to-many ids and computes nothing per row."""
    client = client_for(viewer)
    counts = []
    for size in (2, 12):
        populate(department, size)
        client.get(list_url(basename))
        with CaptureQueriesContext(connection) as queries:
            assert client.get(list_url(basename)).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts


@pytest.mark.django_db
@pytest.mark.parametrize("basename", ["progressreport", "indicatorvalue"])
def test_api_clients_see_approved_items_only(client, api_client_user, data, basename):
    _token, key = api_token_issue(user=api_client_user, name="open data")

    rows = client.get(list_url(basename), HTTP_AUTHORIZATION=f"Token {key}").json()["results"]

    assert rows and {row["state"] for row in rows} == {"approved"}


@pytest.mark.django_db
@pytest.mark.parametrize("basename", ["progressreport", "indicatorvalue"])
def test_staff_see_their_own_departments_pending_items_only(
    client_for, editor, other_editor, data, basename
):
    own = client_for(editor).get(list_url(basename)).json()["results"]
    assert {row["state"] for row in own} == {"approved", "submitted"} or {
        row["state"] for row in own
    } == {"approved", "draft"}

    others = client_for(other_editor).get(list_url(basename)).json()["results"]
    assert {row["state"] for row in others} == {"approved"}


@pytest.mark.django_db
def test_a_pending_item_of_another_department_is_404(client_for, other_editor, data):
    pending = IndicatorValue.objects.filter(state=WorkflowState.SUBMITTED).first()

    response = client_for(other_editor).get(reverse("indicatorvalue-detail", args=[pending.pk]))

    assert response.status_code == 404


# --- partner records: writes ---------------------------------------------------------------


def delegation_body(city, **changes):
    body = {
        "direction": "incoming",
        "partner_city": city.pk,
        "country": "CN",
        "start_date": "2016-05-10",
        "end_date": "2016-05-12",
        "headcount": 6,
        "purpose": "Переговоры о побратимских связях",
    }
    return {**body, **changes}


@pytest.mark.django_db
class TestPartnerWrites:
    def test_an_editor_records_a_delegation_for_their_department(
        self, client_for, editor, department
    ):
        city = PartnerCityFactory(department=department)

        response = client_for(editor).post(
            list_url("delegation"), delegation_body(city), content_type="application/json"
        )

        assert response.status_code == 201, response.content
        delegation = Delegation.objects.get(pk=response.json()["id"])
        assert delegation.department == department
        assert delegation.history.first().history_user == editor

    def test_it_refuses_an_end_before_the_start_and_writes_nothing(
        self, client_for, editor, department
    ):
        city = PartnerCityFactory(department=department)

        response = client_for(editor).post(
            list_url("delegation"),
            delegation_body(city, end_date="2016-05-01"),
            content_type="application/json",
        )

        assert response.status_code == 400
        assert "end_date" in response.json()["fields"]
        assert not Delegation.objects.exists()

    def test_an_editor_cannot_file_records_for_another_department(
        self, client_for, editor, other_department
    ):
        city = PartnerCityFactory(department=other_department)

        response = client_for(editor).post(
            list_url("delegation"),
            delegation_body(city, department=other_department.pk),
            content_type="application/json",
        )

        assert response.status_code == 400
        assert "department" in response.json()["fields"]
        assert not Delegation.objects.exists()

    @pytest.mark.parametrize("role", ["viewer", "api_client_user"])
    def test_readers_cannot_write(self, request, client_for, department, role):
        city = PartnerCityFactory(department=department)

        response = client_for(request.getfixturevalue(role)).post(
            list_url("delegation"), delegation_body(city), content_type="application/json"
        )

        assert response.status_code == 403
        assert not Delegation.objects.exists()

    def test_an_editor_of_another_department_cannot_change_a_record(
        self, client_for, other_editor, department
    ):
        delegation = DelegationFactory(department=department)

        response = client_for(other_editor).patch(
            reverse("delegation-detail", args=[delegation.pk]),
            {"headcount": 99},
            content_type="application/json",
        )

        assert response.status_code == 403
        delegation.refresh_from_db()
        assert delegation.headcount != 99

    def test_the_owning_editor_changes_a_record(self, client_for, editor, department):
        delegation = DelegationFactory(department=department)

        response = client_for(editor).patch(
            reverse("delegation-detail", args=[delegation.pk]),
            {"headcount": 12},
            content_type="application/json",
        )

        assert response.status_code == 200
        delegation.refresh_from_db()
        assert delegation.headcount == 12

    def test_there_is_no_delete(self, client_for, administrator, department):
        delegation = DelegationFactory(department=department)

        response = client_for(administrator).delete(
            reverse("delegation-detail", args=[delegation.pk])
        )

        assert response.status_code == 405
        assert Delegation.objects.filter(pk=delegation.pk).exists()

    def test_malformed_json_is_a_400(self, client_for, editor):
        response = client_for(editor).post(
            list_url("delegation"), "{not json", content_type="application/json"
        )

        assert response.status_code == 400
        assert response.json()["code"] == "parse_error"

    def test_a_form_body_is_a_415(self, client_for, editor):
        response = client_for(editor).post(list_url("delegation"), {"headcount": 1})

        assert response.status_code == 415
        assert response.json()["code"] == "unsupported_media_type"

    def test_csv_of_a_register_parses(self, client_for, viewer, data):
        response = client_for(viewer).get(list_url("partnercity") + "?format=csv")

        rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
        assert len(rows) == 3 and rows[0]["country"] == "CN"


# --- indicator values and reports: the workflow over the API -------------------------------


@pytest.fixture
def indicator(department):
    indicator = IndicatorFactory(department=department, baseline_year=2007)
    TargetFactory(indicator=indicator, year=2015, value=Decimal(100))
    return indicator


@pytest.mark.django_db
class TestValueWorkflow:
    def create(self, client, indicator, **changes):
        body = {"indicator": indicator.pk, "year": 2015, "value": "120.5", **changes}
        return client.post(list_url("indicatorvalue"), body, content_type="application/json")

    def test_enter_submit_approve(self, client_for, editor, head, indicator):
        created = self.create(client_for(editor), indicator)
        assert created.status_code == 201, created.content
        assert created.json()["state"] == "draft"
        url = reverse("indicatorvalue-submit", args=[created.json()["id"]])

        submitted = client_for(editor).post(url)
        assert submitted.status_code == 200 and submitted.json()["state"] == "submitted"

        approve = reverse("indicatorvalue-approve", args=[created.json()["id"]])
        approved = client_for(head).post(approve)
        assert approved.status_code == 200 and approved.json()["state"] == "approved"

        again = client_for(head).post(approve)
        assert again.status_code == 409
        assert again.json()["code"] == "conflict"

    def test_return_needs_a_comment(self, client_for, head, indicator):
        value = IndicatorValueFactory(indicator=indicator, state=WorkflowState.SUBMITTED)
        url = reverse("indicatorvalue-return", args=[value.pk])

        refused = client_for(head).post(url, {"comment": " "}, content_type="application/json")
        returned = client_for(head).post(
            url, {"comment": "Приложите справку"}, content_type="application/json"
        )

        assert refused.status_code == 400 and "comment" in refused.json()["fields"]
        assert returned.status_code == 200 and returned.json()["state"] == "returned"

    @pytest.mark.parametrize("comment", [{}, {"comment": " "}, {"comment": "Исправьте"}])
    @pytest.mark.parametrize("role", ["editor", "other_head"])
    def test_who_may_return_comes_before_what_they_wrote(
        self, request, client_for, indicator, role, comment
    ):
        value = IndicatorValueFactory(indicator=indicator, state=WorkflowState.SUBMITTED)

        response = client_for(request.getfixturevalue(role)).post(
            reverse("indicatorvalue-return", args=[value.pk]),
            comment,
            content_type="application/json",
        )

        # Refused (another department's pending value is not even visible: 404), never 400.
        assert response.status_code in {403, 404}, response.content
        value.refresh_from_db()
        assert value.state == WorkflowState.SUBMITTED

    @pytest.mark.parametrize("role", ["editor", "other_head", "viewer"])
    def test_only_the_departments_head_approves(self, request, client_for, indicator, role):
        value = IndicatorValueFactory(indicator=indicator, state=WorkflowState.SUBMITTED)

        response = client_for(request.getfixturevalue(role)).post(
            reverse("indicatorvalue-approve", args=[value.pk])
        )

        assert response.status_code in {403, 404}
        value.refresh_from_db()
        assert value.state == WorkflowState.SUBMITTED

    def test_an_api_client_cannot_enter_values(self, client, api_client_user, indicator):
        _token, key = api_token_issue(user=api_client_user, name="analytics")

        response = client.post(
            list_url("indicatorvalue"),
            {"indicator": indicator.pk, "year": 2015, "value": "1"},
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Token {key}",
        )

        assert response.status_code == 403
        assert not IndicatorValue.objects.exists()

    def test_an_approved_value_is_read_only(self, client_for, editor, indicator):
        value = IndicatorValueFactory(indicator=indicator, state=WorkflowState.APPROVED)

        response = client_for(editor).patch(
            reverse("indicatorvalue-detail", args=[value.pk]),
            {"value": "1"},
            content_type="application/json",
        )

        assert response.status_code == 409
        value.refresh_from_db()
        assert value.value == Decimal(100)

    def test_an_editor_of_another_department_cannot_enter_values(
        self, client_for, other_editor, indicator
    ):
        response = self.create(client_for(other_editor), indicator)

        assert response.status_code == 403
        assert not IndicatorValue.objects.exists()


@pytest.mark.django_db
def test_a_report_goes_through_the_workflow_over_the_api(client_for, editor, head, department):
    measure = MeasureFactory(department=department)
    created = client_for(editor).post(
        list_url("progressreport"),
        {"measure": measure.pk, "year": 2016, "text": "Проведён форум", "percent_done": 40},
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    report_id = created.json()["id"]

    assert (
        client_for(editor).post(reverse("progressreport-submit", args=[report_id])).json()["state"]
        == "submitted"
    )
    assert (
        client_for(head).post(reverse("progressreport-approve", args=[report_id])).json()["state"]
        == "approved"
    )
    conflict = client_for(head).post(
        reverse("progressreport-return", args=[report_id]),
        {"comment": "Поздно"},
        content_type="application/json",
    )
    assert conflict.status_code == 409


@pytest.mark.django_db
def test_a_report_with_a_percent_over_100_is_refused(client_for, editor, department):
    measure = MeasureFactory(department=department)

    response = client_for(editor).post(
        list_url("progressreport"),
        {"measure": measure.pk, "year": 2016, "text": "Итоги", "percent_done": 140},
        content_type="application/json",
    )

    assert response.status_code == 400
    assert "percent_done" in response.json()["fields"]


# --- series ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_series_gives_the_selectors_numbers(client_for, viewer, department):
    indicator = IndicatorFactory(department=department, baseline_year=2013)
    for year, target, actual in [(2014, 10, 9), (2015, 20, 25), (2016, 30, None)]:
        TargetFactory(indicator=indicator, year=year, value=Decimal(target))
        if actual is not None:
            IndicatorValueFactory(indicator=indicator, year=year, value=Decimal(actual))
    IndicatorValueFactory(
        indicator=indicator, year=2016, value=Decimal(99), state=WorkflowState.SUBMITTED
    )

    series = client_for(viewer).get(reverse("indicator-series", args=[indicator.pk])).json()

    expected = indicator_progress([indicator], range(2014, 2017)).indicators[0]
    assert [row["year"] for row in series["years"]] == [2014, 2015, 2016]
    for row, year in zip(series["years"], expected.years, strict=True):
        assert row["status"] == year.status
        assert (row["degree"] and Decimal(row["degree"])) == year.degree
    assert [row["status"] for row in series["years"]] == ["at_risk", "achieved", "missing"]
    assert series["years"][2]["actual"] is None  # the submitted value does not count


@pytest.mark.django_db
def test_the_bulk_series_agrees_with_the_dashboard_status_counts(client_for, head, department):
    section = SectionFactory()
    result = ExpectedResultFactory(section=section)
    for actual in (100, 95, 50):
        indicator = IndicatorFactory(
            department=department, expected_result=result, baseline_year=2014
        )
        TargetFactory(indicator=indicator, year=2015, value=Decimal(100))
        IndicatorValueFactory(indicator=indicator, year=2015, value=Decimal(actual))
    client = client_for(head)

    series = client.get(
        reverse("indicator-series-list") + f"?section={section.pk}&year_from=2015&year_to=2015"
    ).json()["results"]
    dashboard = client.get(reverse("dashboards:section_dashboard", args=[section.pk]),
                           {"year": 2015})  # fmt: skip

    statuses = sorted(row["years"][0]["status"] for row in series)
    assert statuses == ["achieved", "at_risk", "not_achieved"]
    html = dashboard.content.decode()
    for status_label in ("достигнуто", "под угрозой", "не достигнуто"):
        assert status_label in html.lower()


@pytest.mark.django_db
@pytest.mark.parametrize("query", ["year_from=2016&year_to=2015", "year_from=abc", "year_to=0"])
def test_bad_series_years_are_400(client_for, viewer, indicator, query):
    response = client_for(viewer).get(
        reverse("indicator-series", args=[indicator.pk]) + "?" + query
    )

    assert response.status_code == 400


@pytest.mark.django_db
def test_indicator_status_filter(client_for, viewer, department):
    for actual in (100, 50):
        indicator = IndicatorFactory(department=department, baseline_year=2014)
        TargetFactory(indicator=indicator, year=2015, value=Decimal(100))
        IndicatorValueFactory(indicator=indicator, year=2015, value=Decimal(actual))

    rows = client_for(viewer).get(list_url("indicator") + "?status=achieved&year=2015").json()

    assert rows["count"] == 1


@pytest.mark.django_db
def test_the_bulk_series_query_count_does_not_grow_with_the_data(client_for, viewer, department):
    """The selector reads each indicator's section and plan: joined in the list's query."""
    client = client_for(viewer)
    url = reverse("indicator-series-list")
    counts = []
    for size in (2, 12):
        populate(department, size)
        client.get(url)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts
