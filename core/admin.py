"""Admin pieces shared by the apps."""

from django import forms
from django.contrib.admin.options import ActionLocation
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from simple_history.admin import SimpleHistoryAdmin

from .workflow import WorkflowError, ensure_year_open, is_year_locked

WORKFLOW_FIELDS = ("state", "author", "submitted_at", "reviewer", "reviewed_at", "review_comment")


def _stored(obj):
    """The stored row of ``obj``: simple-history's revert form passes an old version of it."""
    if obj is None or obj.pk is None:
        return obj
    return type(obj)._base_manager.filter(pk=obj.pk).first()


class YearOpenForm(forms.ModelForm):
    """A row dated in a reporting year (its ``year`` field): nothing is added, changed or
    deleted in a year an administrator has closed, as on the portal's pages."""

    def clean(self):
        cleaned = super().clean()
        if self.has_changed():
            # The year it had and the year it gets: both must be open.
            years = {self.instance.year if self.instance.pk else None, cleaned.get("year")}
            try:
                for year in sorted(y for y in years if y is not None):
                    ensure_year_open(year)
            except WorkflowError as error:
                raise forms.ValidationError(error.messages, code=error.code) from error
        return cleaned


class YearLockedAdmin(SimpleHistoryAdmin):
    """Rows of a closed reporting year are shown read-only and cannot be deleted or reverted."""

    form = YearOpenForm

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self.correctable(obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self.correctable(obj)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        # simple-history saves a revert when the user may merely *view* the history: the
        # stored row must be changeable here, as for the change form.
        if request.method == "POST":
            stored = self.get_object(request, unquote(object_id))
            if stored is None or not self.has_change_permission(request, stored):
                raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)

    def get_actions(self, request, action_location=ActionLocation.CHANGE_LIST):
        # "Delete selected" would skip the per-item check above.
        actions = super().get_actions(request, action_location=action_location)
        actions.pop("delete_selected", None)
        return actions

    @classmethod
    def correctable(cls, obj):
        """May the row be changed here? Decided on the stored row, not on an old version."""
        if obj is None:
            return True
        stored = _stored(obj)
        return stored is not None and cls.correctable_row(stored)

    @staticmethod
    def correctable_row(row):
        return not is_year_locked(row.year)


class WorkflowItemAdmin(YearLockedAdmin):
    """An item that goes through approval (a progress report, an indicator value).

    An administrator corrects drafts and returned items here. What is submitted or approved,
    or dated in a closed reporting year, is shown read-only and cannot be deleted or reverted
    to an earlier version: a change to approved data goes through the workflow (the head
    returns it, the department corrects and submits it again), as on the portal's pages, so
    an approval keeps its meaning. The workflow's own fields are never edited by hand.
    """

    def get_readonly_fields(self, request, obj=None):
        fields = tuple(super().get_readonly_fields(request, obj))
        return fields + tuple(name for name in WORKFLOW_FIELDS if name not in fields)

    def save_model(self, request, obj, form, change):
        # The workflow's fields are the stored row's, never a form's or an old version's
        # (simple-history's revert hands over the historical record's state and reviewer).
        stored = _stored(obj) if change else None
        if stored is not None:
            for name in WORKFLOW_FIELDS:
                attname = obj._meta.get_field(name).attname
                setattr(obj, attname, getattr(stored, attname))
        super().save_model(request, obj, form, change)

    @staticmethod
    def correctable_row(row):
        return row.is_editable and not is_year_locked(row.workflow_year)
