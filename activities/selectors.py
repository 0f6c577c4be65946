"""Reads of the plan structure shared by the pages and the API."""

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, Exists, F, Max, OuterRef, Prefetch, Q
from django.db.models.fields.files import FieldFile, FileField
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from accounts.roles import (
    department_scope,
    is_administrator,
    is_editor,
    is_head,
    own_unfinished_work,
)
from core.cache import cached
from core.uploads import stored_file_name
from core.workflow import EDITABLE_STATES, WorkflowState, with_year_lock

from .models import (
    Measure,
    MeasureWording,
    PlanRevision,
    ProgressReport,
    ReportingYear,
    Section,
    StrategicPlan,
)
from .revisions import word_diff


def plan_list():
    return StrategicPlan.objects.annotate(
        section_count=Count("sections", distinct=True),
        measure_count=Count("sections__measures", distinct=True),
    ).order_by("status", "title")


def plan_get(plan_id, day=None):
    """The plan with its sections; the measures counted are those in force on `day` (today)."""
    day = day or timezone.localdate()
    in_force = (Q(measures__in_force_from__isnull=True) | Q(measures__in_force_from__lte=day)) & (
        Q(measures__excluded_on__isnull=True) | Q(measures__excluded_on__gt=day)
    )
    sections = Section.objects.annotate(
        measure_count=Count("measures", filter=in_force, distinct=True),
        task_count=Count("tasks", distinct=True),
        expected_result_count=Count("expected_results", distinct=True),
    ).order_by("position", "number")
    return get_object_or_404(
        StrategicPlan.objects.prefetch_related(Prefetch("sections", queryset=sections)),
        pk=plan_id,
    )


def section_get(section_id):
    measures = Measure.objects.select_related("department", "excluded_by__act").prefetch_related(
        "tasks"
    )
    return get_object_or_404(
        Section.objects.select_related("plan", "parent").prefetch_related(
            "goals",
            "tasks",
            "expected_results",
            Prefetch("measures", queryset=measures),
        ),
        pk=section_id,
    )


def measure_groups(section, day=None):
    """The section's measures in force on `day` (today) as [(group, [measures])], in plan
    order, each with ``text_on``: its wording on that day. One query for the wordings."""
    day = day or timezone.localdate()
    measures = [measure for measure in section.measures.all() if measure.in_force(day)]
    texts = measure_text_on([measure.pk for measure in measures], day)
    groups = {}
    for measure in measures:
        measure.text_on = texts.get(measure.pk, measure.text)
        groups.setdefault(measure.group, []).append(measure)
    return sorted(groups.items())


def excluded_measures(section, day=None):
    """The section's measures an act had excluded by `day`, with the revision that did."""
    day = day or timezone.localdate()
    return [
        measure
        for measure in section.measures.all()
        if measure.excluded_on is not None and measure.excluded_on <= day
    ]


def measure_get(measure_id):
    return get_object_or_404(
        Measure.objects.select_related(
            "section__plan", "department", "excluded_by__act"
        ).prefetch_related("tasks"),
        pk=measure_id,
    )


# --- progress reports, my work, history ----------------------------------------------------


def measure_reports(measure, user):
    """The measure's reports the user may see, latest period first. The measure is attached
    to each report without a query."""
    reports = measure.reports.visible_to(user).select_related("author", "reviewer")
    return list(with_year_lock(reports.latest_first()))


def measure_progress(reports):
    """The measure's progress is the percent of its latest *approved* report (None if none)."""
    for report in reports:
        if report.state == WorkflowState.APPROVED:
            return report
    return None


def report_get(report_id):
    return get_object_or_404(
        with_year_lock(
            ProgressReport.objects.select_related(
                "measure__section__plan", "measure__department", "author", "reviewer"
            )
        ),
        pk=report_id,
    )


def plans_last_year():
    """The last year of the plans in force: their horizon, else their measures' latest end
    year; None when neither is known."""
    plans = StrategicPlan.objects.filter(status=StrategicPlan.Status.IN_FORCE)
    last = plans.aggregate(last=Max("horizon_year"))["last"]
    if last is None:
        measures = Measure.objects.filter(section__plan__in=plans)
        last = measures.aggregate(last=Max("period_end"))["last"]
    return last


def default_reporting_year(today):
    """THE default reporting year (the home page, my work, the report form): the last ended
    calendar year, or the plans' last year when they ended earlier — a plan to 2020 is
    reported on, and looked at, for 2020, not for an empty year after it."""
    ended = today.year - 1
    last = plans_last_year()
    return min(ended, last) if last else ended


def default_reporting_year_cached(today):
    """``default_reporting_year`` through the data-version cache (a plan or measure written
    makes it stale at once)."""
    return cached("default-reporting-year", (today,), lambda: default_reporting_year(today))


def measures_running(user, year):
    """Measures of the user's department that run in ``year``: of plans in force, not
    cancelled, whose period covers the year. Their reports for the year are due."""
    if not is_editor(user) or is_administrator(user):
        return Measure.objects.none()
    return (
        Measure.objects.filter(department_scope(user, "department_id"))
        .filter(section__plan__status=StrategicPlan.Status.IN_FORCE)
        .exclude(status=Measure.Status.CANCELLED)
        .filter(Q(period_start__isnull=True) | Q(period_start__lte=year))
        .filter(Q(period_end__isnull=True) | Q(period_end__gte=year))
    )


def measures_due(user, year):
    """Running measures of the user's department (``measures_running``) still without a
    report for ``year``.

    A report of any state for any quarter of the year or for the whole year counts: drafts
    are listed apart as the editor's own unfinished work.
    """
    return (
        measures_running(user, year)
        .exclude(Exists(ProgressReport.objects.filter(measure=OuterRef("pk"), year=year)))
        .select_related("section", "department")
        .order_by("section__position", "group", "number")
    )


def reports_in_progress(user):
    """The department's drafts and returned reports: what its editors still have to finish."""
    if not is_editor(user) and not is_administrator(user):
        return ProgressReport.objects.none()
    return with_year_lock(
        ProgressReport.objects.visible_to(user)
        .filter(department_scope(user, "measure__department_id"))
        .filter(state__in=EDITABLE_STATES)
        .filter(own_unfinished_work(user))
        .select_related("measure__section", "measure__department", "author", "reviewer")
        .order_by("-updated_at", "-pk")
    )


def reports_awaiting_approval(user):
    """Submitted reports the user may approve, oldest submission first."""
    if not is_head(user) and not is_administrator(user):
        return ProgressReport.objects.none()
    return with_year_lock(
        ProgressReport.objects.visible_to(user)
        .filter(department_scope(user, "measure__department_id"))
        .filter(state=WorkflowState.SUBMITTED)
        .select_related("measure__section", "measure__department", "author", "reviewer")
        .order_by("submitted_at", "pk")
    )


@dataclass
class FieldChange:
    label: str
    old: object
    new: object


@dataclass
class HistoryEntry:
    record: object
    changes: list

    @property
    def kind(self):
        return self.record.history_type  # "+" created, "~" changed, "-" deleted


# Bookkeeping columns nobody asks about.
HISTORY_IGNORED_FIELDS = {"id", "created_at", "updated_at"}


def history_entries(history, limit=200):
    """Who changed what and when: each historical record beside the one before it.

    Records come in one query with their users, consecutive records are diffed in memory
    (``diff_against`` the previous one), and the objects that changed foreign keys point at
    come in one query per related model — a constant number whatever the history's length.
    """
    records = list(
        history.select_related("history_user").order_by("-history_date", "-history_id")[: limit + 1]
    )
    model = history.model.instance_type
    tracked = (
        [
            field
            for field in records[0].tracked_fields
            if field.editable and field.name not in HISTORY_IGNORED_FIELDS
        ]
        if records
        else []
    )
    tracked_names = {field.name for field in tracked}
    raw = []
    for index, record in enumerate(records[:limit]):
        previous = records[index + 1] if index + 1 < len(records) else None
        if previous is None or record.history_type == "+":
            pairs = [
                (field.name, None, getattr(record, field.attname))
                for field in tracked
                if getattr(record, field.attname) not in (None, "")
            ]
        else:
            delta = record.diff_against(previous, included_fields=tracked_names)
            pairs = [(change.field, change.old, change.new) for change in delta.changes]
        raw.append((record, pairs))

    related = _related_objects(model, [pair for _record, pairs in raw for pair in pairs])
    entries = []
    for record, pairs in raw:
        changes = []
        for name, old, new in pairs:
            field = model._meta.get_field(name)
            changes.append(
                FieldChange(
                    label=capfirst(field.verbose_name),
                    old=_display(field, old, related),
                    new=_display(field, new, related),
                )
            )
        entries.append(HistoryEntry(record=record, changes=changes))
    return entries


def _related_objects(model, pairs):
    wanted = defaultdict(set)
    for name, old, new in pairs:
        field = model._meta.get_field(name)
        if field.is_relation and field.many_to_one:
            wanted[field.related_model].update(v for v in (old, new) if v is not None)
    return {
        related_model: related_model._base_manager.in_bulk(ids)
        for related_model, ids in wanted.items()
    }


def _display(field, value, related):
    if value in (None, ""):
        return None
    if field.is_relation and field.many_to_one:
        return related.get(field.related_model, {}).get(value, value)
    if field.choices:
        return dict(field.flatchoices).get(value, value)
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, FieldFile) or isinstance(field, FileField):
        return stored_file_name(value)
    return value


def reporting_years():
    """Every year that has reports or a lock record, newest first, with its lock state."""
    records = {row.year: row for row in ReportingYear.objects.select_related("locked_by")}
    years = set(records) | set(
        ProgressReport.objects.order_by().values_list("year", flat=True).distinct()
    )
    return [records.get(year) or ReportingYear(year=year) for year in sorted(years, reverse=True)]


# --- the plan as of a date -----------------------------------------------------------------


def measure_text_on(measure_ids, day):
    """{measure id: its wording in force on `day`}: one query. A measure without wordings
    (none recorded yet) is left out; its own text is the wording."""
    texts = {}
    wordings = MeasureWording.objects.filter(measure_id__in=list(measure_ids)).filter(
        Q(valid_from__isnull=True) | Q(valid_from__lte=day)
    )
    # Ordered oldest first, so the latest wording valid on the day is the one kept.
    for measure_id, text in wordings.order_by(
        "measure_id", F("valid_from").asc(nulls_first=True), "pk"
    ).values_list("measure_id", "text"):
        texts[measure_id] = text
    return texts


def measure_wordings(measure):
    """The measure's wordings, oldest first, with the act of each rewording."""
    return list(
        measure.wordings.select_related("revision__act").order_by(
            F("valid_from").asc(nulls_first=True), "pk"
        )
    )


def plan_revisions(plan):
    """The plan's revisions, latest first, each with ``items``: its changes, a rewording with
    its word-level diff."""
    revisions = list(
        PlanRevision.objects.filter(plan=plan)
        .select_related("act", "created_by")
        .order_by("-effective_date", "-pk")
    )
    for revision in revisions:
        revision.items = [revision_item(change) for change in revision.changes]
    return revisions


def revision_item(change):
    """A change of a revision for the page: its labels and, for a rewording, the diff."""
    item = dict(change)
    item["kind_label"] = CHANGE_KINDS.get(change["kind"], change["kind"])
    item["change_label"] = CHANGE_LABELS.get(change["change"], change["change"])
    if change["change"] == "reworded" and change["old"] and change["new"]:
        item["diff"] = word_diff(change["old"], change["new"])
    return item


CHANGE_KINDS = {
    "plan": _("plan"),
    "section": _("section"),
    "vision": _("vision of the section"),
    "goal": _("goal"),
    "task": _("task"),
    "result": _("expected result"),
    "measure": _("measure"),
}
CHANGE_LABELS = {
    "added": _("added"),
    "reworded": _("reworded"),
    "renumbered": _("renumbered"),
    "dropped": _("deleted"),
    "excluded": _("excluded"),
}


@dataclass(frozen=True)
class MatchRow:
    """One measure of an imported text whose identity the preview lets the user correct."""

    section: str
    code: str
    text: str
    field_name: str
    chosen: int | None  # the plan's measure it is taken for; None: a new measure
    how: str
    options: list  # [(id, code, text)] of the section's measures in force


def match_field_name(section, group, number):
    return f"match:{section}:{group}:{number}"


def preview_matching(summary):
    """The measures of the text not found word for word in the plan: the preview shows
    which measure each is taken for (or that it is new), and the user may change it."""
    rows = []
    for section, matches in summary.matches.items():
        if not summary.candidates.get(section):
            continue
        for (group, number), match in sorted(matches.items()):
            if match.how == "text":
                continue
            rows.append(
                MatchRow(
                    section=section,
                    code=f"{group}.{number}",
                    text=summary.parsed_measures[section][(group, number)],
                    field_name=match_field_name(section, group, number),
                    chosen=match.measure_id,
                    how=match.how,
                    options=sorted(summary.candidates[section], key=lambda row: row[1]),
                )
            )
    return rows
