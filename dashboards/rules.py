"""Who may write the annual report's notes; checked against the indicator (its department).

Reading the dashboards and the report is the portal's own permission (``accounts.view_portal``),
checked by ``portal_view``.
"""

import rules

from accounts.roles import can_approve_department_data, is_administrator, is_head

# The head of the indicator's department, or an administrator, explains a deviation.
rules.add_perm("dashboards.write_reason_for_deviation", can_approve_department_data)

# A year's annual report leaves the portal (public portal, open data) when a head or an
# administrator publishes it; the same people withdraw it.
rules.add_perm("dashboards.publish_report", is_administrator | is_head)
