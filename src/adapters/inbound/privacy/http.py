from __future__ import annotations

from typing import Any
from urllib.parse import quote

from flask import Response, url_for
from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import RAISE

from adapters.inbound.http.created import LOCATION_HEADER
from adapters.inbound.http.schemas import ErrorSchema
from adapters.inbound.http.security import current_actor, requires_auth
from adapters.inbound.http.wiring import use_case
from adapters.inbound.privacy.schemas import DownloadArgsSchema, ExportSchema
from application.privacy.use_cases import (
    DownloadDataExport,
    ExportView,
    GetDataExport,
    GetLatestDataExport,
    RequestDataExport,
)

blp = Blueprint("privacy", __name__, url_prefix="/me",
                description="A copy of your personal data (your right of access under the GDPR)")


def _body(view: ExportView) -> dict[str, Any]:
    export = view.export
    download_url = None
    if view.download_token is not None:
        download_url = url_for("privacy.ExportArchive", export_id=export.id) + "?token=" + quote(view.download_token)
    return {"id": export.id, "status": export.status, "requested_at": export.requested_at,
            "finished_at": export.finished_at, "available_until": export.available_until,
            "size_bytes": export.size_bytes, "files": export.files,
            "status_url": url_for("privacy.ExportDetail", export_id=export.id),
            "download_url": download_url, "download_expires_at": view.download_expires_at}


@blp.route("/export")
class StartExport(MethodView):
    @requires_auth()
    @blp.response(202, ExportSchema, headers=LOCATION_HEADER)
    def post(self):
        """Start an export of your data (a zip of JSON files, one per part of the service). It is
        prepared in the background: follow ``status_url``. While one is being prepared, asking again
        returns that one; at most a few a day."""
        body = _body(ExportView(use_case(RequestDataExport).execute(current_actor())))
        return body, 202, {"Location": body["status_url"]}

    @requires_auth()
    @blp.response(200, ExportSchema)
    @blp.alt_response(404, schema=ErrorSchema, description="You have no export kept now")
    def get(self):
        """Your latest export still kept (the one being prepared, if any): reading never starts one."""
        return _body(use_case(GetLatestDataExport).execute(current_actor()))


@blp.route("/exports/<export_id>")
class ExportDetail(MethodView):
    @requires_auth()
    @blp.response(200, ExportSchema)
    def get(self, export_id: str):
        """One of your exports; when ready, with a short-lived download link for you."""
        return _body(use_case(GetDataExport).execute(current_actor(), export_id))


@blp.route("/exports/<export_id>/archive")
class ExportArchive(MethodView):
    @requires_auth()
    @blp.arguments(DownloadArgsSchema, location="query", unknown=RAISE)
    @blp.response(200)
    @blp.doc(responses={"200": {
        "description": "the archive: export.json (what it holds) and one JSON file per part of the service",
        "content": {"application/zip": {"schema": {"type": "string", "format": "binary"}}}}})
    def get(self, args, export_id: str):
        """Download the archive, with the link's token and your access token; an expired link is a
        404 that says so."""
        download = use_case(DownloadDataExport).execute(current_actor(), export_id, args["token"])
        return Response(download.content, status=200, mimetype="application/zip", headers={
            "Content-Disposition": f'attachment; filename="{download.filename}"',
            # A copy of personal data: no shared cache may keep it.
            "Cache-Control": "no-store"})


BLUEPRINTS = [blp]
