"""The operations context's DeletionReplay on the accounts context's own use case."""

from __future__ import annotations

from application.accounts.use_cases import ReplayAccountDeletion


class AccountsDeletionReplay:
    def __init__(self, replay: ReplayAccountDeletion) -> None:
        self._replay = replay

    def replay(self, user_id: str) -> bool:
        return self._replay.execute(user_id)
