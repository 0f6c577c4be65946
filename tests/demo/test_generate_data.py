"""manage.py generate_data: counts, idempotence, determinism, and a portal that works on it.

The tests use --fraction 0.05 (a twentieth of a plan) to keep each run small.
"""

import pytest
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command

from accounts.models import Role, User
from activities.models import (
    Department,
    ExpectedResult,
    Goal,
    Measure,
    ProgressReport,
    Section,
    StrategicPlan,
    Task,
)
from demo import datagen
from indicators.models import Indicator, IndicatorValue, Target
from partners.models import (
    Agreement,
    Delegation,
    Event,
    Exchange,
    PartnerCity,
    PartnerOrganisation,
)

FRACTION = 0.05
# One plan at FRACTION: 2 sections × (1 goal, 3 tasks, 10 measures, 3 results); 6 indicators,
# 3 of them hand-entered (two in five are computed) with 4 quarters × 12 years of values.
ONE_PLAN = {
    StrategicPlan: 1,
    Department: 1,
    User: 10,
    Section: 2,
    Goal: 2,
    Task: 6,
    Measure: 20,
    ExpectedResult: 6,
    Indicator: 6,
    Target: 6 * 12,
    IndicatorValue: 3 * 12 * 4,
    PartnerCity: 15,
    PartnerOrganisation: 5,
    Agreement: 30,
    Delegation: 125,
    Exchange: 50,
    Event: 75,
    ProgressReport: 100,
}


def generate(scale=1, seed=1):
    call_command("generate_data", scale=scale, seed=seed, fraction=FRACTION, verbosity=0)


def counts():
    return {model: model.objects.count() for model in ONE_PLAN}


def expected(plans):
    return {model: count * plans for model, count in ONE_PLAN.items()}


def snapshot():
    """Every generated row, ids and timestamps included, in id order."""
    models = [*ONE_PLAN, Group, User.groups.through, Measure.tasks.through]
    models += [PartnerCity.measures.through, Agreement.partner_cities.through]
    models += [Agreement.partner_organisations.through, Agreement.measures.through]
    models += [Delegation.measures.through, Exchange.measures.through]
    models += [Event.partner_cities.through, Event.measures.through]
    return {model._meta.label: list(model.objects.order_by("pk").values_list()) for model in models}


@pytest.mark.django_db
def test_it_creates_a_plan_of_every_model():
    generate()
    assert counts() == expected(1)
    assert StrategicPlan.objects.get().title == datagen.plan_title(1, 1)


@pytest.mark.django_db
def test_it_creates_one_plan_per_unit_of_scale():
    generate(scale=3)
    assert counts() == expected(3)
    titles = set(StrategicPlan.objects.values_list("title", flat=True))
    assert titles == {datagen.plan_title(1, index) for index in (1, 2, 3)}


@pytest.mark.django_db
def test_it_spreads_users_over_roles_and_departments():
    generate()
    roles = {role: User.objects.filter(groups__name=role).count() for role in Role}
    assert roles[Role.HEAD] == 1
    assert roles[Role.ADMINISTRATOR] == 1
    assert roles[Role.VIEWER] == 2
    assert roles[Role.EDITOR] == 6
    assert not User.objects.exclude(groups__name=Role.ADMINISTRATOR).filter(department=None)


@pytest.mark.django_db
def test_it_mixes_manual_and_computed_indicators_and_workflow_states():
    generate(scale=2)
    sources = set(Indicator.objects.values_list("source", flat=True))
    assert sources == {Indicator.Source.MANUAL, Indicator.Source.COMPUTED}
    states = set(IndicatorValue.objects.values_list("state", flat=True))
    assert {"approved", "submitted"} <= states
    approved = IndicatorValue.objects.filter(state="approved").count()
    assert approved > 0.7 * IndicatorValue.objects.count()


@pytest.mark.django_db
def test_a_rerun_changes_nothing_and_a_larger_scale_adds_the_missing_plans():
    generate(scale=1)
    before = snapshot()
    generate(scale=1)
    assert snapshot() == before
    generate(scale=2)
    assert counts() == expected(2)


@pytest.mark.django_db
def test_another_seed_makes_other_plans_beside_the_first():
    generate(seed=1)
    generate(seed=2)
    assert counts() == expected(2)
    assert Indicator.objects.filter(code__startswith="G2-001-").count() == 6


@pytest.mark.django_db(transaction=True)
def test_it_is_deterministic():
    # flush resets the id sequences, so two runs on an empty database must match row for row.
    call_command("flush", interactive=False, verbosity=0)
    generate(scale=2)
    first = snapshot()
    call_command("flush", interactive=False, verbosity=0)
    generate(scale=2)
    assert snapshot() == first
    assert sum(len(rows) for rows in first.values()) > 1000


@pytest.mark.django_db
def test_it_rejects_a_scale_below_one():
    with pytest.raises(CommandError):
        call_command("generate_data", scale=0, verbosity=0)


@pytest.mark.django_db
def test_it_rejects_a_fraction_outside_zero_to_one():
    with pytest.raises(CommandError):
        call_command("generate_data", scale=1, fraction=1.5, verbosity=0)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path", ["/plans/", "/indicators/", "/partners/agreements/", "/api/v1/measures/"]
)
def test_the_portal_answers_on_generated_data(client, path):
    generate()
    client.force_login(User.objects.get(groups__name=Role.ADMINISTRATOR))
    assert client.get(path).status_code == 200


@pytest.mark.django_db
def test_a_generated_section_page_answers(client):
    generate()
    client.force_login(User.objects.filter(groups__name=Role.VIEWER).order_by("pk").first())
    section = Section.objects.order_by("pk").first()
    assert client.get(section.get_absolute_url()).status_code == 200
