from __future__ import annotations

from typing import Any

from adapters.outbound.privacy.plain import plain
from application.accounts.use_cases import ExportAccountData


class AccountDataSource:
    name = "account"
    contexts = ("accounts",)

    def __init__(self, accounts: ExportAccountData) -> None:
        self._accounts = accounts

    def export(self, user_id: str) -> Any:
        user = self._accounts.execute(user_id)
        if user is None:
            return {}
        # The password is kept only as a hash: useless to the person and a risk in a file they keep.
        return {"id": user.id, "email": str(user.email), "display_name": user.display_name, "phone": user.phone,
                "roles": plain(user.roles), "created_at": plain(user.created_at)}
