"""Who may do what with indicators; every check is made against the indicator (its department).

A value belongs to its indicator's department, so value rules test the indicator (load values
with ``select_related("indicator")``). Reading is the portal's own permission
(``accounts.view_portal``: is_staff_member), checked by ``portal_view``. Whether a value's state
or reporting year allows a change is the workflow's business (core.workflow).
"""

import rules

from accounts.roles import (
    can_approve_department_data,
    can_edit_department_data,
    entered_it,
    sees_item,
)


@rules.predicate
def can_edit_value(user, value):
    return value is not None and can_edit_department_data.test(user, value.indicator)


@rules.predicate
def can_approve_value(user, value):
    return value is not None and can_approve_department_data.test(user, value.indicator)


# Setting targets and entering and correcting values; checked against the indicator.
rules.add_perm("indicators.edit_indicator_data", can_edit_department_data)
rules.add_perm("indicators.approve_indicator_values", can_approve_department_data)
# The workflow's transitions (core.workflow), checked against the value.
rules.add_perm("indicators.submit_indicatorvalue", can_edit_value)
rules.add_perm("indicators.approve_indicatorvalue", can_approve_value)
# Who is offered "approve" and "return": an approver who did not enter it (four eyes, which
# the workflow enforces with its own refusal).
rules.add_perm("indicators.review_indicatorvalue", can_approve_value & ~entered_it)


@rules.predicate
def can_see_value(user, value):
    """The object form of IndicatorValue.objects.visible_to(user)."""
    return value is not None and sees_item(
        user, state=value.state, department_id=value.indicator.department_id
    )


# An approved value is every reader's; a pending one its department's (and administrators').
rules.add_perm("indicators.view_indicatorvalue", can_see_value)
