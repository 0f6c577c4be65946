"""Factories shared by every app's tests. App-specific ones live in tests/<app>/factories.py."""

import factory
from django.contrib.auth.models import Group

from accounts.models import User
from activities.models import (
    Department,
    ExpectedResult,
    Goal,
    Measure,
    Section,
    StrategicPlan,
    Task,
)


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Department

    name = factory.Sequence(lambda n: f"Управление №{n}")
    short_name = factory.Sequence(lambda n: f"У{n}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = "Иван"
    last_name = factory.Sequence(lambda n: f"Иванов{n}")
    department = factory.SubFactory(DepartmentFactory)
    password = factory.django.Password("secret-pass-123")

    @factory.post_generation
    def role(self, create, extracted, **kwargs):
        """UserFactory(role=Role.EDITOR) puts the user in that role's group."""
        if create and extracted:
            # get_or_create: transactional tests flush the groups the data migration made.
            self.groups.add(Group.objects.get_or_create(name=extracted)[0])


class StrategicPlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StrategicPlan

    title = factory.Sequence(lambda n: f"Стратегический план №{n}")
    horizon_year = 2020


class SectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Section

    plan = factory.SubFactory(StrategicPlanFactory)
    number = factory.Sequence(lambda n: f"6.4.{n}")
    kind = "Концепция проекта"
    title = factory.Sequence(lambda n: f"Раздел {n}")
    vision = "Город будет развиваться."


class GoalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Goal

    section = factory.SubFactory(SectionFactory)
    position = 1
    text = "Цель раздела."


class TaskFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Task

    section = factory.SubFactory(SectionFactory)
    number = factory.Sequence(lambda n: n + 1)
    text = factory.Sequence(lambda n: f"Задача {n}.")


class MeasureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Measure

    section = factory.SubFactory(SectionFactory)
    group = 1
    number = factory.Sequence(lambda n: n + 1)
    text = factory.Sequence(lambda n: f"Мероприятие {n}.")
    department = factory.SubFactory(DepartmentFactory)


class ExpectedResultFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ExpectedResult

    section = factory.SubFactory(SectionFactory)
    position = factory.Sequence(lambda n: n + 1)
    text = factory.Sequence(lambda n: f"Ожидаемый результат {n}.")
