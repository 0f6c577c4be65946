import io

import pytest
from django.core.management import call_command

from activities.models import LegalAct, Measure, PlanRevision
from activities.services import plan_import
from indicators.models import Target
from indicators.selectors import targets_in_force
from tests.activities.test_import_service import SEED


@pytest.mark.django_db
def test_the_demo_shows_an_illustrative_revision_and_two_targets():
    plan_import(data=SEED.read_bytes())

    call_command("load_demo", stdout=io.StringIO())
    state = (
        list(Measure.objects.order_by("pk").values_list("text", "updated_at")),
        Target.objects.count(),
        PlanRevision.objects.count(),
    )
    call_command("load_demo", stdout=io.StringIO())

    # The approval act is not in the portal's sources: an illustrative stand-in, marked so.
    approval, act = LegalAct.objects.order_by("date")
    assert approval.illustrative and "ПРИМЕР" in approval.title
    assert approval.number.startswith("пример")
    assert PlanRevision.objects.get(act=approval).role == "approval"
    assert act.illustrative and "ПРИМЕР" in act.title
    revision = PlanRevision.objects.get(act=act)
    assert [(c["change"], c["code"]) for c in revision.changes] == [("reworded", "2.3")]
    measure = Measure.objects.get(group=2, number=3)
    assert measure.text.startswith("Создание благоприятных условий")
    target = Target.objects.get(act=act)
    in_force = targets_in_force([target.indicator_id], [2016])[(target.indicator_id, 2016)]
    assert in_force.value == target.value > in_force.original
    # A second run changes nothing.
    assert state == (
        list(Measure.objects.order_by("pk").values_list("text", "updated_at")),
        Target.objects.count(),
        PlanRevision.objects.count(),
    )


@pytest.mark.django_db
def test_a_second_make_run_keeps_the_demo_amendment():
    """`make demo` runs `import_plan --if-new SEED` then `load_demo` on every `make run`: the
    second run must not take the measure back to its first text nor record a correction."""

    def make_demo():
        out = io.StringIO()
        call_command("import_plan", "--if-new", str(SEED), stdout=out)
        call_command("load_demo", stdout=io.StringIO())
        return out.getvalue()

    make_demo()
    state = (
        list(Measure.objects.order_by("pk").values_list("text", "updated_at")),
        list(PlanRevision.objects.order_by("pk").values_list("pk", "role")),
    )
    said = make_demo()

    assert "уже есть в портале" in said
    assert Measure.objects.get(group=2, number=3).text.startswith("Создание благоприятных условий")
    assert state == (
        list(Measure.objects.order_by("pk").values_list("text", "updated_at")),
        list(PlanRevision.objects.order_by("pk").values_list("pk", "role")),
    )
