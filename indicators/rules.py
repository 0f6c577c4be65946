"""Who may do what with indicators; every check is made against the indicator (its department).

A value belongs to its indicator's department, so value rules test the indicator (load values
with ``select_related("indicator")``). Reading is the portal's own permission
(``accounts.view_portal``: is_staff_member), checked by ``portal_view``. Whether a value's state
or reporting year allows a change is the workflow's business (khv_strategy.workflow).
"""

import rules

from accounts.roles import can_approve_department_data, can_edit_department_data, is_staff_member


@rules.predicate
def can_edit_value(user, value):
    return value is not None and can_edit_department_data.test(user, value.indicator)


@rules.predicate
def can_approve_value(user, value):
    return value is not None and can_approve_department_data.test(user, value.indicator)


# Setting targets and entering and correcting values; checked against the indicator.
rules.add_perm("indicators.edit_indicator_data", can_edit_department_data)
rules.add_perm("indicators.approve_indicator_values", can_approve_department_data)
# The workflow's transitions (khv_strategy.workflow), checked against the value.
rules.add_perm("indicators.submit_indicatorvalue", can_edit_value)
rules.add_perm("indicators.approve_indicatorvalue", can_approve_value)


@rules.predicate
def value_is_approved(user, value):
    return value is not None and value.is_approved


# An approved value is every reader's; a pending one its department's (and administrators').
rules.add_perm(
    "indicators.view_indicatorvalue", is_staff_member & (value_is_approved | can_edit_value)
)
