"""Secrets at rest (REGOS keys, Eskiz passwords): Fernet with a key derived from SECRET_KEY."""

from __future__ import annotations

import base64

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

_INFO = b"smartsavdo/secrets/v1"


class SecretBox:
    def __init__(self, secret_key: str) -> None:
        if len(secret_key) < 16:
            raise ValueError("SECRET_KEY must be at least 16 characters")
        derived = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_INFO).derive(secret_key.encode())
        self._fernet = Fernet(base64.urlsafe_b64encode(derived))

    def encrypt(self, plaintext: str) -> str:
        return self._fernet.encrypt(plaintext.encode()).decode()

    def decrypt(self, token: str) -> str:
        try:
            return self._fernet.decrypt(token.encode()).decode()
        except InvalidToken as error:
            raise ValueError("stored secret cannot be decrypted: was SECRET_KEY changed?") from error

    def __repr__(self) -> str:
        return "SecretBox(***)"

