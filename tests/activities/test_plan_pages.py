import pytest
from django.urls import reverse

from tests.factories import (
    ExpectedResultFactory,
    GoalFactory,
    MeasureFactory,
    SectionFactory,
    StrategicPlanFactory,
    TaskFactory,
)


def make_plan(sections=1, measures_per_section=2):
    plan = StrategicPlanFactory()
    for _ in range(sections):
        section = SectionFactory(plan=plan)
        GoalFactory(section=section)
        tasks = TaskFactory.create_batch(2, section=section)
        for number in range(1, measures_per_section + 1):
            measure = MeasureFactory(section=section, group=1 + number % 2, number=number)
            measure.tasks.set(tasks)
        ExpectedResultFactory.create_batch(2, section=section)
    return plan


def page_urls(plan):
    section = plan.sections.first()
    measure = section.measures.first()
    return [
        reverse("activities:plan_list"),
        reverse("activities:plan_detail", args=[plan.pk]),
        reverse("activities:section_detail", args=[section.pk]),
        reverse("activities:measure_detail", args=[measure.pk]),
    ]


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["viewer", "editor", "other_editor", "head", "administrator"])
def test_every_portal_role_reads_the_plan_pages(request, client_for, role):
    client = client_for(request.getfixturevalue(role))
    for url in page_urls(make_plan()):
        assert client.get(url).status_code == 200, url


@pytest.mark.django_db
def test_it_refuses_a_bare_api_client(client_for, api_client_user):
    client = client_for(api_client_user)
    for url in page_urls(make_plan()):
        assert client.get(url).status_code == 403, url


@pytest.mark.django_db
def test_it_sends_anonymous_users_to_the_login_page(client):
    for url in page_urls(make_plan()):
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))


@pytest.mark.django_db
def test_it_rejects_post(client_for, viewer):
    client = client_for(viewer)
    for url in page_urls(make_plan()):
        assert client.post(url).status_code == 405, url


@pytest.mark.django_db
def test_unknown_ids_give_404(client_for, viewer):
    client = client_for(viewer)
    for name in ["plan_detail", "section_detail", "measure_detail"]:
        assert client.get(reverse(f"activities:{name}", args=[999_999])).status_code == 404


@pytest.mark.django_db
def test_section_page_shows_goal_tasks_measures_by_group_and_results(client_for, viewer):
    plan = make_plan(measures_per_section=3)
    section = plan.sections.get()

    response = client_for(viewer).get(reverse("activities:section_detail", args=[section.pk]))

    html = response.content.decode()
    assert section.goals.get().text in html
    for obj in [*section.tasks.all(), *section.measures.all(), *section.expected_results.all()]:
        assert obj.text in html
    assert 'data-measure-group="1"' in html and 'data-measure-group="2"' in html
    assert "Группа мероприятий 2" in html


@pytest.mark.django_db
@pytest.mark.parametrize("page", [0, 1, 2, 3])
def test_page_query_count_does_not_grow_with_the_plan(client_for, viewer, page):
    """Plan list counts sections and measures, the section page prefetches tasks and departments
    of every measure: neither may query per row."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(viewer)
    counts = []
    for sections, measures in [(1, 2), (6, 12)]:
        url = page_urls(make_plan(sections=sections, measures_per_section=measures))[page]
        client.get(url)  # warm the session and the user's groups
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts
