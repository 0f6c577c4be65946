import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.decorators import portal_view, posted
from accounts.roles import require_perm, sees_pending
from core.transitions import safe_next, transition_response
from core.workflow import (
    WorkflowError,
    WorkflowState,
    ensure_editable,
    workflow_approve,
    workflow_return,
    workflow_submit,
)

from . import selectors, services
from .forms import MeasureForm, PlanImportForm, ProgressReportForm, ReportingYearForm
from .plan_text import PlanTextError


@portal_view
@require_GET
def plan_list(request):
    return render(request, "activities/plan_list.html", {"plans": selectors.plan_list()})


class BadDate(Exception):
    pass


def _as_of(request):
    """The date the plan is read on: ``?on=YYYY-MM-DD``, today by default."""
    text = request.GET.get("on", "").strip()
    if not text:
        return timezone.localdate(), False
    try:
        return datetime.date.fromisoformat(text), True
    except ValueError as error:
        raise BadDate from error


def _bad_date(request):
    message = _("The date is given as YYYY-MM-DD, e.g. 2016-03-01.")
    return render(request, "activities/refused.html", {"messages_list": [message]}, status=400)


@portal_view
@require_GET
def plan_detail(request, plan_id):
    try:
        day, chosen = _as_of(request)
    except BadDate:
        return _bad_date(request)
    plan = selectors.plan_get(plan_id, day)
    context = {"plan": plan, "on": day, "on_chosen": chosen, "tab": "sections"}
    return render(request, "activities/plan_detail.html", context)


@portal_view
@require_GET
def plan_revisions(request, plan_id):
    plan = selectors.plan_get(plan_id)
    context = {"plan": plan, "revisions": selectors.plan_revisions(plan), "tab": "revisions"}
    return render(request, "activities/plan_revisions.html", context)


@portal_view
@require_GET
def section_detail(request, section_id):
    try:
        day, chosen = _as_of(request)
    except BadDate:
        return _bad_date(request)
    section = selectors.section_get(section_id)
    context = {
        "section": section,
        "plan": section.plan,
        "measure_groups": selectors.measure_groups(section, day),
        "excluded": selectors.excluded_measures(section, day),
        "on": day,
        "on_chosen": chosen,
    }
    return render(request, "activities/section_detail.html", context)


@login_required
@permission_required("accounts.administer", raise_exception=True)
@require_http_methods(["GET", "POST"])
def plan_import(request):
    """Administrators upload a plan text, see what it changes, then apply it; the same
    service as `manage.py import_plan`."""
    if request.method != "POST":
        return render(request, "activities/plan_import.html", {"form": PlanImportForm()})
    form = PlanImportForm(request.POST, request.FILES)
    if not form.is_valid():
        return render(request, "activities/plan_import.html", {"form": form}, status=400)
    try:
        arguments = form.import_arguments()
        matching = form.matching(request.POST)
        summary = services.plan_import(
            **arguments, matching=matching, by=request.user, dry_run="apply" not in request.POST
        )
    except PlanTextError as error:
        form.add_error("file" if form.cleaned_data.get("file") else None, str(error))
        return render(request, "activities/plan_import.html", {"form": form}, status=400)
    if "apply" in request.POST:
        messages.success(request, summary.describe())
        return redirect("activities:plan_revisions", summary.plan.pk)
    context = {
        "form": form,
        "summary": summary,
        "text": arguments["data"],
        "items": [selectors.revision_item(change) for change in summary.changes],
        "matching": selectors.preview_matching(summary),
    }
    return render(request, "activities/plan_import_preview.html", context)


# --- measures, progress reports and their workflow -----------------------------------------


def _refuse(request, error, *, status=409):
    """A workflow or validation refusal as a page (or, for htmx, as the message alone)."""
    return render(
        request,
        "activities/refused.html",
        {"messages_list": error.messages},
        status=status,
    )


@portal_view
@require_GET
def measure_detail(request, measure_id):
    try:
        day, chosen = _as_of(request)
    except BadDate:
        return _bad_date(request)
    measure = selectors.measure_get(measure_id)
    reports = selectors.measure_reports(measure, request.user)
    wordings = selectors.measure_wordings(measure)
    text_on = selectors.measure_text_on([measure.pk], day).get(measure.pk, measure.text)
    return render(
        request,
        "activities/measure_detail.html",
        {
            "measure": measure,
            "plan": measure.section.plan,
            "reports": reports,
            "progress": selectors.measure_progress(reports),
            "text_on": text_on,
            "in_force_on": measure.in_force(day),
            "wordings": wordings if len(wordings) > 1 else [],
            "on": day,
            "on_chosen": chosen,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def measure_edit(request, measure_id):
    measure = selectors.measure_get(measure_id)
    require_perm(request.user, "activities.change_measure", measure)
    form = MeasureForm(
        posted(request)[0],
        instance=measure,
        can_change_department=request.user.has_perm(
            "activities.change_measure_department", measure
        ),
    )
    if request.method == "POST":
        if form.is_valid():
            services.measure_update(measure=measure, by=request.user, **form.cleaned_data)
            messages.success(request, _("The measure has been saved."))
            return redirect(measure)
        return render(
            request, "activities/measure_form.html", {"form": form, "measure": measure}, status=400
        )
    return render(request, "activities/measure_form.html", {"form": form, "measure": measure})


@portal_view
@require_GET
def measure_history(request, measure_id):
    measure = selectors.measure_get(measure_id)
    return render(
        request,
        "activities/history.html",
        {
            "measure": measure,
            "subject": measure,
            "entries": selectors.history_entries(measure.history.all()),
        },
    )


def _save_report(request, form, save):
    """Save the report (``save()`` returns it) and, when the editor asked "save and submit",
    submit it in the same transaction: a refused submission saves nothing. True when done;
    otherwise the refusal is on the form."""
    submit = "submit" in request.POST
    try:
        with transaction.atomic():
            report = save()
            if submit:
                workflow_submit(item=report, by=request.user)
    except ValidationError as error:
        form.add_error(None, error)
        return False
    if submit:
        messages.success(request, _("The report has been saved and submitted for approval."))
    return True


def _report_form_page(request, context, *, status=200):
    # Where the editor came from ("my work"), kept through the form's posts.
    target = request.POST.get("next") or request.GET.get("next", "")
    on_this_site = url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()})
    context["next"] = target if on_this_site else ""
    return render(request, "activities/report_form.html", context, status=status)


def _back(request, measure):
    """After saving: the page the editor came from, if it is on this site, else the measure."""
    return redirect(safe_next(request) or measure.get_absolute_url())


@login_required
@require_http_methods(["GET", "POST"])
def report_create(request, measure_id):
    measure = selectors.measure_get(measure_id)
    require_perm(request.user, "activities.add_progressreport", measure)
    form = ProgressReportForm(
        *posted(request),
        measure=measure,
        default_year=selectors.default_reporting_year_cached(timezone.localdate()),
    )
    context = {"form": form, "measure": measure}
    if request.method == "POST":
        if form.is_valid():

            def save():
                return services.progress_report_create(
                    measure=measure, by=request.user, **form.report_values()
                )

            if _save_report(request, form, save):
                if "submit" not in request.POST:
                    messages.success(request, _("The report has been saved as a draft."))
                return _back(request, measure)
        return _report_form_page(request, context, status=400)
    return _report_form_page(request, context)


@login_required
@require_http_methods(["GET", "POST"])
def report_edit(request, report_id):
    report = selectors.report_get(report_id)
    require_perm(request.user, "activities.change_progressreport", report)
    try:
        ensure_editable(report)
    except WorkflowError as error:
        return _refuse(request, error)
    form = ProgressReportForm(*posted(request), instance=report, measure=report.measure)
    context = {"form": form, "measure": report.measure, "report": report}
    if request.method == "POST":
        if form.is_valid():

            def save():
                return services.progress_report_update(
                    report=report, by=request.user, **form.report_values()
                )

            if _save_report(request, form, save):
                if "submit" not in request.POST:
                    messages.success(request, _("The report has been saved."))
                return _back(request, report.measure)
        return _report_form_page(request, context, status=400)
    return _report_form_page(request, context)


@portal_view
@require_GET
def report_detail(request, report_id):
    report = selectors.report_get(report_id)
    require_perm(request.user, "activities.view_progressreport", report)
    # The history holds the drafts and return comments before the approval: pending work,
    # shown only to those who see the department's pending items.
    show_history = sees_pending(request.user, report.measure.department_id)
    return render(
        request,
        "activities/report_detail.html",
        {
            "report": report,
            "measure": report.measure,
            "report_list": [report],
            "show_history": show_history,
            "entries": selectors.history_entries(report.history.all()) if show_history else [],
        },
    )


def _transition_view(request, report_id, transition, success_message, **arguments):
    """A report's transition: htmx gets its re-rendered row, a plain form post a redirect back
    to the page it came from (core.transitions)."""
    report = selectors.report_get(report_id)
    in_my_work = request.POST.get("context") == "my_work"

    def row(errors, status):
        context = {"report": report, "row_errors": errors, "show_measure": in_my_work}
        if in_my_work and not errors and report.state != WorkflowState.SUBMITTED:
            # Approved or returned: no longer waiting for this head; the row says what became
            # of it, without the buttons, until the page is next loaded.
            return render(request, "activities/partials/report_row_done.html", context)
        return render(request, "activities/partials/report_row.html", context, status=status)

    return transition_response(
        request,
        report,
        transition,
        success_message=success_message,
        row=row,
        refused=lambda error, status: _refuse(request, error, status=status),
        done=lambda: safe_next(request) or report.measure.get_absolute_url(),
        **arguments,
    )


@login_required
@require_POST
def report_submit(request, report_id):
    return _transition_view(
        request, report_id, workflow_submit, _("The report has been submitted for approval.")
    )


@login_required
@require_POST
def report_approve(request, report_id):
    return _transition_view(request, report_id, workflow_approve, _("The report is approved."))


@login_required
@require_POST
def report_return(request, report_id):
    return _transition_view(
        request,
        report_id,
        workflow_return,
        _("The report has been returned for revision."),
        comment=request.POST.get("comment", ""),
    )


@login_required
@permission_required("activities.lock_reportingyear", raise_exception=True)
@require_http_methods(["GET", "POST"])
def reporting_years(request):
    """Administrators close a reporting year for changes, or open it again."""
    form = ReportingYearForm(posted(request)[0])
    if request.method == "POST":
        if form.is_valid():
            reporting_year = services.reporting_year_set_locked(
                year=form.cleaned_data["year"],
                locked=form.cleaned_data["locked"],
                by=request.user,
            )
            if reporting_year.locked:
                message = _("Reporting year %(year)s is closed for changes.")
            else:
                message = _("Reporting year %(year)s is open again.")
            messages.success(request, message % {"year": reporting_year.year})
            return redirect("activities:reporting_years")
        status = 400
    else:
        status = 200
    return render(
        request,
        "activities/reporting_years.html",
        {"form": form, "years": selectors.reporting_years()},
        status=status,
    )
