"""Writes to the plan structure. Each function is one transaction."""

import datetime
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
    LegalAct,
    Measure,
    MeasureWording,
    PlanRevision,
    ProgressReport,
    ReportingYear,
    Section,
    StrategicPlan,
    Task,
)
from .plan_text import ParsedSection, PlanTextError, decode_plan_text, parse_plan_text
from .revisions import match_measures


@dataclass(frozen=True)
class ActDetails:
    """The act an amended text is imported under (``import_plan --act-…``, the upload form)."""

    number: str
    date: datetime.date
    title: str
    kind: str = LegalAct.Kind.DUMA_DECISION
    issuer: str = ""


@dataclass
class ImportSummary:
    plan: StrategicPlan
    act: LegalAct | None = None
    revision: PlanRevision | None = None
    created: Counter = field(default_factory=Counter)
    updated: Counter = field(default_factory=Counter)
    deleted: Counter = field(default_factory=Counter)
    # Measures and results no longer in the text but kept because something refers to them.
    kept: list = field(default_factory=list)
    # Measures dropped by the act: kept, excluded from its date.
    excluded: list = field(default_factory=list)
    # What the revision changes, as the preview lists it (PlanRevision.changes).
    changes: list = field(default_factory=list)
    # {section number: {(group, number): revisions.Match}}, for correcting it in the preview,
    # with the measures that could be chosen ({section: [(id, code, text)]}) and the new
    # text's measures ({section: {(group, number): text}}).
    matches: dict = field(default_factory=dict)
    candidates: dict = field(default_factory=dict)
    parsed_measures: dict = field(default_factory=dict)

    @property
    def changed(self):
        return bool(self.created or self.updated or self.deleted or self.excluded)

    def describe(self):
        def counts(counter):
            return (
                ", ".join(
                    f"{model._meta.verbose_name_plural}: {count}"
                    for model, count in counter.items()
                )
                or "—"
            )

        lines = [_("Plan “%(plan)s”.") % {"plan": self.plan.title}]
        if self.act is not None:
            lines.append(_("Revision by %(act)s.") % {"act": self.act})
        lines += [
            _("Created: %(counts)s.") % {"counts": counts(self.created)},
            _("Updated: %(counts)s.") % {"counts": counts(self.updated)},
            _("Deleted: %(counts)s.") % {"counts": counts(self.deleted)},
        ]
        if self.excluded:
            lines.append(
                _("Excluded by the act (kept with their records): %(items)s.")
                % {"items": "; ".join(str(obj) for obj in self.excluded)}
            )
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

    def note(self, kind, change, section, code="", old="", new=""):
        self.changes.append(
            {
                "kind": kind,
                "change": change,
                "section": section,
                "code": code,
                "old": old,
                "new": new,
            }
        )


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
    changes here. The measure's own wordings are part of it, not references.
    """
    for relation in obj._meta.related_objects:
        if relation.related_model is MeasureWording:
            continue
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


def _act_get_or_create(details):
    act, _created = LegalAct.objects.get_or_create(
        kind=details.kind,
        number=details.number.strip(),
        date=details.date,
        defaults={"title": details.title.strip(), "issuer": details.issuer.strip()},
    )
    return act


class _Revision:
    """The PlanRevision being made, created only once something changes (so a repeated
    import writes nothing)."""

    def __init__(self, plan, act, role, by, today):
        self.plan, self.act, self.role, self.by = plan, act, role, by
        self.date = act.date if act else today
        self._row = None

    @property
    def under_act(self):
        return self.act is not None

    def row(self):
        if self._row is None:
            existing = (
                PlanRevision.objects.filter(plan=self.plan, act=self.act).first()
                if self.act
                else None
            )
            self._row = existing or PlanRevision.objects.create(
                plan=self.plan,
                act=self.act,
                role=self.role,
                effective_date=self.date,
                created_by=self.by,
            )
        return self._row


def plan_import(
    *, data, source_name="", plan_title=None, act=None, by=None, matching=None, dry_run=False
):
    """Import or update a plan from its text. Raises PlanTextError (nothing written) on bad input.

    With `act` (ActDetails) the text is a revision of the plan made by that act: measures are
    reworded in place (the same measure, its earlier wording kept from the act's date),
    added from the act's date, or excluded from it (never deleted). Without an act the text
    corrects the plan as before, and the correction is recorded. `matching`
    ({section number: {(group, number): measure id or None}}) overrides which measure of the
    text is which (the preview's corrections). `dry_run` computes everything and writes
    nothing (the preview). Idempotent: the same text again changes nothing.
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
        legal_act = _act_get_or_create(act) if act else None
        summary = ImportSummary(plan=plan, act=legal_act)
        plan_values = {
            "legal_act": parsed.title,
            "horizon_year": parsed.horizon_year,
            "status": StrategicPlan.Status.REPEALED
            if parsed.status == "repealed"
            else StrategicPlan.Status.IN_FORCE,
            "repealed_on": parsed.repealed_on if parsed.status == "repealed" else None,
        }
        role = PlanRevision.Role.AMENDMENT if legal_act else PlanRevision.Role.CORRECTION
        if plan is None:
            plan = StrategicPlan.objects.create(
                title=title, source_text=decode_plan_text(data), **plan_values
            )
            summary.plan = plan
            summary.created[StrategicPlan] += 1
            summary.note("plan", "added", "", new=title)
            role = PlanRevision.Role.APPROVAL if legal_act else role
        elif _assign(plan, **plan_values):
            plan.source_text = decode_plan_text(data)
            plan.save()
            summary.updated[StrategicPlan] += 1
            summary.note("plan", "reworded", "", old="", new=parsed.title)
        revision = _Revision(plan, legal_act, role, by, timezone.localdate())
        new_plan = bool(summary.created[StrategicPlan])
        for parsed_section in parsed.sections:
            chosen = (matching or {}).get(parsed_section.number)
            _import_section(plan, parsed_section, summary, revision, chosen, new_plan)
        if summary.changes:
            row = revision.row()
            row.changes = row.changes + summary.changes
            row.save(update_fields=["changes"])
            summary.revision = row
        if dry_run:
            transaction.set_rollback(True)
    return summary


def _import_section(plan, parsed, summary, revision, chosen, new_plan):
    values = {
        "kind": parsed.kind,
        "title": parsed.title,
        "vision": parsed.vision,
        "position": _section_position(parsed.number),
    }
    section = Section.objects.filter(plan=plan, number=parsed.number).first()
    # A new plan or section is one change; its goals, tasks and measures are not listed.
    quiet = new_plan or section is None
    if section is None:
        section = Section.objects.create(plan=plan, number=parsed.number, **values)
        summary.created[Section] += 1
        if not new_plan:
            summary.note("section", "added", parsed.number, new=parsed.title)
    else:
        old_title, old_vision = section.title, section.vision
        if _assign(section, **values):
            section.save()
            summary.updated[Section] += 1
            if old_title != parsed.title:
                summary.note("section", "reworded", parsed.number, old=old_title, new=parsed.title)
            if old_vision != parsed.vision:
                summary.note("vision", "reworded", parsed.number, old=old_vision, new=parsed.vision)

    _sync_texts(Goal, section, "position", dict(enumerate(parsed.goals, 1)), summary, quiet)
    _sync_texts(
        Task,
        section,
        "number",
        {task.number: task.text for task in parsed.tasks},
        summary,
        quiet,
    )
    _sync_texts(
        ExpectedResult,
        section,
        "position",
        dict(enumerate(parsed.expected_results, 1)),
        summary,
        quiet,
    )
    _sync_measures(section, parsed, summary, revision, chosen, quiet)


TEXT_KINDS = {Goal: "goal", Task: "task", ExpectedResult: "result"}


def _sync_texts(model, section, key, texts, summary, quiet):
    """Match rows by their number or position; update text, create missing, drop the rest."""
    kind = TEXT_KINDS[model]
    existing = {getattr(row, key): row for row in model.objects.filter(section=section)}
    for number, text in texts.items():
        row = existing.pop(number, None)
        if row is None:
            model.objects.create(section=section, text=text, **{key: number})
            summary.created[model] += 1
            if not quiet:
                summary.note(kind, "added", section.number, str(number), new=text)
        else:
            old = row.text
            if _assign(row, text=text):
                row.save()
                summary.updated[model] += 1
                summary.note(kind, "reworded", section.number, str(number), old=old, new=text)
    for number, row in existing.items():
        if model is ExpectedResult and is_referenced(row):
            summary.kept.append(row)
            continue
        row.delete()
        summary.deleted[model] += 1
        summary.note(kind, "dropped", section.number, str(number), old=row.text)


def _sync_measures(section, parsed: ParsedSection, summary, revision, chosen, quiet):
    tasks_by_number = {task.number: task for task in section.tasks.all()}
    groups = sorted({item.group for item in parsed.measures})
    # When the plan has as many groups of measures as tasks, group k serves task k (as in 6.4.2:
    # the first group develops cooperation, the second the city's participation in projects).
    link_group_to_task = len(groups) == len(tasks_by_number)
    in_force = {m.pk: m for m in Measure.objects.filter(section=section, excluded_on__isnull=True)}
    matches = match_measures(
        [(m.pk, m.group, m.number, m.text) for m in in_force.values()],
        [(item.group, item.number, item.text) for item in parsed.measures],
        chosen,
    )
    summary.matches[section.number] = matches
    summary.candidates[section.number] = [(m.pk, m.code, m.text) for m in in_force.values()]
    summary.parsed_measures[section.number] = {
        (item.group, item.number): item.text for item in parsed.measures
    }
    matched_ids = {match.measure_id for match in matches.values() if match.measure_id}

    # Dropped first: they free their numbers for the measures that take them.
    for measure in [m for pk, m in in_force.items() if pk not in matched_ids]:
        _drop_measure(measure, section, summary, revision)
    # Renumbered measures step aside before any takes its new number (numbers may swap).
    moved = [
        (in_force[match.measure_id], key)
        for key, match in matches.items()
        if match.measure_id
        and (in_force[match.measure_id].group, in_force[match.measure_id].number) != key
    ]
    for measure, _key in moved:
        Measure.objects.filter(pk=measure.pk).update(number=measure.number + RENUMBERING_OFFSET)

    for item in parsed.measures:
        match = matches[(item.group, item.number)]
        if match.measure_id is None:
            measure = Measure.objects.create(
                section=section,
                group=item.group,
                number=item.number,
                text=item.text,
                in_force_from=revision.date if revision.under_act and not quiet else None,
            )
            MeasureWording.objects.create(measure=measure, text=item.text)
            if link_group_to_task and item.group in tasks_by_number:
                measure.tasks.add(tasks_by_number[item.group])
            summary.created[Measure] += 1
            if not quiet:
                summary.note("measure", "added", section.number, measure.code, new=item.text)
            continue
        measure = in_force[match.measure_id]
        old_code, old_text = measure.code, measure.text
        if not _assign(measure, group=item.group, number=item.number, text=item.text):
            continue
        if old_text != item.text:
            _reword(measure, old_text, item.text, revision)
        measure._change_reason = str(revision.act or _("correction without an act"))
        measure.save()
        summary.updated[Measure] += 1
        if old_code != measure.code:
            summary.note(
                "measure",
                "renumbered",
                section.number,
                measure.code,
                old=old_code,
                new=measure.code,
            )
        if old_text != item.text:
            summary.note(
                "measure", "reworded", section.number, measure.code, old=old_text, new=item.text
            )


# Added to a measure's number while the measures of a section are renumbered.
RENUMBERING_OFFSET = 10000


def _reword(measure, old_text, new_text, revision):
    """Keep the wording in force before: an act's rewording is a new wording from its date;
    a correction fixes the wording it corrects."""
    wordings = list(measure.wordings.all())
    if not wordings:
        wordings = [MeasureWording.objects.create(measure=measure, text=old_text)]
    if revision.under_act:
        MeasureWording.objects.create(
            measure=measure, text=new_text, valid_from=revision.date, revision=revision.row()
        )
    else:
        latest = wordings[-1]
        latest.text = new_text
        latest.save(update_fields=["text"])


def _drop_measure(measure, section, summary, revision):
    if revision.under_act:
        # The plan as of an earlier date still has it; its records stay with it.
        measure.excluded_on = revision.date
        measure.excluded_by = revision.row()
        measure._change_reason = str(revision.act)
        measure.save()
        summary.excluded.append(measure)
        summary.note("measure", "excluded", section.number, measure.code, old=measure.text)
        return
    if is_referenced(measure) or _measure_has_history(measure):
        summary.kept.append(measure)
        return
    measure.delete()
    summary.deleted[Measure] += 1
    summary.note("measure", "dropped", section.number, measure.code, old=measure.text)


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
