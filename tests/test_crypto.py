from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from services.crypto import SecretBox
from services.masking import mask_secret


@given(st.text(max_size=200))
def test_round_trip(secret: str) -> None:
    box = SecretBox("0123456789abcdef")
    token = box.encrypt(secret)
    assert secret == box.decrypt(token)
    assert not secret or secret not in token or len(secret) < 4


def test_other_key_cannot_decrypt() -> None:
    token = SecretBox("0123456789abcdef").encrypt("11v5929ba236415hb31346ede021bdi4")
    with pytest.raises(ValueError, match="SECRET_KEY"):
        SecretBox("fedcba9876543210").decrypt(token)


def test_short_key_refused_and_masking() -> None:
    with pytest.raises(ValueError):
        SecretBox("short")
    assert mask_secret("11v5929ba236415hb31346ede021bdi4") == "11v5…"
    assert repr(SecretBox("0123456789abcdef")) == "SecretBox(***)"
