"""The HTTP benchmark (bench/http_pages.py, bench/httpload.py): its arithmetic, its reading of /proc and
its HTTP client; the whole run against gunicorn is marked slow."""

import asyncio
import importlib.util
import math
import os
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def load(name: str, filename: str):
    if str(ROOT / "bench") not in sys.path:  # its neighbours, as when it runs as a script
        sys.path.append(str(ROOT / "bench"))
    spec = importlib.util.spec_from_file_location(name, ROOT / "bench" / filename)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


bench = load("bench_http", "http_pages.py")
httpload = sys.modules["httpload"]  # imported by bench/http_pages.py


@pytest.mark.parametrize(
    ("values", "q", "expected"),
    [
        ([1, 2, 3, 4], 50, 2.5),
        ([1, 2, 3, 4], 0, 1),
        ([1, 2, 3, 4], 100, 4),
        (list(range(1, 101)), 95, 95.05),
        (list(range(1, 101)), 99, 99.01),
        ([7], 99, 7),
    ],
)
def test_percentile_interpolates_between_ranks(values, q, expected):
    assert httpload.percentile(values, q) == pytest.approx(expected)


def test_percentile_of_nothing_is_not_a_number():
    assert math.isnan(httpload.percentile([], 50))


def test_stat_line_with_spaces_and_parentheses_in_the_name():
    # pid (comm) state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime stime …
    line = (
        "4242 (gunicorn: worker [x) y]) S 4200 4200 4200 0 -1 4194560 900 0 0 0 731 69 0 0 20 0 9"
    )
    assert httpload.parse_stat(line) == (4200, 800)


def test_stat_of_this_process_names_its_parent():
    ppid, ticks = httpload.parse_stat(Path("/proc/self/stat").read_text())
    assert ppid == os.getppid()
    assert ticks >= 0


def test_peak_rss_from_status():
    status = "Name:\tpython\nVmPeak:\t  900000 kB\nVmHWM:\t  123456 kB\nVmRSS:\t  100000 kB\n"
    assert httpload.parse_peak_rss_kb(status) == 123456
    with pytest.raises(ValueError):
        httpload.parse_peak_rss_kb("Name:\tkthreadd\n")


def test_cpu_between_snapshots_counts_new_processes_whole():
    before = {1: 100, 2: 50}
    after = {1: 150, 2: 70, 3: 30}  # 3: a worker started in between
    assert httpload.cpu_seconds_between(before, after, 100) == pytest.approx(1.0)


def test_server_processes_finds_a_child_and_its_cpu_and_memory():
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        processes = httpload.ServerProcesses(os.getpid())
        assert child.pid in processes.workers()
        ticks = processes.cpu_ticks()
        assert {os.getpid(), child.pid} <= set(ticks)
        assert ticks[os.getpid()] > 0  # this test process has run a while
        assert any(peak > 1 for peak in processes.peak_rss_mb())  # MB
    finally:
        child.kill()
        child.wait()


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (
            "lernpfad_session=abc.def; HttpOnly; Path=/; SameSite=Lax",
            ("lernpfad_session", "abc.def"),
        ),
        ("a=b=c; Path=/", ("a", "b=c")),
        (
            "lernpfad_session=; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; Path=/",
            ("lernpfad_session", None),
        ),
        ("x=1; max-age=0", ("x", None)),
        ("x=1; Max-Age=3600", ("x", "1")),
    ],
)
def test_set_cookie(header, expected):
    assert httpload.parse_set_cookie(header) == expected


def test_session_keeps_and_forgets_cookies():
    session = httpload.Session("anna@muster.example")
    session.remember(
        httpload.Response(302, [("set-cookie", "s=1; Path=/"), ("set-cookie", "d=2")], b"")
    )
    assert session.cookie_header() == "s=1; d=2"
    session.remember(httpload.Response(200, [("set-cookie", "s=; Max-Age=0")], b""))
    assert session.cookie_header() == "d=2"


def read(raw: bytes):
    async def parse():
        reader = asyncio.StreamReader()
        reader.feed_data(raw)
        reader.feed_eof()
        return await httpload.read_response(reader)

    return asyncio.run(parse())


def test_response_with_content_length_keeps_the_connection():
    response, keep_open = read(
        b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\nSet-Cookie: a=1\r\n\r\nhelloNEXT"
    )
    assert (response.status, response.body, keep_open) == (200, b"hello", True)
    assert response.cookies() == ["a=1"]


def test_chunked_response():
    raw = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n1;x=y\r\n!\r\n0\r\n\r\n"
    response, keep_open = read(raw)
    assert (response.body, keep_open) == (b"hello!", True)


def test_response_until_close():
    response, keep_open = read(b"HTTP/1.1 302 FOUND\r\nConnection: close\r\nLocation: /\r\n\r\nbye")
    assert (response.status, response.header("location"), response.body) == (302, "/", b"bye")
    assert keep_open is False


def test_connection_sends_again_when_the_server_closed_a_kept_connection():
    """A server that closes every connection after one answer, without saying so: the second
    request finds the kept connection closed and goes out again on a new one."""
    seen = []

    async def answer_once(reader, writer):
        seen.append(await reader.readuntil(b"\r\n\r\n"))
        writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")
        await writer.drain()
        writer.close()

    async def scenario():
        server = await asyncio.start_server(answer_once, "127.0.0.1", 0)
        port = server.sockets[0].getsockname()[1]
        connection = httpload.Connection(port)
        try:
            first = await connection.request("GET", "/healthz")
            await asyncio.sleep(0.05)  # the server's close arrives
            second = await connection.request("POST", "/anmelden", "s=1", {"email": "a@b"})
        finally:
            connection.close()
            server.close()
        return first, second, port

    first, second, port = asyncio.run(scenario())
    assert (first.body, second.body) == (b"ok", b"ok")
    assert len(seen) == 2
    assert seen[0].startswith(b"GET /healthz HTTP/1.1\r\n")
    assert f"Host: 127.0.0.1:{port}\r\n".encode() in seen[0]
    assert b"Cookie: s=1\r\n" in seen[1]
    assert b"Content-Length: 11\r\n" in seen[1]  # email=a%40b


def test_csrf_token_from_the_login_form():
    form = b'<form method="post"><input id="csrf_token" name="csrf_token" type="hidden" value="Ijk.x-Y"></form>'
    assert bench.csrf_token(form) == "Ijk.x-Y"
    assert bench.csrf_token(b"<p>no form</p>") == ""


def test_sqlite_always_and_postgresql_when_the_tests_use_it():
    postgres = "postgresql+psycopg://postgres@127.0.0.1:5432/lernpfad_x"
    assert bench.databases(None, {}) == [None]
    assert bench.databases(None, {"LERNPFAD_TEST_DATABASE_URL": postgres}) == [None, postgres]
    assert bench.databases(
        "sqlite:////tmp/x.sqlite3", {"LERNPFAD_TEST_DATABASE_URL": postgres}
    ) == ["sqlite:////tmp/x.sqlite3"]


def test_pages_option_keeps_the_ceiling():
    args = bench.parse_arguments(["--pages", "login", "dashboard"])
    assert [page.name for page in bench.chosen_pages(args)] == ["healthz", "dashboard", "login"]
    with pytest.raises(SystemExit):
        bench.parse_arguments(["--pages", "nonsense"])


def row(name: str, latencies: list[float], seconds: float, outcomes: Counter, expected=200):
    page = next(page for page in bench.PAGES if page.name == name)
    measured = httpload.Measured(seconds, latencies, outcomes)
    return bench.Row(
        page, measured, expected, server_cpu=0.5, client_cpu=0.1, peak_rss_mb=[90, 120.4]
    )


def test_report_table_compares_each_page_with_the_ceiling():
    rows = [
        row("healthz", [0.001] * 100, 1.0, Counter({200: 100})),
        row(
            "dashboard", [0.010] * 24 + [0.050], 1.0, Counter({200: 25, 500: 2, "TimeoutError": 1})
        ),
    ]
    lines = bench.report_table(rows).splitlines()
    assert lines[0].startswith("| page ")
    cells = [cell.strip() for cell in lines[3].strip("|").split("|")]
    # page, req/s, p50, p95, p99, server CPU ms/req, peak RSS MB, of ceiling, errors, client CPU
    assert cells == [
        "learner dashboard",
        "25.0",
        "10.0",
        "10.0",
        "40.4",
        "20.0",
        "120",
        "25%",
        "3",
        "4.00",
    ]
    assert rows[1].errors == Counter({500: 2, "TimeoutError": 1})


def test_report_table_names_the_postgresql_cpu_when_measured():
    rows = [row("healthz", [0.001] * 10, 1.0, Counter({200: 10}))]
    rows[0].database_cpu = 0.025
    head, _rule, line = bench.report_table(rows).splitlines()
    assert head.split("|")[-2].strip() == "PostgreSQL CPU ms/req"
    assert line.split("|")[-2].strip() == "2.5"


@pytest.mark.slow
def test_tiny_run_against_gunicorn_answers_every_page(tmp_path):
    if importlib.util.find_spec("gunicorn") is None:
        from tests.conftest import skip_or_fail

        skip_or_fail("gunicorn is not installed (pip install -e '.[dev]')")
    env = {k: v for k, v in os.environ.items() if k != "LERNPFAD_TEST_DATABASE_URL"}
    env["TMPDIR"] = str(tmp_path)
    pages = ["dashboard", "module", "staff-list", "login"]
    command = [
        sys.executable,
        "bench/http_pages.py",
        "--staff",
        "50",
        "--seconds",
        "1",
        "--warmup",
        "0",
    ]
    command += ["--learners", "5", "--pages", *pages]
    result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    table = {
        cells[0]: cells
        for line in result.stdout.splitlines()
        if line.startswith("| ") and not line.startswith("| page ")
        for cells in [[cell.strip() for cell in line.strip("|").split("|")]]
    }
    labels = [page.label for page in bench.PAGES if page.name in ["healthz", *pages]]
    assert sorted(table) == sorted(labels)
    for label in labels:
        assert float(table[label][1].replace(",", "")) > 0, label  # req/s
        assert table[label][8] == "0", label  # errors
    assert "62 people" in result.stdout  # 50 staff + the 12 named demo people
