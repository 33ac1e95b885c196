"""The reviews' AuthorNames through the accounts context's own use case."""

from __future__ import annotations

from application.accounts.use_cases import GetPublicNames


class AccountsAuthorNames:
    def __init__(self, names: GetPublicNames) -> None:
        self._names = names

    def public_names(self, user_ids: list[str]) -> dict[str, str]:
        return self._names.execute(user_ids)
