from typing import Any

from domain.shared.erasure import ErasureBlocker
from domain.shared.errors import AuthenticationFailed, Conflict, InvalidInput, NotFound


class EmailAlreadyRegistered(Conflict):
    code = "email_already_registered"

    def __init__(self) -> None:
        super().__init__("an account with this email already exists", field="email")


class WeakPassword(InvalidInput):
    """``problem`` says why in a stable code (too_short, common_password, ...): ``password_problem`` in the body."""

    code = "weak_password"

    def __init__(self, message: str, *, field: str | None = "password", problem: str) -> None:
        super().__init__(message, field=field)
        self.problem = problem

    @property
    def details(self) -> dict[str, Any]:
        return {"password_problem": self.problem}


class InvalidCredentials(AuthenticationFailed):
    code = "invalid_credentials"

    def __init__(self) -> None:
        # One message for an unknown e-mail and a wrong password: no account enumeration.
        super().__init__("email or password is incorrect")


class InvalidToken(AuthenticationFailed):
    code = "invalid_token"


class RefreshTokenReused(AuthenticationFailed):
    code = "refresh_token_reused"

    def __init__(self) -> None:
        super().__init__("this refresh token was already used; every session of its family is revoked")


class UserNotFound(NotFound):
    code = "user_not_found"

    def __init__(self) -> None:
        super().__init__("user not found")


class WrongPassword(InvalidInput):
    """The signed-in person confirmed an irreversible action with the wrong password. 422, not
    401: the access token is fine, and a client must not take it for an expired session."""

    code = "wrong_password"

    def __init__(self) -> None:
        super().__init__("the password is not correct", field="password")


class AccountHasOpenCommitments(Conflict):
    code = "account_has_open_commitments"

    def __init__(self, blockers: list[ErasureBlocker]) -> None:
        super().__init__("the account cannot be deleted yet: " + "; ".join(b.sentence() for b in blockers)
                         + ". Finish or cancel them first.")
        self.blockers = blockers

    @property
    def details(self) -> dict[str, Any]:
        return {"blockers": [{"order_id": b.order_id, "kind": b.kind.value, "status": b.status}
                             for b in self.blockers]}
