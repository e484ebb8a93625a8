"""A real SMTP server (aiosmtpd) on a free local port, collecting what it receives."""

import email
import email.policy
import socket

import pytest
from aiosmtpd.controller import Controller


class Collector:
    def __init__(self):
        self.messages: list[email.message.Message] = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(
            email.message_from_bytes(envelope.content, policy=email.policy.default)
        )
        return "250 OK"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def smtp_server():
    handler = Collector()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    handler.port = controller.port
    yield handler
    controller.stop()


def run_mail_job(app) -> int:
    """What the scheduler (or `lernpfad send-mail`) does, outside any request."""
    from lernpfad.jobs.mail import send_outbox

    with app.app_context():
        return send_outbox()


class StallingListener:
    """A TCP server that accepts connections and never says a word, like a hung mail server."""

    def __init__(self):
        import threading

        self.port = free_port()
        self.accepted = 0
        self._sockets = []
        self._server = socket.create_server(("127.0.0.1", self.port))
        self._server.settimeout(0.2)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self):
        while not self._stop.is_set():
            try:
                connection, _address = self._server.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            self.accepted += 1
            self._sockets.append(connection)  # held open, never answered

    def close(self):
        self._stop.set()
        self._thread.join(2)
        for connection in self._sockets:
            connection.close()
        self._server.close()


@pytest.fixture
def stalling_smtp():
    listener = StallingListener()
    yield listener
    listener.close()
