"""Uploaded files are served only to those who may read the record they belong to."""

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from core.workflow import WorkflowState
from tests.activities.factories import ProgressReportFactory
from tests.factories import MeasureFactory
from tests.indicators.factories import IndicatorFactory, IndicatorValueFactory
from tests.partners.factories import AgreementFactory


def with_file(record, field, name, content=b"%PDF-1.4 protocol"):
    getattr(record, field).save(name, ContentFile(content), save=True)
    return getattr(record, field).name


@pytest.fixture
def draft_report(department):
    report = ProgressReportFactory(measure=MeasureFactory(department=department), year=2016)
    return report, with_file(report, "evidence_file", "protocol.pdf")


def url(name):
    return reverse("media", args=[name])


@pytest.mark.django_db
def test_the_owning_department_downloads_a_drafts_evidence(client_for, editor, draft_report):
    _report, name = draft_report

    response = client_for(editor).get(url(name))

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4 protocol"
    assert response["Content-Disposition"].startswith("attachment")


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["other_editor", "viewer", "api_client_user"])
def test_others_cannot_download_a_drafts_evidence(request, client_for, draft_report, role):
    _report, name = draft_report

    assert client_for(request.getfixturevalue(role)).get(url(name)).status_code == 404


@pytest.mark.django_db
def test_an_approved_reports_evidence_is_every_readers(client_for, other_editor, department):
    report = ProgressReportFactory(
        measure=MeasureFactory(department=department), year=2015, state=WorkflowState.APPROVED
    )
    name = with_file(report, "evidence_file", "approved.pdf")

    assert client_for(other_editor).get(url(name)).status_code == 200


@pytest.mark.django_db
def test_a_pending_values_evidence_stays_in_its_department(
    client_for, editor, other_editor, department
):
    value = IndicatorValueFactory(
        indicator=IndicatorFactory(department=department), state=WorkflowState.SUBMITTED
    )
    name = with_file(value, "evidence_file", "stat.xlsx")

    assert client_for(editor).get(url(name)).status_code == 200
    assert client_for(other_editor).get(url(name)).status_code == 404


@pytest.mark.django_db
def test_an_agreement_document_is_for_every_portal_role(client_for, viewer, department):
    agreement = AgreementFactory(department=department)
    name = with_file(agreement, "document", "agreement.pdf")

    assert client_for(viewer).get(url(name)).status_code == 200


@pytest.mark.django_db
def test_anonymous_users_go_to_the_login_page(client, draft_report):
    _report, name = draft_report

    response = client.get(url(name))

    assert response.status_code == 302 and response.url.startswith(reverse("login"))


@pytest.mark.django_db
@pytest.mark.parametrize(
    "name", ["reports/2016/missing.pdf", "../settings.py", "x/../../etc/passwd"]
)
def test_unknown_and_crafted_names_are_404(client_for, administrator, name):
    assert client_for(administrator).get(url(name)).status_code == 404


@pytest.mark.django_db
def test_it_rejects_post(client_for, editor, draft_report):
    _report, name = draft_report

    assert client_for(editor).post(url(name)).status_code == 405
