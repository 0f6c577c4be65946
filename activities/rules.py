"""Object permissions of the plan's data, built from the role predicates in accounts.roles.

Measures carry their department; a progress report belongs to its measure's department, so
report rules test the measure (load reports with ``select_related("measure")``).
Whether an item's state or reporting year allows a change is the workflow's business
(khv_strategy.workflow), not a permission.
"""

import rules

from accounts.roles import (
    can_approve_department_data,
    can_edit_department_data,
    is_administrator,
    is_staff_member,
)
from khv_strategy.workflow import WorkflowState


@rules.predicate
def can_edit_report(user, report):
    return report is not None and can_edit_department_data.test(user, report.measure)


@rules.predicate
def can_approve_report(user, report):
    return report is not None and can_approve_department_data.test(user, report.measure)


@rules.predicate
def is_approved(user, report):
    return report is not None and report.state == WorkflowState.APPROVED


rules.add_perm("activities.change_measure", can_edit_department_data)
# Moving a measure to another department is an administrator's decision.
rules.add_perm("activities.change_measure_department", is_administrator)
rules.add_perm("activities.view_measure_history", is_staff_member)
# Checked against the measure the report is for.
rules.add_perm("activities.add_progressreport", can_edit_department_data)
# Approved reports are for every reader; pending ones only for the department and admins.
rules.add_perm("activities.view_progressreport", is_staff_member & (is_approved | can_edit_report))
rules.add_perm("activities.change_progressreport", can_edit_report)
rules.add_perm("activities.submit_progressreport", can_edit_report)
rules.add_perm("activities.approve_progressreport", can_approve_report)
rules.add_perm("activities.lock_reportingyear", is_administrator)
