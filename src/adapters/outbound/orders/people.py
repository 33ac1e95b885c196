"""The orders' People port over the accounts context's user repository: who the buyer is, for
invoices and for the contact details each side sees once a job is accepted."""

from __future__ import annotations

from application.accounts.ports import UserRepository
from application.orders.ports import Contact


class AccountsPeople:
    def __init__(self, users: UserRepository) -> None:
        self._users = users

    def contact(self, user_id: str) -> Contact | None:
        user = self._users.get(user_id)
        if user is None or user.deleted:
            return None
        return Contact(user_id=user.id, name=user.display_name, email=user.email.value, phone=user.phone)
