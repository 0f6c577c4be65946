"""Indicators and the partner records computed indicators count; minimal on purpose."""

import datetime
from decimal import Decimal

import factory

from core.workflow import WorkflowState
from indicators.models import Indicator, IndicatorValue, Target
from tests.factories import DepartmentFactory, ExpectedResultFactory
from tests.partners import factories as partners


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


# The partner records computed indicators count: the partners app's factories, dated 2015.
class AgreementFactory(partners.AgreementFactory):
    title = factory.Sequence(lambda n: f"Соглашение о сотрудничестве №{n}")
    signed_on = datetime.date(2015, 6, 1)


class ExchangeFactory(partners.ExchangeFactory):
    headcount = 5
    host = "Университет Ниигаты"
    country = "JP"
    year = 2015


class DelegationFactory(partners.DelegationFactory):
    partner_city = None
    origin = "Харбин"
    start_date = datetime.date(2015, 5, 10)
    end_date = factory.LazyAttribute(lambda o: o.start_date + datetime.timedelta(days=3))
    headcount = 7
    purpose = "Переговоры о сотрудничестве"


class EventFactory(partners.EventFactory):
    title = factory.Sequence(lambda n: f"Международный форум №{n}")
    start_date = datetime.date(2015, 9, 1)
    end_date = factory.LazyAttribute(lambda o: o.start_date + datetime.timedelta(days=2))
    social_sphere = False
