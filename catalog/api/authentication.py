"""``Authorization: Bearer <token>`` (or ``Token <token>``) for partner accounts' API tokens."""

from __future__ import annotations

from dataclasses import dataclass

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions

from catalog.models import Account, ApiToken
from catalog.tokens import InvalidToken, api_token_authenticate

__all__ = ["ApiClient", "ApiTokenAuthentication"]


@dataclass(frozen=True)
class ApiClient:
    """Who calls with a token: its account. Stands in for ``request.user``; ``request.auth`` is the token."""

    token: ApiToken

    is_authenticated = True
    is_anonymous = False

    @property
    def account(self) -> Account:
        return self.token.account

    @property
    def pk(self) -> str:
        return f"token:{self.token.pk}"


class ApiTokenAuthentication(authentication.BaseAuthentication):
    keywords = ("bearer", "token")

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).decode("latin-1").strip()
        if not header:
            return None
        scheme, _, token = header.partition(" ")
        if scheme.lower() not in self.keywords:
            return None
        if not token.strip():
            raise exceptions.AuthenticationFailed("No token after the authorization scheme.")
        try:
            row = api_token_authenticate(token.strip())
        except InvalidToken as error:
            raise exceptions.AuthenticationFailed(str(error)) from error
        return ApiClient(row), row

    def authenticate_header(self, request) -> str:
        return 'Bearer realm="api"'


class ApiTokenScheme(OpenApiAuthenticationExtension):
    target_class = "catalog.api.authentication.ApiTokenAuthentication"
    name = "apiToken"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "A partner account's API token (created in the admin, shown once).",
        }
