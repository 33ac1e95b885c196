"""`make run`: the whole marketplace on this machine, with the embedded stand-ins.

Starts MongoDB (secantus, data under var/mongo so it survives restarts), Kafka (Tansu),
loads demo data once, then gunicorn and the worker processes. Ctrl-C stops everything.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

from devtools.processes import REPO_ROOT, ManagedProcess, port_open
from devtools.services import kafka_broker, mail_server, mongo_server, mongo_uri, square_standin

VAR = REPO_ROOT / "var"
MONGO_PORT = int(os.environ.get("LOCAL_MONGO_PORT", 27018))
KAFKA_PORT = int(os.environ.get("LOCAL_KAFKA_PORT", 19092))
API_PORT = int(os.environ.get("API_PORT", 8000))
SQUARE_PORT = int(os.environ.get("LOCAL_SQUARE_PORT", 8089))
WEB_PORT = int(os.environ.get("WEB_PORT", 3000))
SMTP_PORT = int(os.environ.get("LOCAL_SMTP_PORT", 8025))
MAILDIR = VAR / "mail"


def app_environment() -> dict[str, str]:
    """What the app processes see: the embedded defaults, unless the caller set them already."""
    env = dict(os.environ)
    env.setdefault("MONGODB_URI", mongo_uri(MONGO_PORT))
    env.setdefault("KAFKA_BOOTSTRAP_SERVERS", f"127.0.0.1:{KAFKA_PORT}")
    env.setdefault("PUBLIC_BASE_URL", f"http://127.0.0.1:{API_PORT}")
    env.setdefault("WEB_PUBLIC_URL", f"http://127.0.0.1:{WEB_PORT}")
    env.setdefault("SQUARE_ENVIRONMENT", "local")
    env.setdefault("SQUARE_BASE_URL", f"http://127.0.0.1:{SQUARE_PORT}")
    env.setdefault("SQUARE_WEBHOOK_NOTIFICATION_URL", f"{env['PUBLIC_BASE_URL']}/webhooks/square")
    # Mail goes to the local SMTP server (devtools/mail_server.py); its links to the local web.
    env.setdefault("SMTP_HOST", "127.0.0.1")
    env.setdefault("SMTP_PORT", str(SMTP_PORT))
    env.setdefault("SMTP_TLS", "none")
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO_ROOT / "src"), str(REPO_ROOT), env.get("PYTHONPATH")]))
    env["FLASK_APP"] = "bootstrap:create_app"
    env["PYTHONUNBUFFERED"] = "1"
    return env


def square_process(env: dict[str, str]) -> ManagedProcess:
    """The Square stand-in, started before the API and the demo data (demo sellers connect through it),
    with the same credentials the app reads from its environment. Like MongoDB's data, its state is
    kept in var/: the tokens stored in MongoDB stay valid at Square after a restart."""
    from config import load_settings

    settings = load_settings(env)
    return square_standin(SQUARE_PORT, webhook_url=settings.square_webhook_notification_url,
                          signature_key=settings.square_webhook_signature_key,
                          application_id=settings.square_application_id,
                          application_secret=settings.square_application_secret,
                          log_path=VAR / "logs" / "square.log", state_file=VAR / "square" / "state.pickle")


def flask_command(*args: str) -> list[str]:
    return [sys.executable, "-m", "flask", *args]


def worker_processes(env: dict[str, str]) -> list[ManagedProcess]:
    """The long-running processes beside the API. Later contexts add their workers here."""
    gunicorn = ManagedProcess("api", [sys.executable, "-m", "gunicorn", "-c", str(REPO_ROOT / "gunicorn.conf.py")],
                              env={**env, "BIND": f"127.0.0.1:{API_PORT}"}, ready=lambda: port_open(API_PORT),
                              ready_timeout=60)
    # The orders' timers: unpaid bookings expire, unanswered holds are voided, jobs auto-complete.
    # The outbox relay publishes recorded events; the workers consume them.
    workers = [ManagedProcess(command, flask_command(command), env=env, ready=_alive_for(1.0), ready_timeout=10)
               for command in ("scheduler", "outbox-relay", "support-worker", "notifications-worker",
                               "email-worker")]
    # Deleted accounts: every context erases its part of the person (issue #12).
    workers.append(ManagedProcess("erasure-worker", flask_command("erasure-worker"), env=env, ready=_alive_for(1.0),
                                  ready_timeout=10))
    return [gunicorn, *workers]


def web_process(env: dict[str, str]) -> ManagedProcess:
    """The Next.js front end as production runs it: its standalone build (`make web-build`, cached on its sources)
    behind web/server.mjs, which serves the hashed assets compressed. Its server reaches the API directly; the
    browser gets the same URL and the card form's (the stand-in's test form) at run time."""
    web_env = {**env, "API_BASE_URL": f"http://127.0.0.1:{API_PORT}",
               "CARD_FORM_URL": env.get("CARD_FORM_URL", f"{env['SQUARE_BASE_URL']}/_standin/card-form"),
               "NEXT_TELEMETRY_DISABLED": "1", "HOST": "127.0.0.1", "PORT": str(WEB_PORT)}
    standalone = REPO_ROOT / "web" / ".next" / "standalone"
    return ManagedProcess("web", [shutil.which("node") or "node", str(standalone / "server.mjs")],
                          env=web_env, cwd=standalone, ready=lambda: port_open(WEB_PORT), ready_timeout=60,
                          port=WEB_PORT)


def _alive_for(seconds: float):
    """Ready check of a worker with no port: wait_ready fails if it exits, so alive after a while is up."""
    started: list[float] = []

    def ready() -> bool:
        started[:] = started or [time.monotonic()]
        return time.monotonic() - started[0] >= seconds

    return ready


def main() -> int:
    VAR.mkdir(exist_ok=True)
    for port, what in ((MONGO_PORT, "LOCAL_MONGO_PORT"), (KAFKA_PORT, "LOCAL_KAFKA_PORT"), (API_PORT, "API_PORT"),
                       (SQUARE_PORT, "LOCAL_SQUARE_PORT"), (WEB_PORT, "WEB_PORT"),
                       (SMTP_PORT, "LOCAL_SMTP_PORT")):
        if port_open(port):
            print(f"port {port} is taken (is the marketplace already running?); set {what} to another port")
            return 1
    env = app_environment()
    started: list[ManagedProcess] = []

    def stop_all(*_: object) -> None:
        for process in reversed(started):
            print(f"stopping {process.name}...")
            process.stop()

    signal.signal(signal.SIGTERM, lambda *_: (_ for _ in ()).throw(KeyboardInterrupt()))
    # A shell starting `make run &` from a script makes its children ignore SIGINT; Ctrl-C (or
    # `kill -INT`) must still stop everything.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        for process in (mongo_server(MONGO_PORT, VAR / "mongo", log_path=VAR / "logs" / "mongodb.log"),
                        kafka_broker(KAFKA_PORT, log_path=VAR / "logs" / "kafka.log"),
                        square_process(env),
                        mail_server(SMTP_PORT, MAILDIR, log_path=VAR / "logs" / "smtp.log")):
            print(f"starting {process.name}...")
            started.append(process.start())
        print("loading demo data...")
        subprocess.run(flask_command("seed-demo"), env=env, check=True, cwd=REPO_ROOT)
        for process in [*worker_processes(env), web_process(env)]:
            print(f"starting {process.name}...")
            started.append(process.start())
        print(_banner())
        while all(process.running for process in started):
            time.sleep(0.5)
        dead = [p.name for p in started if not p.running]
        print(f"{', '.join(dead)} stopped unexpectedly; stopping the rest")
        return 1
    except KeyboardInterrupt:
        return 0
    except (RuntimeError, subprocess.CalledProcessError) as error:
        print(f"could not start the marketplace: {error}")
        return 1
    finally:
        stop_all()


def _banner() -> str:
    return f"""
  The marketplace is running.
    Web          http://127.0.0.1:{WEB_PORT}
    API          http://127.0.0.1:{API_PORT}
    Swagger UI   http://127.0.0.1:{API_PORT}/docs
    OpenAPI      http://127.0.0.1:{API_PORT}/openapi.json
    MongoDB      {mongo_uri(MONGO_PORT)}   (data in var/mongo)
    Kafka        127.0.0.1:{KAFKA_PORT}
    Square       http://127.0.0.1:{SQUARE_PORT}   (local stand-in; test card form: /_standin/card-form)
    Mail (SMTP)  127.0.0.1:{SMTP_PORT}   (local server; mail kept in var/mail, read it with `flask mail-inbox`)
    Logs         var/logs/
  Demo password for every demo account: demo-password-1
  Press Ctrl-C to stop everything.
"""


if __name__ == "__main__":
    sys.exit(main())
