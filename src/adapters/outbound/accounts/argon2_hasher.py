from __future__ import annotations

from argon2 import PasswordHasher as _Argon2
from argon2 import Type
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError


class Argon2PasswordHasher:
    """argon2id with OWASP's recommended minimum (m=19 MiB, t=2, p=1) unless configured higher."""

    def __init__(self, *, memory_kib: int = 19_456, time_cost: int = 2, parallelism: int = 1) -> None:
        self._argon2 = _Argon2(memory_cost=memory_kib, time_cost=time_cost, parallelism=parallelism,
                               hash_len=32, salt_len=16, type=Type.ID)
        # Verified when the e-mail is unknown, so that answer takes as long as a wrong password.
        self._dummy_hash = self._argon2.hash("not-a-real-password-but-costs-the-same")

    def hash(self, password: str) -> str:
        return self._argon2.hash(password)

    def verify(self, password_hash: str, password: str) -> bool:
        try:
            return self._argon2.verify(password_hash, password)
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            return False

    def needs_rehash(self, password_hash: str) -> bool:
        return self._argon2.check_needs_rehash(password_hash)

    def dummy_verify(self, password: str) -> None:
        self.verify(self._dummy_hash, password)
