"""Demo users of every role and a few progress reports in various states (illustrative).

Every demo user signs in with one shared password, KHV_DEMO_PASSWORD (default
"demo-khv-2026"). It is for demonstrations on a closed machine only, never for production.
Idempotent: existing users and reports are left as they are (passwords are not reset).
"""

import datetime
import os

from django.contrib.auth.models import Group
from django.utils import timezone

from accounts.models import Role, User
from activities.models import Department, Measure, ProgressReport
from core.workflow import WorkflowState

DEFAULT_DEMO_PASSWORD = "demo-khv-2026"

# short name of a demo.plan department → the Latin part of its users' names
DEPARTMENT_LOGINS = {"УМиМС": "umims", "УЭРИ": "ueri"}
DEPARTMENT_ROLES = [
    (Role.VIEWER, "viewer", "Наблюдатель"),
    (Role.EDITOR, "editor", "Исполнитель"),
    (Role.HEAD, "head", "Руководитель"),
]
# username, role, last name, first name — users without a department
GLOBAL_USERS = [
    ("administrator", Role.ADMINISTRATOR, "Администратор", "Портала"),
    ("api.client", Role.API_CLIENT, "Аналитическая", "Система"),
]

# (group, number) of a 6.4.2 measure, year, quarter, percent, state, review comment, text
DEMO_REPORTS = [
    ((1, 1), 2015, None, 60, WorkflowState.APPROVED, "",
     "Проведены переговоры с двумя городами-партнёрами о расширении сотрудничества."),
    ((1, 1), 2016, 1, 20, WorkflowState.SUBMITTED, "",
     "Подготовлен проект соглашения о торгово-экономическом сотрудничестве."),
    ((1, 2), 2015, None, 100, WorkflowState.APPROVED, "",
     "Соглашение подписано и направлено в профильные управления."),
    ((1, 4), 2015, None, 50, WorkflowState.APPROVED, "",
     "Организован обмен делегациями с городом-побратимом."),
    ((1, 4), 2016, None, 70, WorkflowState.RETURNED,
     "Приложите программу визита и список участников.",
     "Принята делегация города-побратима, проведены рабочие встречи."),
    ((2, 1), 2016, 1, 15, WorkflowState.SUBMITTED, "",
     "Подана заявка на участие в межрегиональном проекте."),
    ((2, 1), 2016, 2, 30, WorkflowState.DRAFT, "",
     "Идёт подготовка к участию в международном форуме."),
]  # fmt: skip


def _user(username, role, last_name, first_name, department, password):
    user, created = User.objects.get_or_create(
        username=username,
        defaults={"last_name": last_name, "first_name": first_name, "department": department},
    )
    if created:
        user.set_password(password)
        user.save(update_fields=["password"])
    user.groups.add(Group.objects.get_or_create(name=role)[0])
    return user, created


def load(stdout):
    password = os.environ.get("KHV_DEMO_PASSWORD") or DEFAULT_DEMO_PASSWORD
    departments = {
        department.short_name: department
        for department in Department.objects.filter(short_name__in=list(DEPARTMENT_LOGINS))
    }
    users, created = {}, 0
    for short_name, login in DEPARTMENT_LOGINS.items():
        department = departments.get(short_name)
        if department is None:
            continue
        for role, prefix, last_name in DEPARTMENT_ROLES:
            username = f"{prefix}.{login}"
            users[username], new = _user(
                username, role, last_name, short_name, department, password
            )
            created += new
    for username, role, last_name, first_name in GLOBAL_USERS:
        users[username], new = _user(username, role, last_name, first_name, None, password)
        created += new
    reports = _load_reports(users)
    stdout.write(f"Demo users: {len(users)} ({created} new); demo progress reports: {reports} new")


def _load_reports(users):
    measures = {
        (m.group, m.number): m
        for m in Measure.objects.filter(section__number="6.4.2").select_related("department")
    }
    created = 0
    for key, year, quarter, percent, state, comment, text in DEMO_REPORTS:
        measure = measures.get(key)
        if measure is None or measure.department is None:
            continue
        login = DEPARTMENT_LOGINS.get(measure.department.short_name)
        if login is None:
            continue
        submitted = state != WorkflowState.DRAFT
        reviewed = state in {WorkflowState.APPROVED, WorkflowState.RETURNED}
        moment = timezone.make_aware(datetime.datetime(year + (quarter is None), 1, 20, 10))
        _report, new = ProgressReport.objects.get_or_create(
            measure=measure,
            year=year,
            quarter=quarter,
            defaults={
                "text": text,
                "percent_done": percent,
                "state": state,
                "author": users[f"editor.{login}"],
                "submitted_at": moment if submitted else None,
                "reviewer": users[f"head.{login}"] if reviewed else None,
                "reviewed_at": moment + datetime.timedelta(days=3) if reviewed else None,
                "review_comment": comment,
            },
        )
        created += new
    return created
