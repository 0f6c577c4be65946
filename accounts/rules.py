import rules

from .models import Role
from .roles import has_role, is_administrator, is_staff_member

rules.add_perm("accounts.view_portal", is_staff_member)
rules.add_perm("accounts.administer", is_administrator)


@rules.predicate
def is_api_client(user):
    return has_role(user, Role.API_CLIENT)


rules.add_perm("accounts.use_api", is_staff_member | is_api_client)
