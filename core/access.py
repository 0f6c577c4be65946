"""Who a user is, as far as caching is concerned: their roles (Django groups) and the scope
that decides what they may see. accounts.roles builds the portal's permissions on these."""


def role_names(user):
    """The names of the user's roles (groups). Cached on the user object, so a page that checks
    many objects asks the database once (an API token's lookup fills it in the same query,
    accounts.tokens)."""
    if not hasattr(user, "_role_names"):
        user._role_names = frozenset(user.groups.values_list("name", flat=True))
    return user._role_names


def access_scope(user):
    """What decides what a user may see and do, for cache keys: who they are, their
    department and roles. A change of role or department makes a new scope."""
    roles = ",".join(sorted(role_names(user)))
    return f"{user.pk}:{user.department_id}:{int(user.is_superuser)}:{roles}"
