"""Docker cannot run on the development machine, so the deployment files are checked for what
can be checked without it: they parse, every service has an image, and the API is configured
only with names the app reads."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[3]
WORKER_COMMANDS = {"outbox-relay", "support-worker", "notifications-worker", "scheduler", "erasure-worker"}


def compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def names_read_in(path: Path) -> set[str]:
    return set(re.findall(r"""["']([A-Z][A-Z0-9_]{2,})["']""", path.read_text()))


def test_every_service_has_an_image_or_a_build():
    services = compose()["services"]
    assert {"mongo", "mongo-init", "kafka", "api"} <= set(services)
    for name, service in services.items():
        assert service.get("image") or service.get("build"), name


def test_the_official_images_mongodb_as_a_replica_set_and_kafka_in_kraft_mode():
    services = compose()["services"]
    assert services["mongo"]["image"].startswith("mongo:")
    assert "--replSet" in services["mongo"]["command"]
    assert "rs.initiate" in " ".join(services["mongo-init"]["command"])
    kafka = services["kafka"]
    assert kafka["image"].startswith("apache/kafka:")
    assert kafka["environment"]["KAFKA_PROCESS_ROLES"] == "broker,controller"
    assert "ZOOKEEPER" not in " ".join(kafka["environment"])


def test_the_api_and_workers_use_only_settings_the_app_reads():
    readable = names_read_in(ROOT / "src" / "config.py") | names_read_in(ROOT / "gunicorn.conf.py")
    services = compose()["services"]
    app_services = [name for name, s in services.items() if s.get("image", "").startswith("home-services")]
    assert "api" in app_services
    for name in app_services:
        unknown = set(services[name]["environment"]) - readable
        assert not unknown, f"{name} sets {unknown}, which neither src/config.py nor gunicorn.conf.py reads"
    assert "mongodb://mongo:27017/?replicaSet=rs0" == services["api"]["environment"]["MONGODB_URI"]
    assert "${JWT_SECRET:?" in services["api"]["environment"]["JWT_SECRET"]


def test_each_worker_process_is_its_own_service_on_the_same_image():
    services = compose()["services"]
    commands = {tuple(s["command"]) for s in services.values() if s.get("image") == services["api"]["image"]
                and s.get("command") and s["command"][0] == "flask"}
    assert {("flask", command) for command in WORKER_COMMANDS} <= commands


def test_the_dockerfile_is_multi_stage_non_root_gunicorn_with_a_health_check():
    dockerfile = (ROOT / "Dockerfile").read_text()
    stages = re.findall(r"^FROM (\S+)(?: AS (\w+))?", dockerfile, re.MULTILINE)
    assert len(stages) >= 2 and stages[-1][0] == "python:3.11-slim"
    user = re.findall(r"^USER (\S+)", dockerfile, re.MULTILINE)
    assert user and not user[-1].startswith(("root", "0"))
    assert "HEALTHCHECK" in dockerfile and "/health/live" in dockerfile
    assert re.search(r'^CMD \["gunicorn", "-c", "gunicorn.conf.py"\]', dockerfile, re.MULTILINE)


def test_the_web_front_end_runs_next_standalone_non_root_with_a_health_check():
    web = compose()["services"]["web"]
    assert web["build"] == "./web" and "3000:3000" in web["ports"]
    # Only settings the web's server reads, and the API inside the network for its own calls.
    read = set(re.findall(r"process\.env\.([A-Z][A-Z0-9_]+)", (ROOT / "web" / "src" / "server.ts").read_text()))
    assert set(web["environment"]) <= read and web["environment"]["API_INTERNAL_URL"] == "http://api:8000"
    dockerfile = (ROOT / "web" / "Dockerfile").read_text()
    assert len(re.findall(r"^FROM node:", dockerfile, re.MULTILINE)) >= 2
    assert "/web/.next/standalone" in dockerfile and re.search(r'^CMD \["node", "server.mjs"\]', dockerfile, re.MULTILINE)
    user = re.findall(r"^USER (\S+)", dockerfile, re.MULTILINE)
    assert user and not user[-1].startswith(("root", "0")) and "HEALTHCHECK" in dockerfile
    assert '"standalone"' in (ROOT / "web" / "next.config.mjs").read_text()
