"""The catalog's view of accounts, through the accounts context's own port: the catalog never
reads the users collection itself."""

from __future__ import annotations

from datetime import datetime

from application.accounts.ports import UserRepository


class AccountsSellerDirectory:
    def __init__(self, users: UserRepository) -> None:
        self._users = users

    def member_since(self, seller_id: str) -> datetime | None:
        user = self._users.get(seller_id)
        return user.created_at if user else None
