"""`make run`'s SMTP sink: every e-mail the platform sends lands in a directory, never outside.

Started by run.py when no SMTP server is configured; the portal's development mailbox lists
what it keeps. `python deploy/local/mail_sink.py --port 8025 --directory var/mail`
"""

from __future__ import annotations

import argparse
import signal
import threading

from aiosmtpd.controller import Controller

from shared.dev_mailbox import Sink


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--directory", required=True)
    args = parser.parse_args()
    controller = Controller(Sink(args.directory), hostname="127.0.0.1", port=args.port)
    controller.start()
    print(f"SMTP sink on 127.0.0.1:{args.port}, keeping e-mails in {args.directory}", flush=True)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    stop.wait()
    controller.stop()


if __name__ == "__main__":
    main()
