import rules

from .roles import is_administrator, is_staff_member

rules.add_perm("accounts.view_portal", is_staff_member)
rules.add_perm("accounts.administer", is_administrator)
