"""A Learning Record Store stand-in for the tests: a small threaded HTTP server on a free port.

It takes PUT /xapi/statements?statementId=… as an LRS does: the X-Experience-API-Version
header must be 1.0.x (else 400), Basic auth must match (else 401), the body's id must match
the statementId; a new statement is stored (204), a known id answers 409. ``drop_next`` makes
it store the next statements and then close the connection without any answer (a lost reply).
"""

import base64
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

USERNAME, PASSWORD = "lrs-user", "lrs-secret"


class StandInLRS:
    def __init__(self, username: str = USERNAME, password: str = PASSWORD):
        self.credentials = base64.b64encode(f"{username}:{password}".encode()).decode()
        self.statements: dict[str, dict] = {}
        self.requests: list[tuple[str, int | None]] = []  # (statement id, status; None: dropped)
        self.drop_next = 0
        self.lock = threading.Lock()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def endpoint(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}/xapi/"

    def start(self) -> "StandInLRS":
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)

    def _handler(self):
        lrs = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # quiet
                pass

            def _answer(self, status: int, statement_id: str | None, body: bytes = b"") -> None:
                with lrs.lock:
                    lrs.requests.append((statement_id, status))
                self.send_response(status)
                self.send_header("Content-Length", str(len(body)))
                self.send_header("X-Experience-API-Version", "1.0.3")
                self.end_headers()
                self.wfile.write(body)

            def do_PUT(self):
                url = urlsplit(self.path)
                statement_id = (parse_qs(url.query).get("statementId") or [None])[0]
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length)
                if url.path != "/xapi/statements" or not statement_id:
                    return self._answer(404, statement_id)
                version = self.headers.get("X-Experience-API-Version") or ""
                if not version.startswith("1.0."):
                    return self._answer(400, statement_id, b"X-Experience-API-Version missing")
                if self.headers.get("Authorization") != f"Basic {lrs.credentials}":
                    return self._answer(401, statement_id, b"unauthorised")
                try:
                    statement = json.loads(raw)
                except ValueError:
                    return self._answer(400, statement_id, b"not JSON")
                if statement.get("id") != statement_id:
                    return self._answer(400, statement_id, b"id differs from statementId")
                with lrs.lock:
                    known = statement_id in lrs.statements
                    if not known:
                        lrs.statements[statement_id] = statement
                    drop = lrs.drop_next > 0 and not known
                    if drop:
                        lrs.drop_next -= 1
                        lrs.requests.append((statement_id, None))
                if drop:
                    # Stored, but the answer is lost: the connection closes without a word.
                    self.close_connection = True
                    return None
                return self._answer(409 if known else 204, statement_id)

        return Handler
