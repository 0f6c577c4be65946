"""The pages' side of a workflow transition (submit, approve, return), for every kind of item.

The transition itself (who may, in which state, in an open year) is the workflow engine's
(core.workflow); this runs it and answers: an htmx request gets the item's row
re-rendered (with the refusal in it), a plain form post a redirect, or a page saying why not.
"""

from django.contrib import messages
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme

from .workflow import WorkflowError, refusal_status


def transition_response(
    request, item, transition, *, success_message, row, refused, done, **arguments
):
    """Run ``transition`` on ``item`` by the request's user.

    ``row(errors, status)``: the item's re-rendered row (htmx); ``refused(error, status)``: the
    page for a refused plain post; ``done()``: where a successful plain post goes.
    """
    try:
        transition(item=item, by=request.user, **arguments)
    except WorkflowError as error:
        status = refusal_status(error)
        if request.htmx:
            return row(error.messages, status)
        return refused(error, status)
    if request.htmx:
        return row([], 200)
    messages.success(request, success_message)
    return redirect(done())


def safe_next(request):
    """The page a form post asks to go back to (``next``), if it is on this site."""
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return None
