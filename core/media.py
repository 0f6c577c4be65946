"""Uploaded files (evidence of reports and values, agreement documents), served only to those
who may read the record the file belongs to. Nothing under MEDIA_ROOT is public."""

from django.apps import apps
from django.contrib.auth.decorators import login_required
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404
from django.views.decorators.http import require_GET

# (model, file field, permission to read the record) for every upload the portal keeps.
UPLOADS = [
    ("activities.ProgressReport", "evidence_file", "activities.view_progressreport"),
    ("indicators.IndicatorValue", "evidence_file", "indicators.view_indicatorvalue"),
    ("partners.Agreement", "document", "partners.view_agreement"),
]


def owner_of(name):
    """The record a stored file belongs to, and the permission that reads it."""
    for label, field, permission in UPLOADS:
        record = apps.get_model(label).objects.filter(**{field: name}).first()
        if record is not None:
            return record, permission
    return None, None


@login_required
@require_GET
def media(request, name):
    record, permission = owner_of(name)
    # Unknown, or not the caller's to read: the same answer, so names do not leak.
    if record is None or not request.user.has_perm(permission, record):
        raise Http404
    if not default_storage.exists(name):
        raise Http404
    return FileResponse(default_storage.open(name), as_attachment=True)
