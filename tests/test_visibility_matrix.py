"""Who sees what, over every URL (design.md, "Who sees what").

Two departments, A and B; in each, a progress report and an indicator value in every workflow
state, each carrying a marker of its own in its text or comment, in its review comment and in
the name of its evidence file, whose body carries a second marker. Every URL pattern (pages,
fragments, exports, the annual report in HTML and XLSX, media, history pages, the API's lists,
details, series and CSV) is opened by anonymous users, the viewer, editor and head of each
department, an administrator and an API client (with its token); the test asserts exactly
which markers each answer carries. The expectation is written here from the rule itself, not
from the code: approved items are every signed-in reader's, pending ones their department's
editors' and head's and administrators'.

A URL pattern without an entry in SPECS fails: say what the new page shows.
"""

import datetime
import io
import zipfile
from dataclasses import dataclass

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import reverse

from accounts.models import Role
from accounts.tokens import api_token_issue
from core.workflow import WorkflowState
from dashboards.models import CorrectiveAction, PublishedReport, ReasonForDeviation
from notifications import services as notification_services
from notifications.models import Notification
from tests.activities.factories import ProgressReportFactory
from tests.factories import (
    DepartmentFactory,
    ExpectedResultFactory,
    GoalFactory,
    MeasureFactory,
    SectionFactory,
    TaskFactory,
    UserFactory,
)
from tests.indicators.factories import IndicatorFactory, IndicatorValueFactory, TargetFactory
from tests.partners.conftest import FACTORIES as PARTNER_FACTORIES
from tests.test_access_matrix import project_urls

YEAR = 2016
STATES = [
    WorkflowState.DRAFT,
    WorkflowState.SUBMITTED,
    WorkflowState.RETURNED,
    WorkflowState.APPROVED,
]
DEPARTMENTS = ["a", "b"]
ROLES = [
    "anonymous",
    "viewer_a",
    "editor_a",
    "head_a",
    "viewer_b",
    "editor_b",
    "head_b",
    "administrator",
    "api_client",
]
ROLE_OF = {"viewer": Role.VIEWER, "editor": Role.EDITOR, "head": Role.HEAD}

# Django's admin (administrators only, its own tests), the language switch and static files.
SKIPPED = ("admin/", "i18n/", "static/")


@dataclass
class Item:
    kind: str  # "report" or "value"
    department: str  # "a" or "b"
    state: str
    obj: object

    @property
    def marker(self):
        return f"mrk-{self.kind}-{self.department}-{self.state}"

    @property
    def body(self):
        return f"body-{self.kind}-{self.department}-{self.state}"


def may_see(role, item):
    """The rule, as design.md states it."""
    if role == "anonymous":
        return False
    if item.state == WorkflowState.APPROVED:
        return True
    if role == "administrator":
        return True
    staff, _sep, department = role.partition("_")
    return staff in {"editor", "head"} and department == item.department


# --- what each URL shows, to a reader who may see everything ---------------------------------
#
# Listing(shows): one URL; the items it lists are those for which shows(item, role) holds.
# PerItem(kinds, kwarg, shows): one URL per item of those kinds (the item named by ``kwarg``);
# it shows that item's marker (media: its body) when shows(item, role) holds.


@dataclass(frozen=True)
class Listing:
    shows: object = None  # None: no workflow item at all
    queries: tuple = ("",)  # query strings to try
    # A page for anyone (public portal, open data): what it shows does not depend on who asks.
    public: bool = False


@dataclass(frozen=True)
class PerItem:
    kinds: tuple
    kwarg: str
    shows: object = None
    body: bool = False  # the evidence file's body, not the item's marker


NOTHING = Listing()
PUBLIC_NOTHING = Listing(public=True)


def everything(item, role):
    return True


def of_kind(kind, department=None, state=None):
    def shows(item, role):
        return (
            item.kind == kind
            and (department is None or item.department == department)
            and (state is None or item.state == state)
        )

    return shows


def my_work_shows(item, role):
    """Editors: their department's drafts and returned items; heads and administrators what
    waits for approval, heads only their own drafts (the world's are the editors'). Approved
    items are nobody's work."""
    if item.state == WorkflowState.APPROVED:
        return False
    if item.state == WorkflowState.SUBMITTED:
        return role.startswith("head") or role == "administrator"
    return not role.startswith("head")


def notified_of_return(item, role):
    return item.state == WorkflowState.RETURNED and role == f"editor_{item.department}"


def editable_by(kind):
    """An edit form: the item's editors, while it is a draft or returned."""

    def shows(item, role):
        editor = role.startswith(("editor", "head")) or role == "administrator"
        return (
            item.kind == kind
            and editor
            and item.state in {WorkflowState.DRAFT, WorkflowState.RETURNED}
        )

    return shows


def api_list(kind):
    return Listing(
        of_kind(kind),
        queries=("", "?format=csv", "?department={department_a}", "?state=draft"),
    )


def api_export(kind, *extra):
    return Listing(
        of_kind(kind),
        queries=("", "?department={department_a}", "?state=draft", *extra),
    )


def _specs():
    specs = {
        "home": NOTHING,
        "healthz": NOTHING,
        "login": NOTHING,
        "logout": NOTHING,
        "my_work": Listing(my_work_shows),
        "media": PerItem(("report", "value"), "name", everything, body=True),
        # The plan.
        "activities:plan_list": NOTHING,
        "activities:plan_detail": NOTHING,
        "activities:plan_revisions": NOTHING,
        "activities:section_detail": NOTHING,
        "activities:plan_import": NOTHING,
        "activities:reporting_years": NOTHING,
        "activities:measure_detail": Listing(of_kind("report", department="a")),
        "activities:measure_history": NOTHING,
        "activities:measure_edit": NOTHING,
        "activities:report_create": NOTHING,
        "activities:report_detail": PerItem(("report",), "report_id", everything),
        "activities:report_edit": PerItem(("report",), "report_id", editable_by("report")),
        # POST-only workflow actions: a GET is refused and shows nothing.
        "activities:report_submit": NOTHING,
        "activities:report_approve": NOTHING,
        "activities:report_return": NOTHING,
        # Indicators.
        "indicators:indicator_list": NOTHING,
        "indicators:indicator_detail": Listing(of_kind("value", department="a")),
        "indicators:computed_records": NOTHING,
        "indicators:targets_edit": NOTHING,
        "indicators:value_create": NOTHING,
        "indicators:value_edit": PerItem(("value",), "value_id", editable_by("value")),
        "indicators:value_submit": NOTHING,
        "indicators:value_approve": NOTHING,
        "indicators:value_return": NOTHING,
        # Dashboards and the annual report: approved data only; the report lists what was
        # done per measure (the text of its approved report).
        "dashboards:measure_list": NOTHING,
        "dashboards:section_dashboard": NOTHING,
        "dashboards:annual_report": Listing(of_kind("report", state=WorkflowState.APPROVED)),
        "dashboards:annual_report_xlsx": Listing(of_kind("report", state=WorkflowState.APPROVED)),
        "dashboards:annual_report_docx": Listing(of_kind("report", state=WorkflowState.APPROVED)),
        "dashboards:section_proposals_save": NOTHING,
        "dashboards:reason_for_deviation_save": NOTHING,
        "dashboards:corrective_action_add": NOTHING,
        "dashboards:corrective_action_done": NOTHING,
        "dashboards:corrective_action_edit": NOTHING,
        "dashboards:corrective_action_delete": NOTHING,
        "dashboards:annual_report_publish": NOTHING,
        # The public portal and open data: for anyone; of workflow items only what a published
        # year's report says was done (the text of an approved report) — never a comment, a
        # review comment or evidence.
        "public:home": PUBLIC_NOTHING,
        "public:section": PUBLIC_NOTHING,
        "public:indicator": PUBLIC_NOTHING,
        "public:report_list": PUBLIC_NOTHING,
        "public:report": Listing(of_kind("report", state=WorkflowState.APPROVED), public=True),
        "opendata:index": PUBLIC_NOTHING,
        "opendata:registry": PUBLIC_NOTHING,
        "opendata:passport": PUBLIC_NOTHING,
        "opendata:structure": PUBLIC_NOTHING,
        "opendata:data": PUBLIC_NOTHING,
        # One's own notifications: a returned item's author is told, with the head's comment
        # (which carries the item's marker); nobody else, viewers least of all.
        "notifications:list": Listing(notified_of_return),
        "notifications:preferences": NOTHING,
        "notifications:read_all": NOTHING,
        "notifications:open": NOTHING,
        "notifications:read": NOTHING,
        # The search finds the reports the reader may see (their text carries the markers);
        # indicator values are not searched. The page of one kind lists them all (the page of
        # every kind shows the first five: tests/search).
        "search:search": Listing(of_kind("report"), queries=("?q=mrk&kind=report",)),
        # Partner records hold no workflow items.
        "partners:index": NOTHING,
        "partners:city_map": NOTHING,
        "partners:measure_link": NOTHING,
        "partners:measure_unlink": NOTHING,
        # The API.
        "api-root": NOTHING,
        "schema": NOTHING,
        "swagger-ui": NOTHING,
        "redoc": NOTHING,
        "progressreport-list": api_list("report"),
        "progressreport-detail": PerItem(("report",), "pk", everything),
        "indicatorvalue-list": api_list("value"),
        "indicatorvalue-detail": PerItem(("value",), "pk", everything),
        "indicator-series": Listing(queries=("", "?format=csv")),
        "indicator-series-list": Listing(queries=("", "?format=csv")),
        # Bulk exports: the list's rows, filters and visibility.
        "progressreport-export-csv": api_export("report", "?dialect=excel-ru"),
        "progressreport-export-ndjson": api_export("report"),
        "indicatorvalue-export-csv": api_export("value", "?dialect=excel-ru"),
        "indicatorvalue-export-ndjson": api_export("value"),
        # Tombstones name a resource, an id and a moment: no item's text.
        "deletion-list": Listing(queries=("", "?resource=indicator-values")),
    }
    for action in ("submit", "approve", "return"):
        specs[f"progressreport-{action}"] = NOTHING
        specs[f"indicatorvalue-{action}"] = NOTHING
    for slug in PARTNER_FACTORIES:
        for page in ("list", "detail", "history", "create", "edit", "delete"):
            specs[f"partners:{slug}_{page}"] = NOTHING
        if slug != "exchange":  # exchanges have no spreadsheets
            for page in ("export", "import", "import_confirm"):
                specs[f"partners:{slug}_{page}"] = NOTHING
    # The API's other read endpoints (plan, partners, indicators): no workflow items.
    for basename in (
        "department",
        "strategicplan",
        "section",
        "goal",
        "task",
        "expectedresult",
        "measure",
        "indicator",
        "target",
        "partnercity",
        "partnerorganisation",
        "agreement",
        "delegation",
        "exchange",
        "event",
    ):
        specs[f"{basename}-list"] = Listing(queries=("", "?format=csv"))
        specs[f"{basename}-detail"] = NOTHING
        specs[f"{basename}-export-csv"] = Listing(queries=("", "?dialect=excel-ru"))
        specs[f"{basename}-export-ndjson"] = NOTHING
    return specs


SPECS = _specs()


def _opendata_version(name):
    from dashboards.opendata import INDICATORS, STRUCTURE_VERSION

    return INDICATORS.version() if name == "opendata:data" else STRUCTURE_VERSION


OPENDATA_KWARGS = {
    "extension": lambda name: "csv",
    "identifier": lambda name: "strategy-indicators",
    "version": _opendata_version,
    "structure_version": lambda name: _opendata_version("opendata:structure"),
}
URLS = dict(project_urls(skipped=SKIPPED))


# --- the world ---------------------------------------------------------------------------------


@pytest.fixture
def world(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    departments = {d: DepartmentFactory(name=f"Управление {d.upper()}") for d in DEPARTMENTS}
    users = {"administrator": UserFactory(department=None, role=Role.ADMINISTRATOR)}
    for department in DEPARTMENTS:
        for staff, role in ROLE_OF.items():
            users[f"{staff}_{department}"] = UserFactory(
                department=departments[department], role=role
            )
    users["api_client"] = UserFactory(department=None, role=Role.API_CLIENT)
    _token, key = api_token_issue(user=users["api_client"], name="open data")
    # The year is published: the public portal and open data show its approved data.
    PublishedReport.objects.create(year=YEAR, published_by=users["administrator"])

    section = SectionFactory()
    GoalFactory(section=section)
    TaskFactory(section=section)
    measures, indicators = {}, {}
    for department in DEPARTMENTS:
        measures[department] = MeasureFactory(
            section=section,
            department=departments[department],
            period_start=2008,
            period_end=2020,
        )
        indicators[department] = IndicatorFactory(
            department=departments[department],
            expected_result=ExpectedResultFactory(section=section),
        )
        TargetFactory(indicator=indicators[department], year=YEAR)
        for factory in PARTNER_FACTORIES.values():
            factory(department=departments[department])

    items = []
    for department in DEPARTMENTS:
        editor, head = users[f"editor_{department}"], users[f"head_{department}"]
        for quarter, state in enumerate(STATES, start=1):
            reviewed = state in {WorkflowState.APPROVED, WorkflowState.RETURNED}
            common = {
                "state": state,
                "year": YEAR,
                "quarter": quarter,
                "author": editor,
                "reviewer": head if reviewed else None,
            }
            report = ProgressReportFactory(
                measure=measures[department], text="", percent_done=quarter * 20, **common
            )
            value = IndicatorValueFactory(indicator=indicators[department], **common)
            for kind, obj in (("report", report), ("value", value)):
                item = Item(kind, department, state, obj)
                if kind == "report":
                    obj.text = f"Сделано: {item.marker}."
                else:
                    obj.comment = f"Справка: {item.marker}."
                if state == WorkflowState.RETURNED:
                    obj.review_comment = f"Исправьте: {item.marker}."
                obj.evidence_file.save(
                    f"{item.marker}.pdf", ContentFile(f"%PDF-1.4 {item.body}".encode()), save=False
                )
                obj.save()
                items.append(item)
                if state == WorkflowState.RETURNED:
                    notification_services.item_returned(obj, by=head)

    # A corrective action of department A (the pages of causes and actions show no workflow
    # item; their URLs are POST only).
    reason = ReasonForDeviation.objects.create(
        indicator=indicators["a"], year=YEAR, text="Партнёр перенёс визит.", author=head
    )
    action = CorrectiveAction.objects.create(
        reason=reason,
        text="Согласовать новые сроки.",
        responsible="Петров П. П.",
        due_on=datetime.date(YEAR + 1, 6, 30),
        author=head,
    )
    yield {
        "users": users,
        "token": key,
        "items": items,
        "objects": {
            "plan_id": section.plan,
            "section_id": section,
            "measure_id": measures["a"],
            "indicator_id": indicators["a"],
            "action_id": action,
            "department_a": departments["a"],
        },
    }
    for item in items:
        default_storage.delete(item.obj.evidence_file.name)


def _object_for_pk(entry, world):
    """The object an API detail or a partner page of ``entry`` is about (department A's)."""
    record_type = entry.default_args.get("record_type")
    if record_type is not None:
        model = record_type.model
    else:
        view = entry.callback.cls
        model = view.serializer_class.Meta.model
    obj = model.objects.order_by("pk").first()
    if obj is None:
        pytest.fail(f"{entry.name}: no {model.__name__} in the world fixture")
    return obj


def _arguments(entry):
    """The URL's keyword arguments; the API router's patterns are regular expressions (their
    optional format suffix is left out: the plain route is the one opened)."""
    keys = getattr(entry.pattern, "converters", None) or entry.pattern.regex.groupindex
    return [key for key in keys if key != "format"]


def _first(world, kind):
    return next(item for item in world["items"] if item.kind == kind)


def urls_of(name, world):
    """[(url, item or None)]: the URLs to open for ``name`` and the item each is about."""
    entry, spec = URLS[name], SPECS[name]
    objects = world["objects"]
    if isinstance(spec, PerItem):
        found = []
        for item in world["items"]:
            if item.kind not in spec.kinds:
                continue
            value = item.obj.evidence_file.name if spec.kwarg == "name" else item.obj.pk
            found.append((reverse(name, kwargs={spec.kwarg: value}), item))
        return found
    kwargs = {}
    for key in _arguments(entry):
        if key == "year":
            kwargs[key] = YEAR
        elif key in OPENDATA_KWARGS:
            kwargs[key] = OPENDATA_KWARGS[key](name)
        elif key in objects:
            kwargs[key] = objects[key].pk
        elif key == "report_id":
            kwargs[key] = _first(world, "report").obj.pk
        elif key == "value_id":
            kwargs[key] = _first(world, "value").obj.pk
        elif key == "notification_id":
            kwargs[key] = Notification.objects.order_by("pk").first().pk
        elif key == "name":
            kwargs[key] = _first(world, "report").obj.evidence_file.name
        elif key == "pk" and name.startswith(("progressreport-", "indicatorvalue-")):
            kind = "report" if name.startswith("progressreport-") else "value"
            kwargs[key] = _first(world, kind).obj.pk
        elif key == "pk":
            kwargs[key] = _object_for_pk(entry, world).pk
        else:
            pytest.fail(f"{name}: no value for the URL argument {key!r}")
    base = reverse(name, kwargs=kwargs)
    department_a = objects["department_a"].pk
    return [(base + query.format(department_a=department_a), None) for query in spec.queries]


def readable(response):
    """What a person or a program gets out of the answer: the bytes, and for an XLSX file
    (a zip) the text of its parts."""
    content = b"".join(response.streaming_content) if response.streaming else response.content
    if content.startswith(b"PK"):
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            content = b"".join(archive.read(member) for member in archive.namelist())
    # The search marks the words it matched inside a marker: read the text without the marks.
    content = content.replace(b"<mark>", b"").replace(b"</mark>", b"")
    return content.decode("utf-8", errors="replace")


def expected_markers(name, role, item, world, url):
    spec = SPECS[name]
    if getattr(spec, "public", False):
        return {i.marker for i in world["items"] if spec.shows and spec.shows(i, role)}
    if role == "api_client" and not url.startswith("/api/"):
        return set()  # an API client has the API, not the pages (its token opens no page)
    if isinstance(spec, PerItem):
        shows = spec.shows(item, role) and may_see(role, item)
        return {item.body if spec.body else item.marker} if shows else set()
    if spec.shows is None:
        return set()
    return {i.marker for i in world["items"] if spec.shows(i, role) and may_see(role, i)}


def _department_filter(url, item):
    return "department=" not in url or item.department == "a"


def found_markers(text, world):
    return {
        marker for item in world["items"] for marker in (item.marker, item.body) if marker in text
    }


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(URLS))
def test_each_url_shows_each_role_exactly_what_it_may_see(client, world, name):
    if name not in SPECS:
        pytest.fail(f"{name} has no entry in SPECS: say which workflow items the page shows")
    checked = 0
    for role in ROLES:
        client.logout()
        headers = {}
        if role == "api_client":
            headers["HTTP_AUTHORIZATION"] = f"Token {world['token']}"
        elif role != "anonymous":
            client.force_login(world["users"][role])
        for url, item in urls_of(name, world):
            response = client.get(url, **headers)
            if SPECS[name].public if isinstance(SPECS[name], Listing) else False:
                assert response.status_code == 200, (name, role, url)
            found = found_markers(readable(response), world)
            expected = expected_markers(name, role, item, world, url)
            if item is None:
                expected = {
                    marker
                    for marker in expected
                    if _department_filter(url, _item_of(marker, world))
                    and _state_filter(url, _item_of(marker, world))
                }
            assert found == expected, (name, role, url, response.status_code)
            checked += 1
    assert checked >= len(ROLES)


def _item_of(marker, world):
    return next(item for item in world["items"] if marker in (item.marker, item.body))


def _state_filter(url, item):
    return "state=draft" not in url or item.state == WorkflowState.DRAFT


def test_every_spec_is_a_real_url():
    assert set(SPECS) - set(URLS) == set()
