"""A real SMTP server on 127.0.0.1 (aiosmtpd) that keeps what it receives: for the tests and
for ``make demo``.

Recipients in ``refuse`` are refused with a 550 at ``RCPT TO`` (the SMTP server says no:
Odoo's mail queue sees the refusal). Recipients in ``bounce`` are accepted, then a delivery
status notification (RFC 3464, ``multipart/report``) is written for each, as the recipient's
server would send back later: feed it to Odoo's mail gateway (``mail.thread.message_process``).

    python -m tests.smtp_sink --port 2525 --refuse a@x.example --bounce b@y.example --outbox DIR

runs it until SIGTERM/SIGINT, then prints what it received (``make demo``).
"""

import argparse
import email
import email.policy
import signal
import socket
import threading
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import format_datetime, getaddresses
from pathlib import Path

from aiosmtpd.controller import Controller

REFUSAL = "550 5.1.1 <%s>: Recipient address rejected: User unknown in virtual mailbox table"


@dataclass
class Received:
    mail_from: str
    rcpt_tos: list
    raw: bytes
    message: email.message.EmailMessage = field(repr=False)

    @property
    def subject(self):
        return str(self.message["Subject"] or "")

    @property
    def to(self):
        return [addr for _name, addr in getaddresses(self.message.get_all("To", []))]

    def attachments(self):
        """``[(filename, content type, bytes)]`` of the message's attachments."""
        return [
            (part.get_filename(), part.get_content_type(), part.get_payload(decode=True))
            for part in self.message.iter_attachments()
        ]


class _Handler:
    def __init__(self, sink):
        self.sink = sink

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.lower() in self.sink.refuse:
            self.sink.refused.append(address)
            return REFUSAL % address
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        raw = envelope.original_content or envelope.content
        message = email.message_from_bytes(raw, policy=email.policy.SMTP)
        received = Received(envelope.mail_from, list(envelope.rcpt_tos), raw, message)
        with self.sink.lock:
            self.sink.received.append(received)
            for rcpt in received.rcpt_tos:
                if rcpt.lower() in self.sink.bounce:
                    self.sink.dsns.append(dsn(received, rcpt))
                    if self.sink.outbox:  # written before the 250: there once the client has it
                        self.sink.outbox.mkdir(parents=True, exist_ok=True)
                        path = self.sink.outbox / f"dsn-{len(self.sink.dsns):04d}.eml"
                        path.write_text(self.sink.dsns[-1])
        return "250 2.0.0 Ok: queued"


class SmtpSink:
    """``with SmtpSink(refuse=[...]) as smtp:`` a server on ``smtp.port`` for the block."""

    def __init__(self, refuse=(), bounce=(), port=None, outbox=None):
        self.refuse = {a.lower() for a in refuse}
        self.bounce = {a.lower() for a in bounce}
        self.outbox = outbox
        self.port = port or free_port()
        self.received, self.refused, self.dsns = [], [], []
        self.lock = threading.Lock()
        self.controller = Controller(_Handler(self), hostname="127.0.0.1", port=self.port)

    def start(self):
        self.controller.start()
        return self

    def stop(self):
        self.controller.stop()

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    def to(self, address):
        """What was received for ``address``."""
        return [r for r in self.received if address.lower() in (a.lower() for a in r.rcpt_tos)]


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def dsn(received, recipient, reporting_mta="mx.client.example"):
    """The delivery status notification a recipient's server sends back for ``received``: a
    ``multipart/report`` to the envelope sender (Odoo's bounce alias when it has one), with
    the original message attached (its Message-Id lets Odoo find the reminder)."""
    boundary = uuid.uuid4().hex
    sender = received.mail_from or "postmaster@localhost"
    now = format_datetime(datetime.now(UTC))
    original = received.raw.decode("utf-8", "replace").replace("\r\n", "\n")
    return f"""\
From: Mail Delivery System <MAILER-DAEMON@{reporting_mta}>
To: {sender}
Subject: Undelivered Mail Returned to Sender
Date: {now}
Message-Id: <{uuid.uuid4().hex}@{reporting_mta}>
Auto-Submitted: auto-replied
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary="{boundary}"

--{boundary}
Content-Description: Notification
Content-Type: text/plain; charset=us-ascii

This is the mail system at host {reporting_mta}.

I'm sorry to have to inform you that your message could not
be delivered to one or more recipients.

<{recipient}>: mailbox unavailable

--{boundary}
Content-Description: Delivery report
Content-Type: message/delivery-status

Reporting-MTA: dns; {reporting_mta}
Arrival-Date: {now}

Final-Recipient: rfc822; {recipient}
Original-Recipient: rfc822;{recipient}
Action: failed
Status: 5.1.1
Diagnostic-Code: smtp; 550 5.1.1 <{recipient}>: mailbox unavailable

--{boundary}
Content-Description: Undelivered Message
Content-Type: message/rfc822

{original}
--{boundary}--
"""


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--refuse", action="append", default=[])
    parser.add_argument("--bounce", action="append", default=[])
    parser.add_argument("--outbox", type=Path, help="where to write the bounces (one DSN .eml each)")
    args = parser.parse_args()
    sink = SmtpSink(refuse=args.refuse, bounce=args.bounce, port=args.port, outbox=args.outbox).start()
    done = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: done.set())
    signal.signal(signal.SIGINT, lambda *_: done.set())
    print(f"[smtp] listening on 127.0.0.1:{sink.port}", flush=True)
    while not done.wait(0.5):
        pass
    sink.stop()
    print(f"\n=== SMTP sink (127.0.0.1:{sink.port}): {len(sink.received)} email(s) received ===")
    for r in sink.received:
        pdfs = sum(1 for _name, kind, _data in r.attachments() if kind == "application/pdf")
        print(f"  {', '.join(r.rcpt_tos):28} {r.subject[:64]:64} {pdfs} PDF")
    for address in sink.refused:
        print(f"  {address:34} refused (550)")
    for address in sorted(sink.bounce):
        print(f"  {address:34} accepted, then bounced (delivery status notification sent back)")


if __name__ == "__main__":
    main()
