"""Admin pieces shared by the apps."""

from django.contrib.admin.options import ActionLocation
from simple_history.admin import SimpleHistoryAdmin

from .workflow import is_year_locked

WORKFLOW_FIELDS = ("state", "author", "submitted_at", "reviewer", "reviewed_at", "review_comment")


class WorkflowItemAdmin(SimpleHistoryAdmin):
    """An item that goes through approval (a progress report, an indicator value).

    An administrator corrects drafts and returned items here. What is submitted or approved,
    or dated in a closed reporting year, is shown read-only and cannot be deleted: a change
    to approved data goes through the workflow (the head returns it, the department corrects
    and submits it again), as on the portal's pages, so an approval keeps its meaning. The
    workflow's own fields are never edited by hand.
    """

    def get_readonly_fields(self, request, obj=None):
        fields = tuple(super().get_readonly_fields(request, obj))
        return fields + tuple(name for name in WORKFLOW_FIELDS if name not in fields)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self.correctable(obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self.correctable(obj)

    def get_actions(self, request, action_location=ActionLocation.CHANGE_LIST):
        # "Delete selected" would skip the per-item check above.
        actions = super().get_actions(request, action_location=action_location)
        actions.pop("delete_selected", None)
        return actions

    @staticmethod
    def correctable(obj):
        return obj is None or (obj.is_editable and not is_year_locked(obj.workflow_year))
