from rest_framework.permissions import SAFE_METHODS, BasePermission

WORKFLOW_ACTIONS = {"submit", "approve", "return_item"}


class ApiAccess(BasePermission):
    """Reads: any portal role or an API client. Writes: the object's rules (see each app's
    rules.py) through `write_permission` on the view, checked per object; API clients never write
    unless an administrator gives their user an editor role."""

    def has_permission(self, request, view):
        user = request.user
        if not (user and user.is_authenticated):
            return False
        if request.method in SAFE_METHODS:
            return user.has_perm("accounts.use_api")
        # Not every API view is a viewset with an action (the API root is not).
        action = getattr(view, "action", None)
        add_permission = getattr(view, "add_permission", None)
        if action == "create" and add_permission:
            return user.has_perm(add_permission)
        return user.has_perm("accounts.view_portal")

    def has_object_permission(self, request, view, obj):
        if request.method in SAFE_METHODS or getattr(view, "action", None) in WORKFLOW_ACTIONS:
            return True  # workflow transitions check their own rules, with the row locked
        change_permission = getattr(view, "change_permission", None)
        return bool(change_permission) and request.user.has_perm(change_permission, obj)
