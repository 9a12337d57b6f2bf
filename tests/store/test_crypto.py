"""Contact encryption, blind index and opaque conversation ids."""

from __future__ import annotations

import base64
import re

import pytest

from bot.store.crypto import CryptoError, blind_index, conversation_id_for, decrypt, encrypt

KEY = "test-key-0123456789abcdef0123456789abcdef"
OTHER_KEY = "another-key-0123456789abcdef0123456789ab"


@pytest.mark.parametrize("value", ["+13125550111", "123456789", "Lucía ☕", ""])
def test_encrypt_round_trips(value: str) -> None:
    token = encrypt(value, key=KEY)
    assert value not in token or value == ""
    assert decrypt(token, key=KEY) == value


def test_encrypt_uses_a_fresh_nonce_each_time() -> None:
    assert encrypt("+13125550111", key=KEY) != encrypt("+13125550111", key=KEY)


def test_tampered_token_is_rejected() -> None:
    token = encrypt("+13125550111", key=KEY)
    raw = bytearray(base64.urlsafe_b64decode(token[3:]))
    raw[-1] ^= 0x01
    tampered = "v1." + base64.urlsafe_b64encode(bytes(raw)).decode()
    with pytest.raises(CryptoError):
        decrypt(tampered, key=KEY)


def test_wrong_key_is_rejected() -> None:
    with pytest.raises(CryptoError):
        decrypt(encrypt("+13125550111", key=KEY), key=OTHER_KEY)


@pytest.mark.parametrize("token", ["", "v2.abc", "v1.!!!not base64!!!", "v1.AAAA", "+13125550111"])
def test_garbage_tokens_are_rejected(token: str) -> None:
    with pytest.raises(CryptoError):
        decrypt(token, key=KEY)


def test_empty_key_is_refused() -> None:
    with pytest.raises(ValueError):
        encrypt("+13125550111", key="")


def test_blind_index_is_stable_hex_and_keyed() -> None:
    first = blind_index("+13125550111", key=KEY)
    assert first == blind_index("+13125550111", key=KEY)
    assert re.fullmatch(r"[0-9a-f]{64}", first)
    assert first != blind_index("+13125550112", key=KEY)
    assert first != blind_index("+13125550111", key=OTHER_KEY)
    # A known value pins the derivation: changing it would orphan every stored index.
    assert blind_index("+13125550111", key=KEY) == EXPECTED_INDEX


EXPECTED_INDEX = "b1dc1aaa123c0e92e08f4695611a9106e73f7aa75548987ca46e8c101a6992d2"


def test_conversation_id_is_opaque_and_stable() -> None:
    cid = conversation_id_for("sms", "+13125550111", key=KEY)
    assert re.fullmatch(r"c_[0-9a-f]{32}", cid)
    assert cid == conversation_id_for("sms", "+13125550111", key=KEY)
    assert cid != conversation_id_for("telegram", "+13125550111", key=KEY)
    assert "5550111" not in cid
    assert cid[2:] not in blind_index("+13125550111", key=KEY)
