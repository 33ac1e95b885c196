"""Who is acting, and the one mechanism every context uses to check roles and ownership."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from domain.shared.errors import NotAllowed


class Role(StrEnum):
    BUYER = "buyer"
    SELLER = "seller"
    SUPPORT = "support"
    ADMIN = "admin"


STAFF_ROLES = frozenset({Role.SUPPORT, Role.ADMIN})


@dataclass(frozen=True, slots=True)
class Actor:
    """The authenticated caller of a use case."""

    user_id: str
    roles: frozenset[Role]

    def has_role(self, *roles: Role) -> bool:
        return any(role in self.roles for role in roles)

    @property
    def is_staff(self) -> bool:
        return bool(self.roles & STAFF_ROLES)

    def ensure_role(self, *roles: Role) -> None:
        if not self.has_role(*roles):
            wanted = " or ".join(role.value for role in roles)
            raise NotAllowed(f"this action needs the {wanted} role")

    def ensure_owner(self, owner_id: str, *, staff_may: bool = False, what: str = "resource") -> None:
        """Only the owner (and, where ``staff_may``, support or admin) may act on it."""
        if self.user_id == owner_id:
            return
        if staff_may and self.is_staff:
            return
        raise NotAllowed(f"you are not the owner of this {what}")
