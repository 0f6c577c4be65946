from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.decorators import portal_view, posted
from accounts.roles import require_perm
from activities.selectors import default_reporting_year_cached
from core import cache as data_cache
from core.cache import query_key
from core.transitions import transition_response
from core.workflow import (
    WorkflowError,
    ensure_editable,
    workflow_approve,
    workflow_return,
    workflow_submit,
)

from . import selectors, services
from .filters import IndicatorFilter
from .forms import IndicatorValueForm, TargetsForm

EDIT = "indicators.edit_indicator_data"
APPROVE = "indicators.approve_indicator_values"


PAGE_SIZE = 50


def _indicator_rows(filterset, year, page_number):
    wanted_status = filterset.form.cleaned_data.get("status")
    if wanted_status:
        # The status is computed, so every filtered indicator is assessed, then the page cut.
        indicators = list(filterset.qs)
    else:
        page = Paginator(filterset.qs, PAGE_SIZE).get_page(page_number)
        indicators = list(page.object_list)
    progress = selectors.indicator_progress(indicators, [year])
    rows = [
        (indicator, item.years[0])
        for indicator, item in zip(indicators, progress.indicators, strict=True)
        if not wanted_status or item.years[0].status == wanted_status
    ]
    if wanted_status:
        page = Paginator(rows, PAGE_SIZE).get_page(page_number)
        rows = list(page.object_list)
    return rows, page


def _indicator_list_body(request, filterset, year):
    rows, page = _indicator_rows(filterset, year, request.GET.get("page"))
    context = {"filter": filterset, "rows": rows, "page": page}
    # The request is for the pages' query strings only ({% querystring %}).
    return render_to_string(
        "indicators/partials/indicator_list_body.html", context, request=request
    )


@portal_view
@require_GET
def indicator_list(request):
    # The year field shows THE default reporting year (activities.selectors) when none is asked.
    query = request.GET.copy()
    if not query.get("year"):
        query["year"] = str(default_reporting_year_cached(timezone.localdate()))
    filterset = IndicatorFilter(query, queryset=selectors.indicator_queryset())
    if not filterset.is_valid():
        context = {"filter": filterset, "rows": [], "page": None}
        body = render_to_string(
            "indicators/partials/indicator_list_body.html", context, request=request
        )
        return render(
            request, "indicators/indicator_list.html", {"body": body, "year": None}, status=400
        )
    year = filterset.form.cleaned_data["year"]
    # The filters, the table and the pages hold nothing of the user's (a GET form; values
    # are approved ones), so their HTML is kept under the data version: a hit neither
    # assesses the indicators nor renders them (bench/README.md).
    body = data_cache.cached(
        "indicator-list-html",
        (year, timezone.localdate(), query_key(request)),
        lambda: _indicator_list_body(request, filterset, year),
    )
    return render(request, "indicators/indicator_list.html", {"body": body, "year": year})


@portal_view
@require_GET
def indicator_detail(request, indicator_id):
    indicator = selectors.indicator_get(indicator_id)
    years = selectors.indicator_years(indicator)
    progress = selectors.indicator_progress([indicator], years).indicators[0]
    context = {
        "indicator": indicator,
        "progress": progress,
        "values": selectors.indicator_values(indicator, request.user),
        "chart_data": selectors.chart_data(indicator, progress.years),
        "can_edit": request.user.has_perm(EDIT, indicator),
        "can_approve": request.user.has_perm(APPROVE, indicator),
        "forecast_year": timezone.localdate().year,
    }
    context["forecast"] = selectors.year_end_forecasts([indicator], context["forecast_year"]).get(
        indicator.pk
    )
    return render(request, "indicators/indicator_detail.html", context)


@portal_view
@require_GET
def computed_records(request, indicator_id, year):
    indicator = selectors.indicator_get(indicator_id)
    if not indicator.is_computed:
        raise Http404
    columns, rows = selectors.computed_records(indicator, year)
    context = {"indicator": indicator, "year": year, "columns": columns, "rows": rows}
    return render(request, "indicators/computed_records.html", context)


def _form_page(request, template, indicator, form, save, success_message, **extra):
    """GET shows the form; POST parses it and calls save(cleaned_data). Bad input (a closed
    reporting year included) re-renders the form with 400 and the service's message; a value
    made read-only by its state gives 409."""
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                save(form.cleaned_data)
            except WorkflowError as error:
                if error.code == "not_editable":
                    return _conflict(request, indicator, error.messages)
                form.add_error(None, error)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, success_message)
                return redirect(indicator)
    context = {"indicator": indicator, "form": form, **extra}
    return render(request, template, context, status=status)


@portal_view
@require_http_methods(["GET", "POST"])
def targets_edit(request, indicator_id):
    indicator = selectors.indicator_get(indicator_id)
    require_perm(request.user, EDIT, indicator)
    acts = selectors.plan_acts(indicator)
    act = selectors.chosen_act(acts, request.GET.get("act"))
    targets = {target.year: target.value for target in indicator.targets.filter(act=act)}
    years = selectors.indicator_years(indicator)
    form = TargetsForm(
        posted(request)[0], years=years, targets=targets, milestone=indicator.is_milestone
    )

    def save(data):
        services.targets_set(
            indicator=indicator, targets=form.cleaned_targets(), by=request.user, act=act
        )

    return _form_page(
        request,
        "indicators/targets_form.html",
        indicator,
        form,
        save,
        _("The target values are saved."),
        acts=acts,
        act=act,
    )


@portal_view
@require_http_methods(["GET", "POST"])
def value_create(request, indicator_id):
    indicator = selectors.indicator_get(indicator_id)
    require_perm(request.user, EDIT, indicator)
    form = IndicatorValueForm(*posted(request), indicator=indicator)

    def save(data):
        services.value_create(indicator=indicator, by=request.user, **data)

    return _form_page(
        request,
        "indicators/value_form.html",
        indicator,
        form,
        save,
        _("The value is saved as a draft."),
    )


@portal_view
@require_http_methods(["GET", "POST"])
def value_edit(request, value_id):
    item = selectors.value_get(value_id)
    indicator = item.indicator
    require_perm(request.user, EDIT, indicator)
    try:
        ensure_editable(item)
    except WorkflowError as error:
        return _conflict(request, indicator, error.messages)
    form = IndicatorValueForm(*posted(request), instance=item, indicator=indicator)

    def save(data):
        data = dict(data)
        if "evidence_file" not in request.FILES:
            # False: the "clear" box was ticked; otherwise keep the file that is there.
            data["evidence_file"] = False if data["evidence_file"] is False else None
        services.value_update(item=item, by=request.user, **data)

    return _form_page(
        request, "indicators/value_form.html", indicator, form, save, _("The value is saved.")
    )


def _conflict(request, indicator, errors, status=409):
    context = {"indicator": indicator, "errors": errors}
    return render(request, "indicators/workflow_error.html", context, status=status)


def _transition(request, value_id, transition, success_message, **arguments):
    """A value's transition: htmx gets its re-rendered row, a plain form post the indicator's
    page, or a page saying why not (core.transitions)."""
    item = selectors.value_get(value_id)
    in_my_work = request.POST.get("context") == "my_work"

    def row(errors, status):
        context = {"value": item, "row_errors": errors, "show_indicator": in_my_work}
        return render(request, "indicators/partials/value_row.html", context, status=status)

    return transition_response(
        request,
        item,
        transition,
        success_message=success_message,
        row=row,
        refused=lambda error, status: _conflict(request, item.indicator, error.messages, status),
        done=lambda: item.indicator.get_absolute_url(),
        **arguments,
    )


@portal_view
@require_POST
def value_submit(request, value_id):
    return _transition(
        request, value_id, workflow_submit, _("The value is submitted for approval.")
    )


@portal_view
@require_POST
def value_approve(request, value_id):
    return _transition(request, value_id, workflow_approve, _("The value is approved."))


@portal_view
@require_POST
def value_return(request, value_id):
    return _transition(
        request,
        value_id,
        workflow_return,
        _("The value is returned for revision."),
        comment=request.POST.get("comment", ""),
    )
