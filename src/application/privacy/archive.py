"""The archive a person downloads: a zip with one JSON file per source and a manifest. Built with
the standard library only, so the format is the same whichever store keeps it."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import date, datetime
from enum import Enum
from typing import Any

from application.privacy.ports import WithFiles
from domain.privacy.export import DataExport

MANIFEST = "export.json"


def _json_default(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, set | frozenset | tuple):
        return sorted(value) if isinstance(value, set | frozenset) else list(value)
    raise TypeError(f"{type(value).__name__} is not JSON-ready")


def dumps(document: Any) -> bytes:
    return json.dumps(document, ensure_ascii=False, indent=2, sort_keys=True, default=_json_default).encode()


def archive_files(documents: dict[str, Any]) -> list[str]:
    """Every file of the archive but the manifest, in the order written."""
    names: list[str] = []
    for name, document in documents.items():
        names.append(f"{name}.json")
        if isinstance(document, WithFiles):
            names.extend(f"{name}/{file}" for file in document.files)
    return names


def build_archive(export: DataExport, documents: dict[str, Any], generated_at: datetime) -> bytes:
    buffer = io.BytesIO()
    manifest = {"export_id": export.id, "user_id": export.user_id, "requested_at": export.requested_at,
                "generated_at": generated_at, "files": archive_files(documents),
                "about": "Your personal data held by the marketplace, one JSON file per part of the service. "
                         "Other people appear only by what is public about them."}
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(MANIFEST, dumps(manifest))
        for name, document in documents.items():
            if isinstance(document, WithFiles):
                for file, content in document.files.items():
                    archive.writestr(f"{name}/{file}", content)
                document = document.document
            archive.writestr(f"{name}.json", dumps(document))
    return buffer.getvalue()
