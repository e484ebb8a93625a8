"""Slow clients (issue 9, finding 11): connections that never finish their request.

Real processes: gunicorn with deploy/gunicorn.conf.py and nginx with deploy/nginx.conf (only
the ports replaced), on a SQLite database made by `flask db upgrade`. Two stalled connections
hold both sync workers until gunicorn's timeout; nginx in front, or gthread workers, keep
/healthz answering.
"""

import http.client
import importlib.util
import os
import shutil
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.conftest import skip_or_fail
from tests.mail import free_port

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
HOST = "lernpfad.example.org"  # server_name in deploy/nginx.conf
# Requests that stop halfway: in the header (no blank line yet) and in the body.
PARTIAL_HEADER = f"GET /healthz HTTP/1.1\r\nHost: {HOST}\r\n".encode()
PARTIAL_BODY = (
    f"POST /anmelden HTTP/1.1\r\nHost: {HOST}\r\nContent-Length: 1000\r\n"
    "Content-Type: application/x-www-form-urlencoded\r\n\r\nemail="
).encode()
ANSWER_WITHIN = 2.0  # seconds /healthz may take beside stalled connections
NGINX_MAIN = """\
{user}worker_processes 1;
pid {folder}/nginx.pid;
error_log {folder}/error.log;
events {{ worker_connections 256; }}
http {{
    access_log {folder}/access.log;
    client_body_temp_path {folder}/client_body;
    proxy_temp_path {folder}/proxy;
    fastcgi_temp_path {folder}/fastcgi;
    uwsgi_temp_path {folder}/uwsgi;
    scgi_temp_path {folder}/scgi;
    include {folder}/lernpfad.conf;
}}
"""


def ask(port: int, timeout: float, method="GET", path="/healthz", body=None):
    """One request: the response (None when none came within ``timeout``) and the seconds."""
    started = time.perf_counter()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request(method, path, body=body, headers={"Host": HOST})
        response = connection.getresponse()
        response.read()
    except TimeoutError:
        response = None
    finally:
        connection.close()
    return response, time.perf_counter() - started


def healthz(port: int, timeout: float) -> tuple[int | None, float]:
    """GET /healthz: the status (None: no answer within ``timeout``) and the seconds taken."""
    response, seconds = ask(port, timeout)
    return response and response.status, seconds


@contextmanager
def stalled(port: int, count: int, start: bytes = PARTIAL_HEADER):
    """``count`` connections that send the ``start`` of a request and then nothing."""
    sockets = []
    try:
        for _ in range(count):
            sockets.append(socket.create_connection(("127.0.0.1", port), timeout=5))
            sockets[-1].sendall(start)
        time.sleep(0.5)  # the server has accepted them
        yield
    finally:
        for sock in sockets:
            sock.close()


@contextmanager
def running(command: list[str], port: int, log: Path, env: dict | None = None):
    """A server process, ready once /healthz answers on ``port``; stopped afterwards."""
    with log.open("wb") as output:
        process = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT
        )
    try:
        deadline = time.monotonic() + 20
        while True:
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"{command[0]} did not start:\n{log.read_text()}")
            try:
                if healthz(port, timeout=1)[0] == 200:
                    break
            except OSError:
                pass  # not listening yet
            time.sleep(0.1)
        yield port
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def gunicorn(*options: str) -> list[str]:
    return [sys.executable, "-m", "gunicorn", "-c", str(DEPLOY / "gunicorn.conf.py"), *options]


@pytest.fixture(scope="module")
def environment(tmp_path_factory) -> dict:
    """A production run's environment behind the proxy (none of the caller's LERNPFAD_* and
    GUNICORN_*), on a migrated SQLite database."""
    if importlib.util.find_spec("gunicorn") is None:
        skip_or_fail("gunicorn is not installed (pip install -e '.[dev]')")
    folder = tmp_path_factory.mktemp("app")
    env = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("LERNPFAD_", "GUNICORN_"))
    }
    env.update(
        LERNPFAD_DATABASE_URL=f"sqlite:///{folder / 'lernpfad.sqlite3'}",
        LERNPFAD_SECRET_KEY="slow-clients",
        LERNPFAD_BASE_URL=f"https://{HOST}",
        LERNPFAD_PROXY_FIX="1",
        XDG_RUNTIME_DIR=str(folder),  # gunicorn's control socket (from 25.1) goes here
    )
    command = [sys.executable, "-m", "flask", "--app", "lernpfad", "db", "upgrade"]
    subprocess.run(command, cwd=ROOT, env=env, check=True, capture_output=True)
    return env


@pytest.fixture(scope="module")
def sync_gunicorn(environment, tmp_path_factory):
    """The finding's setup: two sync workers (one thread each: with more, gunicorn switches to
    gthread). Their timeout outlasts the 3 s the test waits."""
    port = free_port()
    options = ["-k", "sync", "-w", "2", "--threads", "1", "-t", "10", "-b", f"127.0.0.1:{port}"]
    log = tmp_path_factory.mktemp("gunicorn") / "gunicorn.log"
    with running(gunicorn(*options), port, log, environment):
        yield port


@pytest.fixture(scope="module")
def nginx(sync_gunicorn, tmp_path_factory):
    """nginx with deploy/nginx.conf on a free port, in front of ``sync_gunicorn``."""
    binary = shutil.which("nginx") or shutil.which("nginx", path="/usr/sbin")
    if binary is None:
        skip_or_fail("nginx not found (Debian package 'nginx')")
    folder = tmp_path_factory.mktemp("nginx")
    port = free_port()
    site = (DEPLOY / "nginx.conf").read_text()
    assert site.count("listen 80") == 2 and site.count("server 127.0.0.1:8000;") == 1
    site = site.replace("listen 80", f"listen 127.0.0.1:{port}")
    site = site.replace("server 127.0.0.1:8000;", f"server 127.0.0.1:{sync_gunicorn};")
    (folder / "lernpfad.conf").write_text(site)
    user = "user root;\n" if os.geteuid() == 0 else ""  # workers reach the temp folders
    (folder / "nginx.conf").write_text(NGINX_MAIN.format(user=user, folder=folder))
    command = [binary, "-p", str(folder), "-c", str(folder / "nginx.conf")]
    command += ["-e", "stderr", "-g", "daemon off;"]  # -e: errors before the config is read
    with running(command, port, folder / "nginx.out"):
        yield port


def test_nginx_keeps_stalled_clients_away_from_sync_workers(nginx):
    with stalled(nginx, 5), stalled(nginx, 5, PARTIAL_BODY):
        status, seconds = healthz(nginx, timeout=ANSWER_WITHIN + 3)
    print(f"nginx + 2 sync workers, 10 stalled connections: /healthz {status} in {seconds:.3f} s")
    assert status == 200
    assert seconds < ANSWER_WITHIN


def test_nginx_passes_bodies_up_to_the_app_limit(nginx):
    """2.5 MB, buffered in a temporary file, reach the app, which refuses them (MAX_CONTENT_LENGTH
    is 2 MiB): the 413 carries the app's headers, not nginx's."""
    response, _ = ask(nginx, 10, "POST", "/anmelden", b"email=" + b"a" * 2_500_000)
    assert response.status == 413
    assert response.getheader("Content-Security-Policy")


def test_without_a_proxy_two_stalled_clients_block_sync_workers(sync_gunicorn):
    """Why the proxy matters: this is the finding itself."""
    with stalled(sync_gunicorn, 2):
        status, seconds = healthz(sync_gunicorn, timeout=3)
    print(f"2 sync workers, 2 stalled connections: /healthz {status} after {seconds:.3f} s")
    assert status is None, "a stalled connection should hold a sync worker"
    status, seconds = healthz(sync_gunicorn, timeout=ANSWER_WITHIN)  # once they have gone
    assert status == 200


def test_gthread_workers_answer_beside_stalled_clients(environment, tmp_path):
    port = free_port()
    env = environment | {"GUNICORN_BIND": f"127.0.0.1:{port}"}
    with running(gunicorn(), port, tmp_path / "gunicorn.log", env), stalled(port, 4):
        status, seconds = healthz(port, timeout=ANSWER_WITHIN + 3)
    print(
        f"gthread 2 workers x 8 threads, 4 stalled connections: /healthz {status} in {seconds:.3f} s"
    )
    assert status == 200
    assert seconds < ANSWER_WITHIN
