"""Every URL of the project × every role × GET and POST answers as the table below says.

The URL list is walked from the resolver, so a new view without an entry in EXPECTED fails
here: add one (the shorthands cover most pages). Object URLs get objects owned by the
``department`` fixture; OBJECT_KWARGS maps URL keyword names to them.
"""

import datetime

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from accounts.models import User
from core.workflow import WorkflowState
from dashboards.models import CorrectiveAction, PublishedReport, ReasonForDeviation
from notifications.models import Kind, Notification
from tests.activities.factories import ProgressReportFactory
from tests.factories import ExpectedResultFactory, MeasureFactory, SectionFactory
from tests.indicators.factories import IndicatorFactory, IndicatorValueFactory, TargetFactory
from tests.partners.conftest import FACTORIES as PARTNER_FACTORIES
from tests.partners.factories import PartnerCityFactory

ROLES = ["anonymous", "viewer", "editor", "other_editor", "head", "other_head", "administrator"]
METHODS = ["GET", "POST"]

# Prefixes whose views answer to their own tests: Django's admin and i18n, the API (its issue
# brings its own permission matrix), and static and media files served in DEBUG only.
SKIPPED_PREFIXES = ("admin/", "i18n/", "api/", "static/", "media/")


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


def any_editor(status):
    """Editors and heads of any department (each acts for their own) and administrators;
    a viewer 403; anonymous users the login page."""
    return by_role(status, anonymous=302, viewer=403)


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
# A form that creates records for the user's own department: any editor may open it.
CREATE_FOR_OWN_DEPARTMENT = {"GET": any_editor(200), "POST": any_editor(400)}
# A POST-only change of the owning department's data; success redirects.
CHANGE_OWN_DEPARTMENT = {"GET": signed_in(405), "POST": own_department(302)}


# Pages for anyone (the public portal, open data): served with Cache-Control: public.
PUBLIC_PAGE = {"GET": by_role(200), "POST": by_role(405)}
PUBLIC = {
    "public:home",
    "public:section",
    "public:indicator",
    "public:report_list",
    "public:report",
    "opendata:index",
    "opendata:registry",
    "opendata:passport",
    "opendata:structure",
    "opendata:data",
}


def partner_record_pages(slug, *, spreadsheets=True):
    """The pages of one kind of partner record, kept by the owning department."""
    pages = {
        f"partners:{slug}_list": READ_ONLY_PAGE,
        f"partners:{slug}_detail": READ_ONLY_PAGE,
        f"partners:{slug}_history": READ_ONLY_PAGE,
        f"partners:{slug}_create": CREATE_FOR_OWN_DEPARTMENT,
        f"partners:{slug}_edit": EDIT_OWN_DEPARTMENT,
        f"partners:{slug}_delete": CHANGE_OWN_DEPARTMENT,
    }
    if spreadsheets:
        pages |= {
            f"partners:{slug}_export": READ_ONLY_PAGE,
            f"partners:{slug}_import": CREATE_FOR_OWN_DEPARTMENT,
            # Without a pending upload the confirmation sends the editor back to the upload.
            f"partners:{slug}_import_confirm": {"GET": signed_in(405), "POST": any_editor(302)},
        }
    return pages


EXPECTED = {
    "home": READ_ONLY_PAGE,
    "healthz": {"GET": by_role(200), "POST": by_role(405)},
    "login": {"GET": by_role(200), "POST": by_role(200)},  # empty form shown again
    "logout": {"GET": by_role(405), "POST": by_role(302)},
    "my_work": READ_ONLY_PAGE,
    "activities:plan_list": READ_ONLY_PAGE,
    "activities:plan_detail": READ_ONLY_PAGE,
    "activities:plan_revisions": READ_ONLY_PAGE,
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
    "partners:index": {"GET": signed_in(302), "POST": signed_in(405)},
    "partners:city_map": READ_ONLY_PAGE,
    **partner_record_pages("city"),
    **partner_record_pages("organisation"),
    **partner_record_pages("agreement"),
    **partner_record_pages("delegation"),
    **partner_record_pages("exchange", spreadsheets=False),
    **partner_record_pages("event"),
    # Linking is an edit of the measure's department data, whoever keeps the record.
    "partners:measure_link": CHANGE_OWN_DEPARTMENT,
    "partners:measure_unlink": CHANGE_OWN_DEPARTMENT,
    "indicators:indicator_list": READ_ONLY_PAGE,
    "indicators:indicator_detail": READ_ONLY_PAGE,
    "indicators:computed_records": READ_ONLY_PAGE,
    # Blank fields remove the targets: a valid form, saved and redirected.
    "indicators:targets_edit": {"GET": own_department(200), "POST": own_department(302)},
    "indicators:value_create": EDIT_OWN_DEPARTMENT,
    "indicators:value_edit": EDIT_OWN_DEPARTMENT,
    "indicators:value_submit": SUBMIT_OWN_DEPARTMENT,
    "indicators:value_approve": APPROVE_OWN_DEPARTMENT,
    "indicators:value_return": APPROVE_OWN_DEPARTMENT,
    "dashboards:measure_list": READ_ONLY_PAGE,
    "dashboards:section_dashboard": READ_ONLY_PAGE,
    "dashboards:annual_report": READ_ONLY_PAGE,
    "dashboards:annual_report_xlsx": READ_ONLY_PAGE,
    "dashboards:annual_report_docx": READ_ONLY_PAGE,
    # The head of a department that answers for part of the section writes its proposals.
    "dashboards:section_proposals_save": {"GET": signed_in(405), "POST": approvers(302)},
    # A head writes the reason for a deviation of their department's indicator (not achieved
    # in the URL's year), adds its corrective actions and marks them done.
    "dashboards:reason_for_deviation_save": {"GET": signed_in(405), "POST": approvers(302)},
    "dashboards:corrective_action_add": {"GET": signed_in(405), "POST": approvers(302)},
    "dashboards:corrective_action_done": {"GET": signed_in(405), "POST": approvers(302)},
    "dashboards:corrective_action_edit": {"GET": approvers(200), "POST": approvers(302)},
    "dashboards:corrective_action_delete": {"GET": signed_in(405), "POST": approvers(302)},
    # A head (of any department) or an administrator publishes a year's report.
    "dashboards:annual_report_publish": {
        "GET": signed_in(405),
        "POST": by_role(403, anonymous=302, head=302, other_head=302, administrator=302),
    },
    # One's own notifications: everyone has a centre and settings (an empty settings form is
    # bad input); a notification (the editor's) is opened or marked read by its user only:
    # anyone else's request finds none (404).
    "notifications:list": READ_ONLY_PAGE,
    "notifications:preferences": {"GET": signed_in(200), "POST": signed_in(400)},
    "notifications:read_all": {"GET": signed_in(405), "POST": signed_in(302)},
    "notifications:open": {"GET": signed_in(405), "POST": by_role(404, anonymous=302, editor=302)},
    "notifications:read": {"GET": signed_in(405), "POST": by_role(404, anonymous=302, editor=302)},
    "search:search": READ_ONLY_PAGE,
}
# The public portal and open data: anyone, no sign-in; read only. The report of a published
# year (NUMBER_KWARGS' year is published for them).
EXPECTED |= dict.fromkeys(PUBLIC, PUBLIC_PAGE)

# Pages of one person's data: not even the browser keeps them (Cache-Control: no-store).
NO_STORE = {"my_work", "notifications:list", "notifications:preferences"} | {
    name for name in EXPECTED if name.endswith("_history")
}

# The state the report or indicator value of a URL is in (default: draft).
WORKFLOW_STATE = {
    "activities:report_approve": WorkflowState.SUBMITTED,
    "activities:report_return": WorkflowState.SUBMITTED,
    "indicators:value_approve": WorkflowState.SUBMITTED,
    "indicators:value_return": WorkflowState.SUBMITTED,
}


def _link_data(objects):
    return {"kind": "city", "record": objects["partner_city"].pk}


# The data a POST sends: a dict, or a function of the URL's objects.
POST_DATA = {
    "activities:report_return": {"comment": "Приложите протокол."},
    "indicators:value_return": {"comment": "Приложите справку Хабаровскстата."},
    "dashboards:reason_for_deviation_save": {
        "cause": "external_partners",
        "text": "Делегация перенесла визит на 2016 год.",
    },
    "dashboards:corrective_action_add": {
        "text": "Согласовать новые сроки визита.",
        "responsible": "Петров П. П.",
        "due_on": "2016-06-30",
        "status": "planned",
    },
    "dashboards:corrective_action_edit": {
        "text": "Согласовать новые сроки визита с партнёром.",
        "responsible": "Петров П. П.",
        "due_on": "2016-09-30",
        "status": "in_progress",
    },
    "dashboards:section_proposals_save": {"text": "Расширить программу обменов."},
    "partners:measure_link": _link_data,
    "partners:measure_unlink": _link_data,
}


def _walk(patterns, prefix="", namespace=None, skipped=SKIPPED_PREFIXES):
    for entry in patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            inner = entry.namespace
            full = f"{namespace}:{inner}" if namespace and inner else inner or namespace
            yield from _walk(entry.url_patterns, route, full, skipped)
        elif isinstance(entry, URLPattern):
            if route.startswith(skipped):
                continue
            name = entry.name and (f"{namespace}:{entry.name}" if namespace else entry.name)
            yield name or f"<unnamed {route}>", entry


def project_urls(skipped=SKIPPED_PREFIXES):
    return sorted(dict(_walk(get_resolver().url_patterns, skipped=skipped)).items())


URLS = dict(project_urls())


@pytest.fixture
def owned_objects(department, editor):
    """A plan, section and measure of ``department``; reports, values and partner records are
    made per URL, by url_kwargs."""
    section = SectionFactory()
    measure = MeasureFactory(section=section, department=department)
    city = PartnerCityFactory(department=department)
    city.measures.add(measure)
    return {
        "plan_id": section.plan,
        "section_id": section,
        "measure_id": measure,
        "partner_city": city,
    }


def _make_object(name, entry, key, objects):
    """The object (owned by ``department``) a URL argument names, or None if unknown."""
    measure = objects["measure_id"]
    department = measure.department
    state = WORKFLOW_STATE.get(name, WorkflowState.DRAFT)
    if key == "report_id":
        return ProgressReportFactory(measure=measure, state=state, year=2016, quarter=None)
    if key == "pk" and "record_type" in entry.default_args:
        return PARTNER_FACTORIES[entry.default_args["record_type"].slug](department=department)
    if key == "indicator_id":
        computed = {"source": "computed", "computation": "agreements_concluded"}
        indicator = IndicatorFactory(
            department=department,
            expected_result=ExpectedResultFactory(section=measure.section),
            **(computed if name == "indicators:computed_records" else {}),
        )
        if name in DEVIATING:
            _not_achieved(indicator, cause=name == "dashboards:corrective_action_add")
        return indicator
    if key == "action_id":
        indicator = _make_object(name, entry, "indicator_id", objects)
        _not_achieved(indicator, cause=True)
        return CorrectiveAction.objects.create(
            reason=ReasonForDeviation.objects.get(indicator=indicator),
            text="Согласовать новые сроки визита.",
            responsible="Петров П. П.",
            due_on=datetime.date(2016, 6, 30),
            author=User.objects.get(username="editor"),
        )
    if key == "notification_id":
        return Notification.objects.create(
            user=User.objects.get(username="editor"),
            kind=Kind.RETURNED,
            text="Отчёт возвращён.",
            link=measure.get_absolute_url(),
            key=f"matrix:{name}",
        )
    if key == "value_id":
        indicator = _make_object(name, entry, "indicator_id", objects)
        return IndicatorValueFactory(indicator=indicator, year=2015, state=state)
    return None


# URLs whose indicator must have deviated in the URL's year (causes and corrective actions are
# written only then).
DEVIATING = {"dashboards:reason_for_deviation_save", "dashboards:corrective_action_add"}


def _not_achieved(indicator, *, cause):
    """The indicator missed its 2015 target (5 of 10); with ``cause``, its cause is recorded."""
    TargetFactory(indicator=indicator, year=2015, value=10)
    IndicatorValueFactory(indicator=indicator, year=2015, value=5, state=WorkflowState.APPROVED)
    if cause:
        ReasonForDeviation.objects.create(
            indicator=indicator,
            year=2015,
            cause="external_partners",
            text="Партнёр перенёс визит.",
            author=User.objects.get(username="editor"),
        )


def _data_version():
    from dashboards.opendata import INDICATORS

    return INDICATORS.version()


def _opendata_version(name):
    from dashboards.opendata import STRUCTURE_VERSION

    return _data_version() if name == "opendata:data" else STRUCTURE_VERSION


# URL arguments that are plain values, not objects (a function of the URL name: computed when
# the URL is made, after its objects).
NUMBER_KWARGS = {
    "year": 2015,
    "extension": "csv",
    "identifier": "strategy-indicators",
    "version": _opendata_version,
    "structure_version": lambda name: _opendata_version("opendata:structure"),
}


def url_kwargs(name, entry, objects):
    kwargs = {}
    for key in entry.pattern.converters:
        if key in NUMBER_KWARGS:
            value = NUMBER_KWARGS[key]
            kwargs[key] = value(name) if callable(value) else value
            continue
        if key not in objects:
            objects[key] = _make_object(name, entry, key, objects)
        if objects[key] is None:
            pytest.fail(f"{name}: no object for the URL argument {key!r}; add it to _make_object")
        kwargs[key] = objects[key].pk
    return kwargs


@pytest.mark.django_db
@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", list(URLS))
def test_access(request, client, owned_objects, name, role, method):
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
    if name == "public:report":
        publisher = request.getfixturevalue("administrator")
        PublishedReport.objects.create(year=NUMBER_KWARGS["year"], published_by=publisher)
    url = reverse(name, kwargs=url_kwargs(name, URLS[name], owned_objects))

    data = POST_DATA.get(name, {})
    if callable(data):
        data = data(owned_objects)
    response = client.get(url) if method == "GET" else client.post(url, data)

    assert response.status_code == EXPECTED[name][method][role], (name, role, method)
    # What HTTP caches may keep (core.middleware.CacheHeadersMiddleware).
    assert "camera=()" in response["Permissions-Policy"], name
    cache_control = {part.strip() for part in response.get("Cache-Control", "").split(",")}
    if name in PUBLIC and response.status_code == 200:
        # The same for everyone: a proxy may keep it (and revalidate it with its ETag).
        assert "public" in cache_control and response.has_header("ETag"), (name, cache_control)
    else:
        assert "private" in cache_control, (name, role, method, cache_control)
        assert cache_control & {"no-cache", "no-store"}, (name, role, method, cache_control)
    if name in NO_STORE and response.status_code == 200:
        assert "no-store" in cache_control, (name, role, method, cache_control)
    # Every page the portal serves carries the content security policy.
    if response.status_code == 200 and response["Content-Type"].startswith("text/html"):
        policy = response["Content-Security-Policy"]
        assert "default-src 'self'" in policy and "unsafe-inline" not in policy, name


def test_every_table_entry_is_a_real_url():
    assert set(EXPECTED) - set(URLS) == set()


def test_the_matrix_covers_every_role_and_method():
    for name, statuses in EXPECTED.items():
        assert set(statuses) == set(METHODS), name
        for method in METHODS:
            assert set(statuses[method]) == set(ROLES), (name, method)
