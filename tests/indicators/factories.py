"""Indicators and the partner records computed indicators count; minimal on purpose."""

import datetime
from decimal import Decimal

import factory

from indicators.models import Indicator, IndicatorValue, Target
from khv_strategy.workflow import WorkflowState
from partners.models import Agreement, Delegation, Event, Exchange
from tests.factories import DepartmentFactory, ExpectedResultFactory


class IndicatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Indicator

    code = factory.Sequence(lambda n: f"6.4.2-{n + 1}")
    name = factory.Sequence(lambda n: f"Показатель {n}")
    unit = "ед."
    direction = Indicator.Direction.INCREASE
    baseline_value = Decimal(10)
    baseline_year = 2007
    expected_result = factory.SubFactory(ExpectedResultFactory)
    department = factory.SubFactory(DepartmentFactory)
    source = Indicator.Source.MANUAL
    computation = ""
    accumulation = Indicator.Accumulation.PER_YEAR


class TargetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Target

    indicator = factory.SubFactory(IndicatorFactory)
    year = 2015
    value = Decimal(100)


class IndicatorValueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = IndicatorValue

    indicator = factory.SubFactory(IndicatorFactory)
    year = 2015
    quarter = None
    value = Decimal(100)
    state = WorkflowState.APPROVED


class AgreementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agreement

    department = factory.SubFactory(DepartmentFactory)
    title = factory.Sequence(lambda n: f"Соглашение о сотрудничестве №{n}")
    kind = Agreement.Kind.COOPERATION
    level = "international"
    signed_on = datetime.date(2015, 6, 1)


class ExchangeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Exchange

    department = factory.SubFactory(DepartmentFactory)
    category = Exchange.Category.STUDENTS
    headcount = 5
    host = "Университет Ниигаты"
    country = "JP"
    year = 2015


class DelegationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Delegation

    department = factory.SubFactory(DepartmentFactory)
    direction = Delegation.Direction.INCOMING
    origin = "Харбин"
    country = "CN"
    start_date = datetime.date(2015, 5, 10)
    end_date = factory.LazyAttribute(lambda o: o.start_date + datetime.timedelta(days=3))
    headcount = 7
    purpose = "Переговоры о сотрудничестве"


class EventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Event

    department = factory.SubFactory(DepartmentFactory)
    title = factory.Sequence(lambda n: f"Международный форум №{n}")
    kind = Event.Kind.FORUM
    level = "international"
    start_date = datetime.date(2015, 9, 1)
    end_date = factory.LazyAttribute(lambda o: o.start_date + datetime.timedelta(days=2))
    place = "Хабаровск"
    country = "RU"
    social_sphere = False
