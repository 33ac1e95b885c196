"""The local SMTP server of `make run` and the tests (aiosmtpd): accepts every mail on 127.0.0.1
and stores it in a Maildir (and decoded in its received.jsonl), which `flask mail-inbox` (or any mail reader) shows. Nothing in
the app is faked: the email worker talks SMTP to it as it would to a real server.

    python -m devtools.mail_server --port 8025 --maildir var/mail
"""

from __future__ import annotations

import argparse
import json
import mailbox
import signal
import threading
from datetime import UTC, datetime
from email import message_from_bytes
from email.policy import default as default_policy
from pathlib import Path

from aiosmtpd.controller import Controller

DEFAULT_MAILDIR = "var/mail"


class MaildirHandler:
    def __init__(self, path: Path) -> None:
        # Maildir makes cur/, new/ and tmp/ itself, but only when the folder does not exist yet.
        path.parent.mkdir(parents=True, exist_ok=True)
        for sub in ("cur", "new", "tmp"):
            (path / sub).mkdir(parents=True, exist_ok=True)
        self._box = mailbox.Maildir(str(path), create=True)
        self._index = path / "received.jsonl"
        self._lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope) -> str:  # noqa: N802 (aiosmtpd's hook name)
        message = message_from_bytes(envelope.original_content or envelope.content, policy=default_policy)
        # The order of arrival, to the microsecond: Maildir's own names do not sort by time.
        message["X-Received-At"] = datetime.now(UTC).isoformat()
        message["X-Envelope-To"] = ", ".join(envelope.rcpt_tos)
        text = message.get_body(preferencelist=("plain",))
        html = message.get_body(preferencelist=("html",))
        line = json.dumps({"received_at": str(message["X-Received-At"]), "to": envelope.rcpt_tos,
                           "subject": str(message["Subject"] or ""), "text": text.get_content() if text else "",
                           "html": html.get_content() if html else ""}, ensure_ascii=False)
        with self._lock:
            self._box.add(message.as_bytes())
            # The same mail decoded, one JSON line each, for readers that do not speak MIME (the e2e tests).
            with open(self._index, "a", encoding="utf-8") as index:
                index.write(line + "\n")
        return "250 Message accepted for delivery"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, default=8025)
    parser.add_argument("--maildir", default=DEFAULT_MAILDIR)
    args = parser.parse_args()
    controller = Controller(MaildirHandler(Path(args.maildir)), hostname="127.0.0.1", port=args.port)
    controller.start()
    print(f"local SMTP server on 127.0.0.1:{args.port}, mail stored in {args.maildir}", flush=True)
    stop = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stop.set())
    try:
        stop.wait()
    finally:
        controller.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
