"""Contact protection: addresses are stored encrypted and looked up by a keyed blind index.

Three separate keys are derived from the one secret with HKDF, so the index, the
ciphertexts and the conversation ids never share key material. Rotating the secret makes
old indexes and conversation ids unreachable: plan a re-keying job before rotating.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import os
from functools import lru_cache

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

_TOKEN_PREFIX = "v1."  # noqa: S105 - a format marker, not a secret
_NONCE_BYTES = 12
_TAG_BYTES = 16
_AAD = b"familybot/contact/v1"


class CryptoError(ValueError):
    """A token cannot be decrypted: wrong key, tampered with, or not a token at all."""


@lru_cache(maxsize=16)
def _derive(key: str, purpose: bytes) -> bytes:
    """One 256-bit subkey per purpose, so a leak of one use does not expose another."""
    if not key:
        raise ValueError("an empty key cannot protect contact data")
    hkdf = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"familybot/" + purpose)
    return hkdf.derive(key.encode("utf-8"))


def blind_index(value: str, *, key: str) -> str:
    """Deterministic keyed HMAC-SHA256 (hex) to find a contact without storing it in clear."""
    digest = hmac.new(_derive(key, b"blind-index/v1"), value.encode("utf-8"), hashlib.sha256)
    return digest.hexdigest()


def conversation_id_for(channel: str, address: str, *, key: str) -> str:
    """Opaque, stable conversation id (`c_<32 hex>`) for a phone number or chat id."""
    message = f"{channel}\x00{address}".encode()
    digest = hmac.new(_derive(key, b"conversation-id/v1"), message, hashlib.sha256)
    return "c_" + digest.hexdigest()[:32]


def encrypt(value: str, *, key: str) -> str:
    """AES-256-GCM with a random nonce: confidential and tamper-evident."""
    nonce = os.urandom(_NONCE_BYTES)
    sealed = AESGCM(_derive(key, b"contact-encryption/v1")).encrypt(
        nonce, value.encode("utf-8"), _AAD
    )
    return _TOKEN_PREFIX + base64.urlsafe_b64encode(nonce + sealed).decode("ascii")


def decrypt(token: str, *, key: str) -> str:
    """Reverse `encrypt`; raises CryptoError rather than ever returning altered data."""
    if not token.startswith(_TOKEN_PREFIX):
        raise CryptoError("not a FamilyBot v1 token")
    try:
        raw = base64.urlsafe_b64decode(token[len(_TOKEN_PREFIX) :].encode("ascii"))
    except (binascii.Error, UnicodeEncodeError) as exc:
        raise CryptoError("token is not valid base64") from exc
    if len(raw) < _NONCE_BYTES + _TAG_BYTES:
        raise CryptoError("token is too short")
    nonce, sealed = raw[:_NONCE_BYTES], raw[_NONCE_BYTES:]
    try:
        plain = AESGCM(_derive(key, b"contact-encryption/v1")).decrypt(nonce, sealed, _AAD)
    except InvalidTag as exc:
        raise CryptoError("token was tampered with or the key is wrong") from exc
    return plain.decode("utf-8")
