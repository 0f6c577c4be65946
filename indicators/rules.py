"""Who may do what with indicators; every check is made against the indicator (its department)."""

import rules

from accounts.roles import can_approve_department_data, can_edit_department_data, is_staff_member

rules.add_perm("indicators.view_indicators", is_staff_member)
# Setting targets and entering, correcting and submitting values.
rules.add_perm("indicators.edit_indicator_data", can_edit_department_data)
rules.add_perm("indicators.approve_indicator_values", can_approve_department_data)
