"""Uploaded files (evidence of reports and values, agreement documents), served only to those
who may read the record the file belongs to. Nothing under MEDIA_ROOT is public."""

from django.contrib.auth.decorators import login_required
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404
from django.views.decorators.http import require_GET

# (model, file field, permission to read the record) of every upload the portal keeps; each app
# registers its own in its AppConfig.ready() (``register_upload``).
UPLOADS = []


def register_upload(model, field, permission):
    UPLOADS.append((model, field, permission))


def owner_of(name):
    """The record a stored file belongs to, and the permission that reads it."""
    for model, field, permission in UPLOADS:
        record = model.objects.filter(**{field: name}).first()
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
