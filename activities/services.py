"""Writes to the plan structure. Each function is one transaction."""

from collections import Counter
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.roles import require_perm
from core.workflow import ensure_editable, ensure_year_open

from .models import (
    ExpectedResult,
    Goal,
    Measure,
    ProgressReport,
    ReportingYear,
    Section,
    StrategicPlan,
    Task,
)
from .plan_text import ParsedSection, PlanTextError, decode_plan_text, parse_plan_text


@dataclass
class ImportSummary:
    plan: StrategicPlan
    created: Counter = field(default_factory=Counter)
    updated: Counter = field(default_factory=Counter)
    deleted: Counter = field(default_factory=Counter)
    # Measures and results no longer in the text but kept because something refers to them.
    kept: list = field(default_factory=list)

    @property
    def changed(self):
        return bool(self.created or self.updated or self.deleted)

    def describe(self):
        def counts(counter):
            return (
                ", ".join(
                    f"{model._meta.verbose_name_plural}: {count}"
                    for model, count in counter.items()
                )
                or "—"
            )

        lines = [
            _("Plan “%(plan)s”.") % {"plan": self.plan.title},
            _("Created: %(counts)s.") % {"counts": counts(self.created)},
            _("Updated: %(counts)s.") % {"counts": counts(self.updated)},
            _("Deleted: %(counts)s.") % {"counts": counts(self.deleted)},
        ]
        if self.kept:
            lines.append(
                _(
                    "Kept although no longer in the text "
                    "(they have links, reports or history): %(items)s."
                )
                % {"items": "; ".join(str(obj) for obj in self.kept)}
            )
        if not self.changed:
            lines.append(_("Nothing changed: the plan already matches the text."))
        return "\n".join(lines)


def _section_position(number):
    """6.4.2 → 6040200: sections sort by their number, across imports of several files."""
    parts = [min(int(part), 99) for part in number.split(".")[:4]]
    parts += [0] * (4 - len(parts))
    position = 0
    for part in parts:
        position = position * 100 + part
    return position


def _assign(obj, **values):
    """Set the values that differ; True when anything changed (so unchanged rows are not saved)."""
    changed = False
    for name, value in values.items():
        if getattr(obj, name) != value:
            setattr(obj, name, value)
            changed = True
    return changed


def is_referenced(obj):
    """True when another row points at obj (partner links, reports, indicators, …).

    Walks the model's reverse relations, so relations added by later apps count without
    changes here.
    """
    for relation in obj._meta.related_objects:
        accessor = relation.get_accessor_name()
        if relation.one_to_one:
            if relation.related_model.objects.filter(**{relation.field.name: obj}).exists():
                return True
            continue
        if accessor and getattr(obj, accessor).exists():
            return True
    return False


def _measure_has_history(measure):
    # The creation itself is one record; more means someone has edited the measure.
    return measure.history.count() > 1


def plan_import(*, data, source_name="", plan_title=None):
    """Import or update a plan from its text. Raises PlanTextError (nothing written) on bad input.

    Idempotent: the same text again changes nothing. An edited text updates rows in place,
    matched by section number, goal and result position, task number and measure group+number.
    """
    parsed = parse_plan_text(data, source_name=source_name)
    title = (plan_title or parsed.title).strip()
    if not title:
        raise PlanTextError(
            _("the text has no act title; give the plan's title (--plan-title)."),
            source_name=source_name,
        )
    with transaction.atomic():
        plan = StrategicPlan.objects.select_for_update().filter(title=title).first()
        summary = ImportSummary(plan=plan)
        plan_values = {
            "legal_act": parsed.title,
            "horizon_year": parsed.horizon_year,
            "status": StrategicPlan.Status.REPEALED
            if parsed.status == "repealed"
            else StrategicPlan.Status.IN_FORCE,
            "repealed_on": parsed.repealed_on if parsed.status == "repealed" else None,
        }
        if plan is None:
            plan = StrategicPlan.objects.create(
                title=title, source_text=decode_plan_text(data), **plan_values
            )
            summary.plan = plan
            summary.created[StrategicPlan] += 1
        elif _assign(plan, **plan_values):
            plan.source_text = decode_plan_text(data)
            plan.save()
            summary.updated[StrategicPlan] += 1
        for parsed_section in parsed.sections:
            _import_section(plan, parsed_section, summary)
    return summary


def _import_section(plan, parsed, summary):
    values = {
        "kind": parsed.kind,
        "title": parsed.title,
        "vision": parsed.vision,
        "position": _section_position(parsed.number),
    }
    section = Section.objects.filter(plan=plan, number=parsed.number).first()
    if section is None:
        section = Section.objects.create(plan=plan, number=parsed.number, **values)
        summary.created[Section] += 1
    elif _assign(section, **values):
        section.save()
        summary.updated[Section] += 1

    _sync_texts(Goal, section, "position", dict(enumerate(parsed.goals, 1)), summary)
    _sync_texts(Task, section, "number", {task.number: task.text for task in parsed.tasks}, summary)
    _sync_texts(
        ExpectedResult,
        section,
        "position",
        dict(enumerate(parsed.expected_results, 1)),
        summary,
    )
    _sync_measures(section, parsed, summary)


def _sync_texts(model, section, key, texts, summary):
    """Match rows by their number or position; update text, create missing, drop the rest."""
    existing = {getattr(row, key): row for row in model.objects.filter(section=section)}
    for number, text in texts.items():
        row = existing.pop(number, None)
        if row is None:
            model.objects.create(section=section, text=text, **{key: number})
            summary.created[model] += 1
        elif _assign(row, text=text):
            row.save()
            summary.updated[model] += 1
    for row in existing.values():
        if model is ExpectedResult and is_referenced(row):
            summary.kept.append(row)
            continue
        row.delete()
        summary.deleted[model] += 1


def _sync_measures(section, parsed: ParsedSection, summary):
    tasks_by_number = {task.number: task for task in section.tasks.all()}
    groups = sorted({item.group for item in parsed.measures})
    # When the plan has as many groups of measures as tasks, group k serves task k (as in 6.4.2:
    # the first group develops cooperation, the second the city's participation in projects).
    link_group_to_task = len(groups) == len(tasks_by_number)
    existing = {(m.group, m.number): m for m in Measure.objects.filter(section=section)}
    for item in parsed.measures:
        measure = existing.pop((item.group, item.number), None)
        if measure is None:
            measure = Measure.objects.create(
                section=section, group=item.group, number=item.number, text=item.text
            )
            if link_group_to_task and item.group in tasks_by_number:
                measure.tasks.add(tasks_by_number[item.group])
            summary.created[Measure] += 1
        elif _assign(measure, text=item.text):
            measure.save()
            summary.updated[Measure] += 1
    for measure in existing.values():
        if is_referenced(measure) or _measure_has_history(measure):
            summary.kept.append(measure)
            continue
        measure.delete()
        summary.deleted[Measure] += 1


# --- progress reports, measures, reporting years -------------------------------------------


def _duplicate_period_error():
    return ValidationError(
        ProgressReport._meta.constraints[0].violation_error_message, code="duplicate_period"
    )


def progress_report_create(*, measure, by, year, quarter, text, percent_done, **evidence):
    """A new draft report by an editor of the measure's department, in an open year."""
    require_perm(by, "activities.add_progressreport", measure)
    ensure_year_open(year)
    report = ProgressReport(
        measure=measure,
        year=year,
        quarter=quarter,
        text=text,
        percent_done=percent_done,
        author=by,
        **evidence,
    )
    report.full_clean()
    report._history_user = by
    try:
        with transaction.atomic():
            report.save()
    except IntegrityError as error:
        # Another editor saved the same period a moment earlier.
        raise _duplicate_period_error() from error
    return report


# The fields an editor fills in, in form order; the services refuse any other keyword.
REPORT_FIELDS = ("year", "quarter", "percent_done", "text", "evidence_file", "evidence_url")


def progress_report_update(*, report, by, **values):
    """Change a draft or returned report; its old and new years must both be open."""
    unknown = set(values) - set(REPORT_FIELDS)
    if unknown:
        raise TypeError(f"not report fields: {sorted(unknown)}")
    try:
        with transaction.atomic():
            locked = (
                ProgressReport.objects.select_for_update(of=("self",))
                .select_related("measure")
                .get(pk=report.pk)
            )
            require_perm(by, "activities.change_progressreport", locked)
            ensure_editable(locked)
            ensure_year_open(locked.year)
            ensure_year_open(values.get("year", locked.year))
            for name, value in values.items():
                setattr(locked, name, value)
            locked.full_clean()
            locked._history_user = by
            locked.save()
    except IntegrityError as error:
        raise _duplicate_period_error() from error
    return locked


MEASURE_FIELDS = (
    "status",
    "department",
    "period_start",
    "period_end",
    "deadline",
    "planned_funding",
    "actual_funding",
)


def measure_update(*, measure, by, **values):
    """What the responsible department keeps up to date; only administrators move a measure
    to another department."""
    unknown = set(values) - set(MEASURE_FIELDS)
    if unknown:
        raise TypeError(f"not editable measure fields: {sorted(unknown)}")
    with transaction.atomic():
        locked = Measure.objects.select_for_update().get(pk=measure.pk)
        require_perm(by, "activities.change_measure", locked)
        if "department" in values and values["department"] != locked.department:
            require_perm(by, "activities.change_measure_department", locked)
        for name, value in values.items():
            setattr(locked, name, value)
        locked.full_clean(exclude=["section", "group", "number", "text", "tasks"])
        locked._history_user = by
        locked.save()
    return locked


def reporting_year_set_locked(*, year, locked, by):
    """Close (locked=True) or reopen a reporting year; administrators only."""
    require_perm(by, "activities.lock_reportingyear", None)
    with transaction.atomic():
        reporting_year = ReportingYear.objects.select_for_update().filter(
            year=year
        ).first() or ReportingYear(year=year)
        reporting_year.locked = locked
        reporting_year.locked_by = by if locked else None
        reporting_year.locked_at = timezone.now() if locked else None
        reporting_year._history_user = by
        reporting_year.save()
    return reporting_year
