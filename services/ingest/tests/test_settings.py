import pytest
from pydantic import ValidationError

from docflow_ingest.core.auth import ApiKeyAuthenticator, UnauthenticatedError
from docflow_ingest.settings import IngestSettings, parse_api_keys


def test_keys_map_to_tenants() -> None:
    keys = parse_api_keys(" acme:k1 , globex:k2")
    assert [(k.tenant, k.key.get_secret_value()) for k in keys] == [
        ("acme", "k1"),
        ("globex", "k2"),
    ]


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ("", "empty"),
        (" , ", "empty"),
        ("acme", "entry 1 is not tenant:key"),
        ("acme:k1,globex:", "entry 2 is not tenant:key"),
        ("ac/me:k1", "entry 1: a tenant"),
        ("acme:k1,globex:k1", "same key twice"),
    ],
)
def test_bad_keys_fail_fast(raw: str, reason: str) -> None:
    with pytest.raises(ValidationError, match=reason) as caught:
        IngestSettings(api_keys=raw)
    assert "k1" not in str(caught.value)


def test_keys_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DOCFLOW_API_KEYS", "local:dev-key")
    monkeypatch.setenv("DOCFLOW_INGEST_PORT", "9090")
    settings = IngestSettings()
    assert settings.api_keys[0].tenant == "local"
    assert settings.ingest_port == 9090
    assert settings.store_url.startswith("sqlite:////")
    assert settings.store_url.endswith(".docflow/docflow.db")


def test_authenticator() -> None:
    authenticator = ApiKeyAuthenticator(parse_api_keys("acme:k1,globex:k2"))
    assert authenticator.tenant_for("k2") == "globex"
    with pytest.raises(UnauthenticatedError) as missing:
        authenticator.tenant_for(None)
    assert missing.value.headers["WWW-Authenticate"] == 'Bearer realm="docflow"'
    with pytest.raises(UnauthenticatedError) as wrong:
        authenticator.tenant_for("k3")
    assert 'error="invalid_token"' in wrong.value.headers["WWW-Authenticate"]
