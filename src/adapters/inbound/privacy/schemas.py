from __future__ import annotations

from marshmallow import Schema, fields, validate

from domain.privacy.export import ExportStatus


class ExportSchema(Schema):
    id = fields.String()
    status = fields.Enum(ExportStatus, by_value=True,
                         metadata={"description": "pending, running, ready, failed (ask again) or expired (ask again)"})
    requested_at = fields.DateTime()
    finished_at = fields.DateTime(allow_none=True)
    available_until = fields.DateTime(allow_none=True,
                                      metadata={"description": "the archive is deleted after this moment"})
    size_bytes = fields.Integer()
    files = fields.List(fields.String(), metadata={"description": "the JSON files in the archive"})
    status_url = fields.String(metadata={"description": "where to follow this export"})
    download_url = fields.String(allow_none=True, metadata={
        "description": "when ready: the archive, for you only (send your access token too), for a few minutes; "
                       "read this status again for a fresh link"})
    download_expires_at = fields.DateTime(allow_none=True)


class DownloadArgsSchema(Schema):
    token = fields.String(required=True, validate=validate.Length(min=1, max=200),
                          metadata={"description": "the token of the download_url"})
