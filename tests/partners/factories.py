import datetime

import factory

from partners.models import (
    Agreement,
    Delegation,
    Event,
    Exchange,
    Level,
    PartnerCity,
    PartnerOrganisation,
)
from tests.factories import DepartmentFactory


class PartnerCityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PartnerCity

    name_ru = factory.Sequence(lambda n: f"Город {n}")
    name_en = factory.Sequence(lambda n: f"City {n}")
    country = "CN"
    status = PartnerCity.Status.PARTNER
    department = factory.SubFactory(DepartmentFactory)


class PartnerOrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PartnerOrganisation

    name = factory.Sequence(lambda n: f"Организация {n}")
    kind = PartnerOrganisation.Kind.UNIVERSITY
    country = "CN"
    department = factory.SubFactory(DepartmentFactory)


class AgreementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agreement

    title = factory.Sequence(lambda n: f"Соглашение {n}")
    kind = Agreement.Kind.COOPERATION
    level = Level.INTERNATIONAL
    signed_on = datetime.date(2012, 5, 1)
    department = factory.SubFactory(DepartmentFactory)


class DelegationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Delegation

    direction = Delegation.Direction.INCOMING
    partner_city = factory.SubFactory(PartnerCityFactory)
    country = "CN"
    start_date = datetime.date(2012, 6, 1)
    end_date = datetime.date(2012, 6, 3)
    headcount = 5
    purpose = "Переговоры"
    department = factory.SubFactory(DepartmentFactory)


class ExchangeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Exchange

    category = Exchange.Category.STUDENTS
    headcount = 10
    host = "Харбинский университет"
    country = "CN"
    year = 2012
    department = factory.SubFactory(DepartmentFactory)


class EventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Event

    title = factory.Sequence(lambda n: f"Форум {n}")
    kind = Event.Kind.FORUM
    level = Level.INTERNATIONAL
    start_date = datetime.date(2012, 9, 1)
    end_date = datetime.date(2012, 9, 2)
    place = "Хабаровск"
    country = "RU"
    department = factory.SubFactory(DepartmentFactory)
