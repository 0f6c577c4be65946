"""Who may do what with indicators; every check is made against the indicator (its department).

Reading is the portal's own permission (``accounts.view_portal``: is_staff_member), checked by
``portal_view``.
"""

import rules

from accounts.roles import can_approve_department_data, can_edit_department_data

# Setting targets and entering, correcting and submitting values.
rules.add_perm("indicators.edit_indicator_data", can_edit_department_data)
rules.add_perm("indicators.approve_indicator_values", can_approve_department_data)
