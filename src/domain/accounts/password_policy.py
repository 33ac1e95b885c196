from __future__ import annotations

from domain.accounts.email import Email
from domain.accounts.errors import WeakPassword

MIN_LENGTH = 10
MAX_LENGTH = 256  # argon2 hashes anything, but a megabyte password is a denial of service


def check_password_policy(password: str, email: Email, *, field: str = "password") -> None:
    if len(password) < MIN_LENGTH:
        raise WeakPassword(f"password must have at least {MIN_LENGTH} characters", field=field)
    if len(password) > MAX_LENGTH:
        raise WeakPassword(f"password must have at most {MAX_LENGTH} characters", field=field)
    lowered = password.strip().lower()
    if lowered == email.value or lowered == email.value.split("@")[0]:
        raise WeakPassword("password must not be your email", field=field)
