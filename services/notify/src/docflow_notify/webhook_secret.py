"""What makes a webhook secret acceptable: Standard Webhooks form, real key material."""

import base64
import binascii
import secrets
from typing import Final

PREFIX: Final = "whsec_"
#: Standard Webhooks recommends keys of 24 to 64 random bytes.
MIN_KEY_BYTES: Final = 24
#: Words of six letters or more: a random key holds one by chance about once in 10^7 keys.
_PLACEHOLDER_WORDS: Final = ("change", "placeholder", "example", "secret", "replace", "xxxxxx")


def check_webhook_secret(secret: str) -> None:
    """Raise ValueError (without echoing the secret) unless it is a usable signing key."""
    if not secret.startswith(PREFIX):
        raise ValueError(f"a webhook secret starts with {PREFIX!r} followed by base64")
    body = secret[len(PREFIX) :]
    if any(word in body.lower() for word in _PLACEHOLDER_WORDS):
        raise ValueError("the webhook secret is a placeholder: generate a random one")
    key = _decode(body)
    if len(key) < MIN_KEY_BYTES:
        raise ValueError(f"the webhook secret must hold at least {MIN_KEY_BYTES} bytes of key")
    if len(set(key)) < 8:
        raise ValueError("the webhook secret is not random: generate a random one")


def _decode(body: str) -> bytes:
    try:
        return base64.b64decode(body + "=" * (-len(body) % 4), validate=True)
    except (binascii.Error, ValueError) as exc:
        raise ValueError("the webhook secret after 'whsec_' is not valid base64") from exc


def generate_webhook_secret() -> str:
    """A fresh secret in the form the settings expect."""
    return PREFIX + base64.b64encode(secrets.token_bytes(32)).decode()
