from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.functional import SimpleLazyObject
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.decorators import portal_view
from accounts.roles import is_administrator, is_editor, is_head
from activities import selectors as activity_selectors
from activities.models import Measure
from core import cache as data_cache
from core.filters import YEAR_MAX, YEAR_MIN
from core.workflow import is_year_locked
from indicators import selectors as indicator_selectors
from notifications.selectors import overdue_summary

from . import reports, selectors, services, word
from .forms import (
    CorrectiveActionDoneForm,
    CorrectiveActionEditForm,
    CorrectiveActionForm,
    DashboardFilterForm,
    MeasureFilterForm,
    ReasonForDeviationForm,
    SectionFilterForm,
    SectionProposalsForm,
)

WRITE_REASON = "dashboards.write_reason_for_deviation"
PUBLISH = "dashboards.publish_report"
WRITE_PROPOSALS = "dashboards.write_section_proposals"
MEASURES_PER_PAGE = 50


def _year_or_404(year):
    if not YEAR_MIN <= year <= YEAR_MAX:
        raise Http404(_("The year must be between 1900 and 2100."))
    return year


@portal_view
@require_GET
def home(request):
    today = timezone.localdate()
    form = DashboardFilterForm(_with_default_year(request.GET, today))
    if not form.is_valid():
        return render(request, "dashboards/home.html", {"form": form}, status=400)
    year = form.cleaned_data["year"]
    plan, department = form.cleaned_data["plan"], form.cleaned_data["department"]
    # Computed only when the body is rendered (or a caller looks at it); the body's HTML is
    # what is cached, so the figures are not kept a second time.
    dashboard = SimpleLazyObject(
        lambda: selectors.home_dashboard(year=year, plan=plan, department=department, today=today)
    )

    def render_body():
        context = {"dashboard": dashboard, "measure_statuses": Measure.Status.choices}
        return render_to_string("dashboards/partials/home_body.html", context)

    # The body holds nothing of the user's (no form token, no nonce), so its HTML is cached
    # under the same data version as the figures: a hit neither reads nor renders them.
    # Numbers are formatted in the page's language (295,5 in Russian): one body per language.
    language = translation.get_language()
    parts = (
        plan.pk if plan else None,
        year,
        department.pk if department else None,
        today,
        language,
    )
    body = data_cache.cached("home-html", parts, render_body)
    # The open corrective actions carry the user's "mark done" forms: outside the cached body,
    # their figures cached apart.
    open_actions = data_cache.cached(
        "open-actions",
        parts[:-1],
        lambda: selectors.open_corrective_actions(
            today=today,
            department_id=department.pk if department else None,
            plan_id=plan.pk if plan else None,
        ),
    )
    context = {
        "form": form,
        "year": year,
        "body": body,
        "dashboard": dashboard,
        "open_actions": open_actions,
        "markable": _markable(request.user, open_actions),
    }
    return render(request, "dashboards/home.html", context)


def _markable(user, open_actions):
    """Ids of the shown open actions the user may mark done (the rules, no query)."""
    if open_actions is None:  # figures cached before the actions were part of them
        return set()
    return {
        action.pk
        for action in open_actions.shown
        if user.has_perm(WRITE_REASON, action.reason.indicator)
    }


def _with_default_year(query, today):
    """The filters asked for, the year being the default reporting year when none is given:
    the year field shows the year the page shows."""
    if query.get("year"):
        return query
    query = query.copy()
    query["year"] = str(activity_selectors.default_reporting_year_cached(today))
    return query


@portal_view
@require_GET
def section_dashboard(request, section_id):
    section = selectors.section_get(section_id)
    today = timezone.localdate()
    form = SectionFilterForm(_with_default_year(request.GET, today))
    if not form.is_valid():
        context = {"form": form, "section": section}
        return render(request, "dashboards/section.html", context, status=400)
    year = form.cleaned_data["year"]
    dashboard = selectors.section_dashboard_cached(section=section, year=year, today=today)
    context = {
        "form": form,
        "section": section,
        "dashboard": dashboard,
        "measure_statuses": Measure.Status.choices,
        "markable": _markable(request.user, dashboard.open_actions),
    }
    return render(request, "dashboards/section.html", context)


@portal_view
@require_GET
def annual_report(request, year):
    report = _annual_report(_year_or_404(year))
    # Rows carry their indicator's department_id, so the rules decide on them directly. A
    # closed reporting year takes no new reasons (the service refuses them too).
    locked = is_year_locked(report.year)
    # Causes and actions are written only for a year at risk or not achieved (row.deviates).
    writable = {
        row.indicator_id
        for section in report.sections
        for row in section.rows
        if not locked and row.deviates and request.user.has_perm(WRITE_REASON, row)
    }
    proposals_writable = {
        section.section_id
        for section in report.sections
        if not locked and request.user.has_perm(WRITE_PROPOSALS, _SectionRef(section.section_id))
    }
    context = {
        "report": report,
        "writable": writable,
        "proposals_writable": proposals_writable,
        "year_locked": locked,
        "publication": selectors.publication_get(report.year),
        "can_publish": request.user.has_perm(PUBLISH),
    }
    return render(request, "dashboards/report.html", context)


class _SectionRef:
    """What the rules need of a section: its id (the report holds ids, not sections)."""

    def __init__(self, pk):
        self.pk = pk


@portal_view
@require_POST
def section_proposals_save(request, year, section_id):
    """A head writes the proposals for a section in `year`, from the report page."""
    year = _year_or_404(year)
    section = activity_selectors.section_get(section_id)
    if not request.user.has_perm(WRITE_PROPOSALS, section):
        raise PermissionDenied
    form = SectionProposalsForm(request.POST)
    if form.is_valid():
        try:
            services.section_proposals_set(
                section=section, year=year, text=form.cleaned_data["text"], by=request.user
            )
        except ValidationError as error:
            form.add_error("text", error)
        else:
            messages.success(request, _("The proposals are saved."))
            url = reverse("dashboards:annual_report", args=[year])
            return redirect(f"{url}#proposals-{section.pk}")
    context = {"form": form, "section": section, "year": year}
    return render(request, "dashboards/proposals_form.html", context, status=400)


@portal_view
@require_POST
def annual_report_publish(request, year):
    """A head or an administrator publishes (or, with ``withdraw``, withdraws) a year's report."""
    year = _year_or_404(year)
    if not request.user.has_perm(PUBLISH):
        raise PermissionDenied
    if request.POST.get("withdraw"):
        services.report_withdraw(year=year, by=request.user)
        messages.success(request, _("The report is withdrawn from the public portal."))
    else:
        try:
            services.report_publish(year=year, by=request.user)
        except ValidationError as error:
            report = _annual_report(year)
            context = {"report": report, "writable": set(), "publish_errors": error.messages}
            context["proposals_writable"] = set()
            context |= {"publication": None, "can_publish": True, "year_locked": False}
            return render(request, "dashboards/report.html", context, status=400)
        messages.success(request, _("The report is published on the public portal."))
    return redirect("dashboards:annual_report", year)


@portal_view
@require_GET
def annual_report_xlsx(request, year):
    year = _year_or_404(year)
    # The workbook is the same for everyone (the city's whole plan, slow to build at scale:
    # bench/README.md), so its bytes are kept under the data version like the figures.
    content = data_cache.cached(
        "annual-report-xlsx",
        (year, timezone.localdate()),
        lambda: reports.annual_report_xlsx(_annual_report(year)),
    )
    response = HttpResponse(content, content_type=reports.XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{reports.filename(year)}"'
    return response


@portal_view
@require_GET
def annual_report_docx(request, year):
    """The report as a Word document for the City Duma; the same figures as the page."""
    year = _year_or_404(year)
    content = data_cache.cached(
        "annual-report-docx",
        (year, timezone.localdate()),
        lambda: word.annual_report_docx(_annual_report(year)),
    )
    response = HttpResponse(content, content_type=word.DOCX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{word.filename(year)}"'
    return response


def _annual_report(year):
    """The annual report's figures through the data-version cache, as of today."""
    today = timezone.localdate()
    return data_cache.cached(
        "annual-report",
        (year, today),
        lambda: selectors.annual_report(year=year, today=today),
    )


@portal_view
@require_POST
def reason_for_deviation_save(request, year, indicator_id):
    """A head writes why an indicator deviated in `year`; from the report page (htmx or not)."""
    year = _year_or_404(year)
    indicator = selectors.indicator_get(indicator_id)
    if not request.user.has_perm(WRITE_REASON, indicator):
        raise PermissionDenied
    form = ReasonForDeviationForm(request.POST)
    reason = None
    status = 400
    if form.is_valid():
        try:
            reason = services.reason_for_deviation_set(
                indicator=indicator,
                year=year,
                cause=form.cleaned_data["cause"],
                text=form.cleaned_data["text"],
                by=request.user,
            )
        except ValidationError as error:
            form.add_error("cause" if error.code == "cause" else "text", error)
        else:
            status = 200
            if not request.htmx:
                messages.success(request, _("The reason for deviation is saved."))
                url = reverse("dashboards:annual_report", args=[year])
                return redirect(f"{url}#indicator-{indicator.pk}")
            form = ReasonForDeviationForm()
    context = {
        "indicator": indicator,
        "indicator_id": indicator.pk,
        "year": year,
        "reason": reason or selectors.reason_get(indicator, year),
        "form": form,
        "can_write_reason": True,
        "saved": status == 200,
        "action_form": CorrectiveActionForm(),
    }
    template = "dashboards/partials/reason.html" if request.htmx else "dashboards/reason_form.html"
    return render(request, template, context, status=status)


@portal_view
@require_POST
def corrective_action_add(request, year, indicator_id):
    """A head adds a corrective action to the cause of a deviation, from the report page."""
    year = _year_or_404(year)
    indicator = selectors.indicator_get(indicator_id)
    if not request.user.has_perm(WRITE_REASON, indicator):
        raise PermissionDenied
    form = CorrectiveActionForm(request.POST)
    if form.is_valid():
        try:
            services.corrective_action_add(
                indicator=indicator, year=year, by=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            field = error.code if error.code in form.fields else None
            form.add_error(field, error)
        else:
            messages.success(request, _("The corrective action is saved."))
            url = reverse("dashboards:annual_report", args=[year])
            return redirect(f"{url}#indicator-{indicator.pk}")
    context = {
        "indicator": indicator,
        "indicator_id": indicator.pk,
        "year": year,
        "reason": selectors.reason_get(indicator, year),
        "form": ReasonForDeviationForm(),
        "action_form": form,
        "can_write_reason": True,
    }
    return render(request, "dashboards/reason_form.html", context, status=400)


@portal_view
@require_POST
def corrective_action_done(request, action_id):
    """A head marks a corrective action done (from a dashboard or the report) and goes back."""
    action = _writable_action(request, action_id)
    form = CorrectiveActionDoneForm(request.POST)
    if form.is_valid():
        try:
            services.corrective_action_mark_done(
                action=action, done_on=form.cleaned_data["done_on"], by=request.user
            )
        except ValidationError as error:
            form.add_error("done_on", error)
        else:
            messages.success(request, _("The corrective action is marked done."))
            return redirect(_back(request, action))
    context = {"action": action, "form": form, "back": _back(request, action)}
    return render(request, "dashboards/action_done_form.html", context, status=400)


def _writable_action(request, action_id):
    """The action, if the user may write its indicator's causes and actions; else 403."""
    action = selectors.corrective_action_get(action_id)
    if not request.user.has_perm(WRITE_REASON, action.reason.indicator):
        raise PermissionDenied
    return action


@portal_view
@require_http_methods(["GET", "POST"])
def corrective_action_edit(request, action_id):
    """A head changes an open corrective action (its wording, person, due date, stage), or
    deletes one entered by mistake (``corrective_action_delete``)."""
    action = _writable_action(request, action_id)
    if request.method == "POST":
        form = CorrectiveActionEditForm(request.POST)
        if form.is_valid():
            try:
                services.corrective_action_update(
                    action=action, by=request.user, **form.cleaned_data
                )
            except ValidationError as error:
                return _action_refused(request, action, form, error)
            messages.success(request, _("The corrective action is changed."))
            return redirect(_back(request, action))
        return _action_form(request, action, form, status=400)
    return _action_form(request, action, CorrectiveActionEditForm(initial=_action_initial(action)))


def _action_initial(action):
    fields = ("text", "responsible", "responsible_position", "due_on", "status")
    return {name: getattr(action, name) for name in fields}


@portal_view
@require_POST
def corrective_action_delete(request, action_id):
    action = _writable_action(request, action_id)
    try:
        services.corrective_action_delete(action=action, by=request.user)
    except ValidationError as error:
        form = CorrectiveActionEditForm(initial=_action_initial(action))
        return _action_refused(request, action, form, error)
    messages.success(request, _("The corrective action is deleted."))
    return redirect(_back(request, action))


def _action_refused(request, action, form, error):
    """A refusal of the service on the form (beside its field when it names one, above the
    form when the form was not sent): 409 for a done action, 400 for the rest."""
    refusals = ()
    if form.is_bound:
        form.add_error(error.code if error.code in form.fields else None, error)
    else:
        refusals = error.messages
    status = 409 if error.code == "done" else 400
    return _action_form(request, action, form, status=status, refusals=refusals)


def _action_form(request, action, form, status=200, refusals=()):
    context = {"action": action, "form": form, "back": _back(request, action), "refusals": refusals}
    return render(request, "dashboards/action_form.html", context, status=status)


def _back(request, action):
    """Where the user came from (a dashboard), if it is the portal's; else the report."""
    back = request.POST.get("next", "")
    if back and url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return back
    url = reverse("dashboards:annual_report", args=[action.reason.year])
    return f"{url}#indicator-{action.reason.indicator_id}"


@portal_view
@require_GET
def measure_list(request):
    form = MeasureFilterForm(request.GET)
    if not form.is_valid():
        return render(request, "dashboards/measure_list.html", {"form": form}, status=400)
    measures = selectors.measure_list(**form.cleaned_data)
    page = Paginator(measures, MEASURES_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "dashboards/measure_list.html", {"form": form, "page": page})


def _overdue_for(user, today):
    """What is overdue in the user's department (every department for an administrator);
    nothing for a viewer. Computed only if the page shows it."""
    if is_administrator(user):
        return SimpleLazyObject(lambda: overdue_summary(today=today))
    if (is_editor(user) or is_head(user)) and user.department_id is not None:
        return SimpleLazyObject(
            lambda: overdue_summary(today=today, department_id=user.department_id)
        )
    return None


@portal_view
@require_GET
def my_work(request):
    """Editors: measures still without a report for last year and their department's
    unfinished reports and indicator values; heads: what waits for their approval, oldest
    first."""
    today = timezone.localdate()
    year = activity_selectors.default_reporting_year_cached(today)
    return render(
        request,
        "dashboards/my_work.html",
        {
            "year": year,
            "edits": is_editor(request.user) or is_administrator(request.user),
            "approves": is_head(request.user) or is_administrator(request.user),
            "measures_due": activity_selectors.measures_due(request.user, year),
            # Asked (one EXISTS) only when nothing is due, to tell "all reported" from "none runs".
            "measures_running": activity_selectors.measures_running(request.user, year),
            "reports_in_progress": activity_selectors.reports_in_progress(request.user),
            "reports_awaiting": activity_selectors.reports_awaiting_approval(request.user),
            "values_in_progress": indicator_selectors.values_in_progress(request.user),
            "values_awaiting": indicator_selectors.values_awaiting_approval(request.user),
            "overdue": _overdue_for(request.user, today),
        },
    )
