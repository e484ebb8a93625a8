"""Password-reset requests while the mail server hangs, and known versus unknown addresses.

    .venv/bin/python bench/reset_stall.py            # prints two tables, exits 1 on a failed check
    make bench-reset

A TCP listener on a free port accepts SMTP connections and never answers (a hung mail server);
the app is configured to use it and served over real HTTP by Werkzeug's threaded server on a
fresh SQLite database with 200 people. Measured:

1. six anonymous "forgot password" requests sent at once, with /healthz asked during them:
   each must answer within CHECK_SECONDS, and the hung server must see no connection at all;
2. 200 requests for known and 200 for unknown addresses, interleaved: the medians must not differ
   by more than CHECK_DIFFERENCE_MS, so the answer time does not tell whether an address exists.

Afterwards the mail job (`lernpfad send-mail`) is what talks to the mail server, outside requests.
"""

import logging
import statistics
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from werkzeug.serving import make_server  # noqa: E402

from lernpfad import create_app  # noqa: E402
from lernpfad.extensions import db  # noqa: E402
from tests.mail import StallingListener, free_port  # noqa: E402

CHECK_SECONDS = 1.0
CHECK_DIFFERENCE_MS = 3.0
PEOPLE = 200
ROUNDS = 200


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


OPENER = urllib.request.build_opener(NoRedirect)


def timed(url: str, data: dict | None = None) -> tuple[float, int]:
    body = urllib.parse.urlencode(data).encode() if data is not None else None
    started = time.perf_counter()
    try:
        with OPENER.open(url, data=body, timeout=60) as response:
            response.read()
            status = response.status
    except urllib.error.HTTPError as error:
        status = error.code
    return (time.perf_counter() - started) * 1000, status


def build(folder: Path, mail_port: int):
    from flask_migrate import upgrade

    from lernpfad.people.services import create_person

    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'bench.sqlite3'}",
            "SECRET_KEY": "bench",
            "WTF_CSRF_ENABLED": False,
            "MAIL_PORT": mail_port,
            "RESET_LIMIT_PER_CLIENT": 10**6,  # one client sends everything here
        },
        instance_path=str(folder / "instance"),
    )
    with app.app_context():
        logging.disable(logging.INFO)  # the migration log
        upgrade(directory=str(ROOT / "migrations"))
        logging.disable(logging.NOTSET)
        for n in range(PEOPLE):
            create_person(name=f"Person {n}", email=f"p{n}@example.org")
        db.session.commit()
    return app


def row(name: str, values: list[float]) -> str:
    ordered = sorted(values)
    p95 = ordered[max(0, round(0.95 * len(ordered)) - 1)]
    return (
        f"| {name:<38} | {len(values):>5} | {statistics.median(values):>8.1f} "
        f"| {p95:>8.1f} | {max(values):>8.1f} |"
    )


def main() -> int:
    stall = StallingListener()
    with tempfile.TemporaryDirectory() as folder:
        app = build(Path(folder), stall.port)
        logging.getLogger("werkzeug").setLevel(logging.ERROR)
        server = make_server("127.0.0.1", free_port(), app, threaded=True)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        base = f"http://127.0.0.1:{server.server_port}"
        reset = base + "/passwort-vergessen"
        timed(base + "/healthz")  # warm up

        with ThreadPoolExecutor(max_workers=7) as pool:
            resets = [pool.submit(timed, reset, {"email": f"p{n}@example.org"}) for n in range(6)]
            time.sleep(0.01)
            health = pool.submit(timed, base + "/healthz")
            parallel = [f.result() for f in resets]
            health_ms, health_status = health.result()

        known, unknown = [], []
        for n in range(ROUNDS):
            known.append(timed(reset, {"email": f"p{n % PEOPLE}@example.org"})[0])
            unknown.append(timed(reset, {"email": f"niemand{n}@example.org"})[0])
        server.shutdown()
    stall.close()

    print("Mail server accepts and never answers; times in ms over HTTP (Werkzeug, SQLite)\n")
    print("| request                                | count |   median |      p95 |  slowest |")
    print("|---|---|---|---|---|")
    print(row("6 parallel anonymous reset requests", [ms for ms, _ in parallel]))
    print(row("/healthz during them", [health_ms]))
    print(row("reset, known address", known))
    print(row("reset, unknown address", unknown))
    difference = abs(statistics.median(known) - statistics.median(unknown))
    print(f"\nConnections the hung mail server saw during requests: {stall.accepted}")
    print(f"Median known − unknown: {difference:.2f} ms")

    failures = []
    if any(status != 302 for _, status in parallel) or health_status != 200:
        failures.append("unexpected status codes")
    if max(ms for ms, _ in parallel) > CHECK_SECONDS * 1000 or health_ms > CHECK_SECONDS * 1000:
        failures.append(f"a request took longer than {CHECK_SECONDS} s")
    if stall.accepted:
        failures.append("a web request talked to the mail server")
    if difference > CHECK_DIFFERENCE_MS:
        failures.append(f"known and unknown differ by more than {CHECK_DIFFERENCE_MS} ms")
    for failure in failures:
        print("CHECK FAILED:", failure)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
