"""The upload of an amendment (preview, matching, apply), the revisions tab and the plan as of
a date."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from activities.models import LegalAct, Measure, PlanRevision, Section, StrategicPlan
from activities.services import ActDetails, plan_import
from tests.activities.test_revisions import AMENDED, ORIGINAL

pytestmark = pytest.mark.django_db
URL = reverse("activities:plan_import")
ACT_FIELDS = {
    "act_number": "123",
    "act_date": "2016-03-01",
    "act_title": "О внесении изменений в план",
    "act_kind": "duma_decision",
}


def approved():
    plan_import(
        data=ORIGINAL.encode(), act=ActDetails("1", datetime.date(2008, 5, 20), "Об утверждении")
    )
    return StrategicPlan.objects.get()


def amend():
    plan_import(
        data=AMENDED.encode(),
        act=ActDetails("123", datetime.date(2016, 3, 1), "О внесении изменений"),
    )


def test_the_preview_lists_the_changes_with_a_word_diff_and_writes_nothing(
    client_for, administrator
):
    approved()
    upload = SimpleUploadedFile("amended.txt", AMENDED.encode(), content_type="text/plain")

    response = client_for(administrator).post(URL, {"file": upload, **ACT_FIELDS})

    html = response.content.decode()
    assert response.status_code == 200
    assert '<ins class="text-success">школьников и студентов.</ins>' in html
    assert 'data-change="measure-excluded"' in html and "Издание буклета о городе." in html
    assert 'data-change="measure-added"' in html
    assert 'name="match:1.1:1:3"' in html  # the new measure: the user may say which it is
    assert not LegalAct.objects.filter(number="123").exists()
    assert Measure.objects.filter(excluded_on__isnull=False).count() == 0


def test_applying_with_a_corrected_matching(client_for, administrator):
    approved()
    booklet = Measure.objects.get(text="Издание буклета о городе.")

    response = client_for(administrator).post(
        URL, {"text": AMENDED, "apply": "1", "match:1.1:1:3": str(booklet.pk), **ACT_FIELDS}
    )

    assert response.status_code == 302
    booklet.refresh_from_db()
    assert booklet.text == "Создание инвестиционного портала."
    assert PlanRevision.objects.filter(act__number="123").count() == 1


@pytest.mark.parametrize(
    "fields, message",
    [
        ({"act_number": "5"}, "номер, дата и название"),
        ({**ACT_FIELDS, "act_date": "2016-13-45"}, "ДД.ММ.ГГГГ"),
        ({"match:1.1:x:3": "7"}, "сопоставление мероприятий"),
    ],
    ids=["incomplete-act", "bad-date", "bad-matching"],
)
def test_bad_input_is_refused_in_russian_and_writes_nothing(
    client_for, administrator, fields, message
):
    plan = approved()
    before = list(Measure.objects.values_list("pk", "text", "number"))

    response = client_for(administrator).post(URL, {"text": AMENDED, "apply": "1", **fields})

    assert response.status_code == 400
    assert message in response.content.decode()
    assert list(Measure.objects.values_list("pk", "text", "number")) == before
    assert plan.revisions.count() == 1


def test_the_revisions_tab_shows_each_act_with_what_it_changed(client_for, viewer):
    plan = approved()
    amend()

    html = (
        client_for(viewer)
        .get(reverse("activities:plan_revisions", args=[plan.pk]))
        .content.decode()
    )

    assert html.index("№ 123") < html.index("№ 1\n")  # latest first
    assert '<del class="text-danger">школьников.</del>' in html
    assert "Утверждение" in html and "Внесение изменений" in html


def test_the_plan_section_and_measure_as_of_a_date(client_for, viewer):
    plan = approved()
    amend()
    section = Section.objects.get()
    exchange = Measure.objects.get(text__startswith="Обмен")
    client = client_for(viewer)

    before = client.get(section.get_absolute_url(), {"on": "2016-02-29"}).content.decode()
    after = client.get(section.get_absolute_url(), {"on": "2016-03-01"}).content.decode()
    today = client.get(section.get_absolute_url()).content.decode()
    measure_before = client.get(exchange.get_absolute_url(), {"on": "2010-01-01"}).content.decode()
    plan_before = client.get(plan.get_absolute_url(), {"on": "2016-02-29"}).content.decode()

    assert "Обмен делегациями школьников.<" in before and "Издание буклета" in before
    assert "Создание инвестиционного портала" not in before
    assert "Обмен делегациями школьников и студентов." in after
    assert "Исключено с 01.03.2016 актом: решение городской Думы от 01.03.2016 № 123" in after
    assert today.count("measure-text") == 3
    assert '<p class="measure-text fs-5">Обмен делегациями школьников.</p>' in measure_before
    assert "Редакция на 29.02.2016" in plan_before


@pytest.mark.parametrize("name", ["plan_detail", "section_detail", "measure_detail"])
def test_a_bad_date_is_400_in_russian(client_for, viewer, name):
    approved()
    obj = {"plan_detail": StrategicPlan, "section_detail": Section, "measure_detail": Measure}[name]
    url = reverse(f"activities:{name}", args=[obj.objects.first().pk])

    response = client_for(viewer).get(url, {"on": "29.02.2016"})

    assert response.status_code == 400
    assert "ГГГГ-ММ-ДД" in response.content.decode()


def test_a_repealed_plan_says_so_on_its_pages(client_for, viewer):
    approved()
    StrategicPlan.objects.update(status="repealed", repealed_on=datetime.date(2017, 1, 31))
    section = Section.objects.get()
    client = client_for(viewer)

    for url in [section.plan.get_absolute_url(), section.get_absolute_url(),
                Measure.objects.first().get_absolute_url(),
                reverse("activities:plan_revisions", args=[section.plan_id])]:  # fmt: skip
        assert "План утратил силу 31.01.2017" in client.get(url).content.decode(), url


def _sections_with_measures(plan, count):
    for index in range(count):
        section = Section.objects.create(plan=plan, number=f"9.{index}", title="Раздел")
        for number in (1, 2):
            Measure.objects.create(section=section, group=1, number=number, text=f"Мера {number}")


@pytest.mark.parametrize("name", ["section_detail", "plan_revisions"])
def test_query_count_does_not_grow_with_the_plan(client_for, viewer, name):
    """The section page reads wordings in one query, the revisions tab acts in a join."""
    plan = approved()
    amend()
    client = client_for(viewer)
    section = Section.objects.get(number="1.1")
    url = reverse(f"activities:{name}", args=[section.pk if name == "section_detail" else plan.pk])

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert (
                client.get(
                    url, {"on": "2016-03-01"} if name == "section_detail" else {}
                ).status_code
                == 200
            )
        return len(queries)

    small = count()
    for number in range(4, 12):
        measure = Measure.objects.create(section=section, group=2, number=number, text="Ещё мера")
        measure.wordings.create(text="Ещё мера")
    for number in range(2, 6):
        act = LegalAct.objects.create(
            number=f"x{number}", date=datetime.date(2017, 1, number), title="Изм."
        )
        PlanRevision.objects.create(plan=plan, act=act, role="amendment", effective_date=act.date)
    assert count() == small
