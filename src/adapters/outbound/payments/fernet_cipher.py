from __future__ import annotations

from cryptography.fernet import Fernet, InvalidToken


class FernetTokenCipher:
    """Square tokens at rest: Fernet (AES-128-CBC + HMAC-SHA256, authenticated) with a key from the
    environment, so a copy of the database alone does not let anyone charge a seller's customers."""

    def __init__(self, key: str) -> None:
        self._fernet = Fernet(key.encode())

    def encrypt(self, plain: str) -> str:
        return self._fernet.encrypt(plain.encode()).decode()

    def decrypt(self, token: str) -> str:
        try:
            return self._fernet.decrypt(token.encode()).decode()
        except InvalidToken:
            raise ValueError("the token was not encrypted with the configured SQUARE_TOKEN_ENCRYPTION_KEY") from None
