"""Why a backup archive is refused. Each message is one line an operator can act on."""

from __future__ import annotations

from domain.shared.errors import Conflict, InvalidInput


class DamagedArchive(InvalidInput):
    """Truncated, corrupt, or its contents do not match its own manifest."""

    code = "damaged_archive"


class ForeignArchive(InvalidInput):
    """Not one of our backups, or made for another schema version of the data."""

    code = "foreign_archive"


class DatabaseNotEmpty(Conflict):
    """Restoring over existing data needs an explicit --drop."""

    code = "database_not_empty"


class RestoreIncomplete(Conflict):
    """The database does not hold what the archive held after loading it (a concurrent writer)."""

    code = "restore_incomplete"
