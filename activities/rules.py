"""Object permissions of the plan's data, built from the role predicates in accounts.roles.

Measures carry their department; a progress report belongs to its measure's department, so
report rules test the measure (load reports with ``select_related("measure")``).
Whether an item's state or reporting year allows a change is the workflow's business
(core.workflow), not a permission.
"""

import rules

from accounts.roles import (
    can_approve_department_data,
    can_edit_department_data,
    entered_it,
    is_administrator,
    is_staff_member,
    sees_item,
)


@rules.predicate
def can_edit_report(user, report):
    return report is not None and can_edit_department_data.test(user, report.measure)


@rules.predicate
def can_approve_report(user, report):
    return report is not None and can_approve_department_data.test(user, report.measure)


@rules.predicate
def can_see_report(user, report):
    """The object form of ProgressReport.objects.visible_to(user)."""
    return report is not None and sees_item(
        user, state=report.state, department_id=report.measure.department_id
    )


rules.add_perm("activities.change_measure", can_edit_department_data)
# Moving a measure to another department is an administrator's decision.
rules.add_perm("activities.change_measure_department", is_administrator)
rules.add_perm("activities.view_measure_history", is_staff_member)
# Checked against the measure the report is for.
rules.add_perm("activities.add_progressreport", can_edit_department_data)
# Approved reports are for every reader; pending ones only for the department and admins.
rules.add_perm("activities.view_progressreport", can_see_report)
rules.add_perm("activities.change_progressreport", can_edit_report)
rules.add_perm("activities.submit_progressreport", can_edit_report)
rules.add_perm("activities.approve_progressreport", can_approve_report)
# Who is offered "approve" and "return": an approver who did not enter it (four eyes, which
# the workflow enforces with its own refusal).
rules.add_perm("activities.review_progressreport", can_approve_report & ~entered_it)
rules.add_perm("activities.lock_reportingyear", is_administrator)
rules.add_perm("activities.view_legalact", rules.always_allow)
