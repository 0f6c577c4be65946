"""Issuing, revoking and checking API tokens."""

import hashlib
import hmac
import secrets

from django.contrib.auth.models import Group
from django.contrib.postgres.expressions import ArraySubquery
from django.db.models import OuterRef
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions

from .models import ApiToken


def _digest(key):
    return hashlib.sha256(key.encode()).hexdigest()


def api_token_issue(*, user, name, expires_at=None):
    """Create a token; returns (token, key). The key is not stored and cannot be shown again."""
    prefix = secrets.token_hex(4)
    while ApiToken.objects.filter(prefix=prefix).exists():
        prefix = secrets.token_hex(4)
    key = f"{prefix}.{secrets.token_urlsafe(32)}"
    token = ApiToken.objects.create(
        user=user, name=name, prefix=prefix, digest=_digest(key), expires_at=expires_at
    )
    return token, key


def api_token_revoke(*, token):
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])


class ApiTokenAuthentication(authentication.BaseAuthentication):
    """`Authorization: Token <key>`."""

    keyword = "Token"

    def authenticate(self, request):
        parts = authentication.get_authorization_header(request).split()
        if not parts or parts[0].lower() != self.keyword.lower().encode():
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed(_("The Authorization header is malformed."))
        try:
            key = parts[1].decode()
        except UnicodeDecodeError as error:
            raise exceptions.AuthenticationFailed() from error
        prefix = key.split(".", 1)[0]
        now = timezone.now()
        # The user's role names come with the token (one query, not two): accounts.roles reads
        # them from `_role_names`, where it caches them per request.
        roles = Group.objects.filter(user=OuterRef("user_id")).values("name")
        token = (
            ApiToken.objects.active(now)
            .select_related("user")
            .annotate(role_names=ArraySubquery(roles))
            .filter(prefix=prefix)
            .first()
        )
        if token is None or not hmac.compare_digest(token.digest, _digest(key)):
            raise exceptions.AuthenticationFailed()
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed()
        token.user._role_names = frozenset(token.role_names)
        # One write a minute at most: the "last used" column is for humans, not an audit log.
        if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        return token.user, token

    def authenticate_header(self, request):
        return self.keyword


class ApiTokenScheme(OpenApiAuthenticationExtension):
    """Documents the token scheme in the OpenAPI schema."""

    target_class = ApiTokenAuthentication
    name = "ApiToken"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": 'Send "Token <key>"; an administrator issues keys in the admin.',
        }
