"""Issuing, revoking and checking API tokens."""

import hashlib
import hmac
import secrets

from django.contrib.auth.models import Group
from django.contrib.postgres.expressions import ArraySubquery
from django.core.exceptions import ImproperlyConfigured
from django.db.models import F, OuterRef
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions

from .models import ApiToken, User


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


# The token's columns, read alongside its user's (the user's row is what the view needs).
TOKEN_COLUMNS = ["id", "name", "digest", "expires_at", "revoked_at", "last_used_at"]


class TokenLookup:
    """The user of a key prefix with the token's columns and the user's role names, in one
    query whose SQL the ORM compiles once per process.

    Every API request authenticates, and compiling this queryset (a join, an array subquery)
    costs more than running it (bench/README.md); the compiled SQL, with the prefix as its
    one parameter, is kept and run as a raw query of users."""

    PLACEHOLDER = "<prefix>"

    @cached_property
    def sql(self):
        roles = Group.objects.filter(user=OuterRef("pk")).values("name")
        queryset = User.objects.filter(api_tokens__prefix=self.PLACEHOLDER).annotate(
            role_names=ArraySubquery(roles),
            **{f"token_{name}": F(f"api_tokens__{name}") for name in TOKEN_COLUMNS},
        )
        sql, params = queryset.query.sql_with_params()
        if params != (self.PLACEHOLDER,):
            raise ImproperlyConfigured(f"The token query has other parameters: {params}")
        return sql

    def __call__(self, prefix):
        """(user, token) of the prefix, or None; the token is not checked here."""
        user = next(iter(User.objects.raw(self.sql, [prefix])), None)
        if user is None:
            return None
        token = ApiToken(
            user=user,
            prefix=prefix,
            **{name: getattr(user, f"token_{name}") for name in TOKEN_COLUMNS},
        )
        # core.access.role_names reads them from here (one query for both, not two).
        user._role_names = frozenset(user.role_names)
        return user, token


token_lookup = TokenLookup()


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
        found = token_lookup(key.split(".", 1)[0])
        if found is None:
            raise exceptions.AuthenticationFailed()
        user, token = found
        now = timezone.now()
        if not hmac.compare_digest(token.digest, _digest(key)) or not token.is_active(now):
            raise exceptions.AuthenticationFailed()
        if not user.is_active:
            raise exceptions.AuthenticationFailed()
        # One write a minute at most: the "last used" column is for humans, not an audit log.
        if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        return user, token

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
