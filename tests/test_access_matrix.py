"""Every URL of the project × every role × GET and POST answers as the table below says.

The URL list is walked from the resolver, so a new view without an entry in EXPECTED fails
here: add one (the shorthands cover most pages). Object URLs get objects owned by the
``department`` fixture; OBJECT_KWARGS maps URL keyword names to them.
"""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from khv_strategy.workflow import WorkflowState
from tests.activities.factories import ProgressReportFactory
from tests.factories import MeasureFactory, SectionFactory

ROLES = ["anonymous", "viewer", "editor", "other_editor", "head", "other_head", "administrator"]
METHODS = ["GET", "POST"]

# Prefixes whose views answer to their own tests: Django's admin and i18n, the API (its issue
# brings its own permission matrix), and static and media files served in DEBUG only.
SKIPPED_PREFIXES = ("admin/", "i18n/", "api/", "static/", "media/")
# Single URLs left out on purpose, by name, with the reason.
SKIPPED_NAMES = {}


def by_role(default, **statuses):
    return {role: statuses.get(role, default) for role in ROLES}


def signed_in(status, anonymous=302):
    """The same status for every signed-in role; anonymous users go to the login page."""
    return by_role(status, anonymous=anonymous)


def own_department(status):
    """Editors and the head of the owning department and administrators get ``status``;
    a viewer and the staff of another department 403; anonymous users the login page."""
    return by_role(403, anonymous=302, editor=status, head=status, administrator=status)


def approvers(status):
    """The head of the owning department and administrators only."""
    return by_role(403, anonymous=302, head=status, administrator=status)


def administrators(status):
    return by_role(403, anonymous=302, administrator=status)


# Read-only pages every portal role may open; POST is refused.
READ_ONLY_PAGE = {"GET": signed_in(200), "POST": signed_in(405)}
# A form of the owning department: the empty POST is refused as bad input (400).
EDIT_OWN_DEPARTMENT = {"GET": own_department(200), "POST": own_department(400)}
# A POST-only workflow action of the owning department's editors; success redirects.
SUBMIT_OWN_DEPARTMENT = {"GET": signed_in(405), "POST": own_department(302)}
# A POST-only action of the owning department's head.
APPROVE_OWN_DEPARTMENT = {"GET": signed_in(405), "POST": approvers(302)}
# Administrators' forms.
ADMIN_ONLY = {"GET": administrators(200), "POST": administrators(400)}

EXPECTED = {
    "home": {"GET": signed_in(302), "POST": signed_in(302)},
    "healthz": {"GET": by_role(200), "POST": by_role(405)},
    "login": {"GET": by_role(200), "POST": by_role(200)},  # empty form shown again
    "logout": {"GET": by_role(405), "POST": by_role(302)},
    "my_work": READ_ONLY_PAGE,
    "activities:plan_list": READ_ONLY_PAGE,
    "activities:plan_detail": READ_ONLY_PAGE,
    "activities:section_detail": READ_ONLY_PAGE,
    "activities:measure_detail": READ_ONLY_PAGE,
    "activities:measure_history": READ_ONLY_PAGE,
    "activities:plan_import": ADMIN_ONLY,
    "activities:reporting_years": ADMIN_ONLY,
    "activities:measure_edit": EDIT_OWN_DEPARTMENT,
    "activities:report_create": EDIT_OWN_DEPARTMENT,
    "activities:report_edit": EDIT_OWN_DEPARTMENT,
    # A draft: only its department and administrators may read it.
    "activities:report_detail": {"GET": own_department(200), "POST": signed_in(405)},
    "activities:report_submit": SUBMIT_OWN_DEPARTMENT,
    "activities:report_approve": APPROVE_OWN_DEPARTMENT,
    "activities:report_return": APPROVE_OWN_DEPARTMENT,
}

# The state the report of a URL is in (default: draft), and the data a POST sends.
REPORT_STATE = {
    "activities:report_approve": WorkflowState.SUBMITTED,
    "activities:report_return": WorkflowState.SUBMITTED,
}
POST_DATA = {"activities:report_return": {"comment": "Приложите протокол."}}


def _walk(patterns, prefix="", namespace=None):
    for entry in patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            inner = entry.namespace
            full = f"{namespace}:{inner}" if namespace and inner else inner or namespace
            yield from _walk(entry.url_patterns, route, full)
        elif isinstance(entry, URLPattern):
            if route.startswith(SKIPPED_PREFIXES):
                continue
            name = entry.name and (f"{namespace}:{entry.name}" if namespace else entry.name)
            yield name or f"<unnamed {route}>", entry


def project_urls():
    return sorted(dict(_walk(get_resolver().url_patterns)).items())


URLS = dict(project_urls())


@pytest.fixture
def owned_objects(department, editor):
    """A plan, section and measure of ``department``; reports are made per URL."""
    section = SectionFactory()
    measure = MeasureFactory(section=section, department=department)
    return {"plan_id": section.plan, "section_id": section, "measure_id": measure}


def url_kwargs(name, entry, objects):
    kwargs = {}
    for key in entry.pattern.converters:
        if key == "report_id" and key not in objects:
            objects[key] = ProgressReportFactory(
                measure=objects["measure_id"],
                state=REPORT_STATE.get(name, WorkflowState.DRAFT),
                year=2016,
                quarter=None,
            )
        if key not in objects:
            pytest.fail(f"{name}: no object for the URL argument {key!r}; add it to owned_objects")
        kwargs[key] = objects[key].pk
    return kwargs


@pytest.mark.django_db
@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", list(URLS))
def test_access(request, client, owned_objects, name, role, method):
    if name in SKIPPED_NAMES:
        pytest.skip(SKIPPED_NAMES[name])
    if name not in EXPECTED:
        app = name.split(":")[0] if ":" in name else "the project"
        covered = any(key.startswith(f"{app}:") for key in EXPECTED)
        pytest.fail(
            f"{name} has no entry in EXPECTED"
            + ("" if covered else f" (the {app} app is not covered by the access matrix yet)")
        )
    user = None if role == "anonymous" else request.getfixturevalue(role)
    if user is not None:
        client.force_login(user)
    url = reverse(name, kwargs=url_kwargs(name, URLS[name], owned_objects))

    data = POST_DATA.get(name, {})
    response = client.get(url) if method == "GET" else client.post(url, data)

    assert response.status_code == EXPECTED[name][method][role], (name, role, method)


def test_every_table_entry_is_a_real_url():
    assert set(EXPECTED) - set(URLS) == set()


def test_the_matrix_covers_every_role_and_method():
    for name, statuses in EXPECTED.items():
        assert set(statuses) == set(METHODS), name
        for method in METHODS:
            assert set(statuses[method]) == set(ROLES), (name, method)
