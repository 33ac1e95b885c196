from __future__ import annotations

from flask import current_app
from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import Schema, fields

from application.shared.ports import ReadinessChecks

blp = Blueprint("health", __name__, url_prefix="/health", description="Liveness and readiness probes")


class LiveSchema(Schema):
    status = fields.String()


class ReadySchema(Schema):
    status = fields.String(metadata={"description": "ready, or unavailable when a dependency is down"})
    checks = fields.Dict(keys=fields.String(), values=fields.Dict())


@blp.route("/live")
class Live(MethodView):
    @blp.response(200, LiveSchema)
    def get(self):
        """The process is up."""
        return {"status": "alive"}


@blp.route("/ready")
class Ready(MethodView):
    @blp.response(200, ReadySchema)
    @blp.alt_response(503, schema=ReadySchema, description="A dependency is down")
    def get(self):
        """MongoDB, Kafka and the other dependencies can be reached; says which one is down."""
        report = {}
        for check in current_app.extensions["injector"].get(ReadinessChecks).checks:
            up, detail = check.check()
            report[check.name] = {"up": up, "detail": detail}
        ready = all(item["up"] for item in report.values())
        return {"status": "ready" if ready else "unavailable", "checks": report}, (200 if ready else 503)
