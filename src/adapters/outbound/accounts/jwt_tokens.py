from __future__ import annotations

from datetime import datetime

from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import OctKey

from application.accounts.ports import AccessClaims
from domain.accounts.errors import InvalidToken
from domain.accounts.user import User
from domain.shared.access import Role
from domain.shared.ids import new_id

ALGORITHM = "HS256"


class JwtAccessTokens:
    """Short-lived HS256 access tokens. The algorithm is pinned on verify: a token that names
    another algorithm (``none``, RS256 with our secret as a public key) is refused."""

    def __init__(self, *, secret: str, issuer: str, audience: str, lifetime_seconds: int = 900) -> None:
        self._key = OctKey.import_key(secret.encode())
        self._issuer = issuer
        self._audience = audience
        self._lifetime = lifetime_seconds

    def issue(self, user: User, now: datetime) -> tuple[str, int]:
        issued_at = int(now.timestamp())
        claims = {
            "iss": self._issuer, "aud": self._audience, "sub": user.id,
            "iat": issued_at, "exp": issued_at + self._lifetime, "jti": new_id(),
            "roles": sorted(role.value for role in user.roles), "sep": user.session_epoch,
        }
        return jwt.encode({"alg": ALGORITHM, "typ": "JWT"}, claims, self._key, algorithms=[ALGORITHM]), self._lifetime

    def verify(self, token: str, now: datetime) -> AccessClaims:
        try:
            decoded = jwt.decode(token, self._key, algorithms=[ALGORITHM])
            registry = jwt.JWTClaimsRegistry(
                now=int(now.timestamp()),
                iss={"essential": True, "value": self._issuer},
                aud={"essential": True, "value": self._audience},
                sub={"essential": True}, exp={"essential": True}, iat={"essential": True},
                jti={"essential": True},
            )
            registry.validate(decoded.claims)
            claims = decoded.claims
            return AccessClaims(user_id=str(claims["sub"]), roles=frozenset(Role(r) for r in claims["roles"]),
                                session_epoch=int(claims.get("sep", 0)), token_id=str(claims["jti"]))
        except (JoseError, ValueError, KeyError, TypeError) as error:
            raise InvalidToken(f"access token is not valid: {_reason(error)}") from error


def _reason(error: Exception) -> str:
    if isinstance(error, JoseError):
        return error.description or error.error
    return "malformed claims"
