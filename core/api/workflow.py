"""Workflow actions (submit / approve / return) for the API viewsets of approvable items."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from core.workflow import (
    WorkflowError,
    ensure_permitted,
    refusal_status,
    workflow_approve,
    workflow_return,
    workflow_submit,
)

from .errors import Conflict, Forbidden
from .viewsets import as_api_validation_error


class ReturnSerializer(serializers.Serializer):
    comment = serializers.CharField(
        help_text=_("What has to be fixed; required."), allow_blank=False, trim_whitespace=True
    )


class WorkflowActionsMixin:
    """POST …/{id}/submit/, …/{id}/approve/, …/{id}/return/ {"comment": "…"}.

    The transition functions check who may act (the app's rules) and lock the row; a state
    that forbids the action (already approved, returned, year closed) answers 409.
    """

    @extend_schema(request=None, summary="Submit for approval (draft or returned → submitted)")
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        return self._transition(workflow_submit)

    @extend_schema(request=None, summary="Approve (submitted → approved)")
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        return self._transition(workflow_approve)

    @extend_schema(request=ReturnSerializer, summary="Return for revision with a comment")
    @action(detail=True, methods=["post"], url_path="return", url_name="return")
    def return_item(self, request, pk=None):
        comment = ReturnSerializer(data=request.data)
        if not comment.is_valid():
            # Who may return it is decided before what they sent: 403 comes before 400.
            ensure_permitted(self.get_object(), by=request.user, permission="approve")
            raise serializers.ValidationError(comment.errors)
        return self._transition(workflow_return, comment=comment.validated_data["comment"])

    def _transition(self, transition, **arguments):
        item = self.get_object()
        try:
            item = transition(item=item, by=self.request.user, **arguments)
        except WorkflowError as error:
            if error.code == "comment_required":
                raise serializers.ValidationError({"comment": error.messages}) from error
            refusal = Forbidden if refusal_status(error) == 403 else Conflict
            raise refusal.refusing(error) from error
        except DjangoValidationError as error:
            raise as_api_validation_error(error) from error
        return Response(self.get_serializer(item).data)
