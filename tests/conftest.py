"""Users of every role, as the access tests need them: the owning department's staff, an
outsider from another department, and an administrator."""

import pytest
from django.core.cache import cache
from django.utils import translation

from accounts.models import Role
from tests.factories import DepartmentFactory, UserFactory


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with an empty cache: the database is rolled back between tests, the
    in-memory cache (dashboards, throttle counters) is not."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def portal_language(settings):
    """Each test starts in the portal's language: a test (or a request it makes) that activates
    another one would otherwise leave it to whatever runs next on the same worker."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def department(db):
    return DepartmentFactory(name="Управление международных связей", short_name="УМС")


@pytest.fixture
def other_department(db):
    return DepartmentFactory(name="Управление образования", short_name="УО")


@pytest.fixture
def viewer(department):
    return UserFactory(username="viewer", department=department, role=Role.VIEWER)


@pytest.fixture
def editor(department):
    return UserFactory(username="editor", department=department, role=Role.EDITOR)


@pytest.fixture
def other_editor(other_department):
    return UserFactory(username="other_editor", department=other_department, role=Role.EDITOR)


@pytest.fixture
def head(department):
    return UserFactory(username="head", department=department, role=Role.HEAD)


@pytest.fixture
def other_head(other_department):
    return UserFactory(username="other_head", department=other_department, role=Role.HEAD)


@pytest.fixture
def administrator(db):
    return UserFactory(username="administrator", department=None, role=Role.ADMINISTRATOR)


@pytest.fixture
def api_client_user(db):
    return UserFactory(username="api_client", department=None, role=Role.API_CLIENT)


@pytest.fixture
def client_for(client):
    """client_for(user) logs the test client in as that user (None stays anonymous)."""

    def login(user):
        if user is not None:
            client.force_login(user)
        return client

    return login
