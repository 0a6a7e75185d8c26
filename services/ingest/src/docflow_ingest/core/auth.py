"""API keys → tenants.

Every configured key is compared, in constant time, whatever the outcome: neither the position
of a match nor the length of a common prefix shows in the response time.
"""

import hmac
from http import HTTPStatus

from docflow_ingest.core.problems import ProblemError
from docflow_ingest.settings import ApiKey

REALM = 'Bearer realm="docflow"'


class UnauthenticatedError(ProblemError):
    """No key, or a key no tenant holds: 401 with the scheme to use."""

    def __init__(self, detail: str, *, invalid: bool) -> None:
        challenge = f'{REALM}, error="invalid_token"' if invalid else REALM
        super().__init__(
            HTTPStatus.UNAUTHORIZED,
            "unauthenticated",
            detail,
            headers={"WWW-Authenticate": challenge},
        )


class ApiKeyAuthenticator:
    def __init__(self, keys: list[ApiKey]) -> None:
        self._keys = [(k.tenant, k.key.get_secret_value().encode()) for k in keys]

    def tenant_for(self, presented: str | None) -> str:
        """The tenant of ``presented``; raises :class:`UnauthenticatedError` otherwise."""
        if not presented:
            raise UnauthenticatedError(
                "send an API key: Authorization: Bearer <key>", invalid=False
            )
        candidate = presented.encode()
        tenant: str | None = None
        for owner, key in self._keys:
            if hmac.compare_digest(candidate, key):
                tenant = owner
        if tenant is None:
            raise UnauthenticatedError("the API key is not valid", invalid=True)
        return tenant
