"""A small load client for benchmarks over real HTTP, and what the server's processes used.

Keep-alive HTTP/1.1 connections on asyncio streams, each sending one request after another
(`send_all`); sessions that keep the cookies the server sets; the server's CPU time and peak
memory from /proc (Linux); percentiles and a Markdown table for the report. No third-party
packages, so the client costs little CPU beside the server on a small machine.
"""

import asyncio
import math
import os
import re
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

REQUEST_TIMEOUT = 120.0  # seconds; a request taking longer counts as an error
USER_AGENT = "lernpfad-bench-http"


# --- statistics, /proc, cookies -------------------------------------------------------------------


def percentile(ordered: Sequence[float], q: float) -> float:
    """The q-th percentile (0–100) of ascending values, interpolated linearly between ranks."""
    if not ordered:
        return math.nan
    rank = (len(ordered) - 1) * q / 100
    low = math.floor(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def parse_stat(text: str) -> tuple[int, int]:
    """(parent pid, CPU clock ticks in user plus system mode) from a /proc/<pid>/stat line."""
    fields = text[text.rindex(")") + 2 :].split()  # the name in parentheses may hold spaces
    return int(fields[1]), int(fields[11]) + int(fields[12])


def parse_peak_rss_kb(status: str) -> int:
    """VmHWM (peak resident set size) in kB from /proc/<pid>/status."""
    for line in status.splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    raise ValueError("no VmHWM line")


def cpu_seconds_between(before: dict[int, int], after: dict[int, int], hertz: int) -> float:
    """CPU seconds used between two snapshots {pid: ticks}; a process new in `after` counts whole."""
    return sum(ticks - before.get(pid, 0) for pid, ticks in after.items()) / hertz


def parse_set_cookie(header: str) -> tuple[str, str | None]:
    """(name, value) of one Set-Cookie header; the value is None when the cookie is deleted."""
    pair, *attributes = header.split(";")
    name, _, value = pair.strip().partition("=")
    for attribute in attributes:
        key, _, setting = attribute.strip().partition("=")
        key = key.lower()
        if key == "max-age" and setting.strip().lstrip("-").isdigit() and int(setting) <= 0:
            return name, None
        if key == "expires" and "1970" in setting:
            return name, None
    return name, value


# --- the server's processes -----------------------------------------------------------------------


class ServerProcesses:
    """The gunicorn master and its workers, read from /proc."""

    def __init__(self, master: int):
        self.master = master
        self.hertz = os.sysconf("SC_CLK_TCK")

    def _stats(self) -> dict[int, tuple[int, int]]:
        found = {}
        for entry in os.listdir("/proc"):
            if entry.isdigit():
                try:
                    found[int(entry)] = parse_stat(Path(f"/proc/{entry}/stat").read_text())
                except (OSError, ValueError, IndexError):
                    pass  # gone meanwhile, or not ours to read
        return found

    def workers(self) -> list[int]:
        return sorted(pid for pid, (ppid, _) in self._stats().items() if ppid == self.master)

    def cpu_ticks(self) -> dict[int, int]:
        return {
            pid: ticks
            for pid, (ppid, ticks) in self._stats().items()
            if pid == self.master or ppid == self.master
        }

    def reset_peaks(self) -> bool:
        """Start each worker's VmHWM afresh (Linux ≥ 4.0); False where that is not allowed."""
        try:
            for pid in self.workers():
                Path(f"/proc/{pid}/clear_refs").write_text("5")
        except OSError:
            return False
        return True

    def peak_rss_mb(self) -> list[float]:
        peaks = []
        for pid in self.workers():
            try:
                peaks.append(parse_peak_rss_kb(Path(f"/proc/{pid}/status").read_text()) / 1024)
            except (OSError, ValueError):
                pass
        return peaks


class PostgresBackends:
    """The PostgreSQL processes serving one database, when it runs on this machine: its own CPU,
    outside the workers. Approximate: a backend that ends between two snapshots is missed."""

    def __init__(self, url: str):
        import psycopg

        self.connection = psycopg.connect(re.sub(r"^postgresql\+\w+://", "postgresql://", url))
        self.connection.autocommit = True
        self.hertz = os.sysconf("SC_CLK_TCK")

    def cpu_ticks(self) -> dict[int, int]:
        query = (
            "SELECT pid FROM pg_stat_activity"
            " WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        ticks = {}
        for (pid,) in self.connection.execute(query):
            try:
                ticks[pid] = parse_stat(Path(f"/proc/{pid}/stat").read_text())[1]
            except (OSError, ValueError, IndexError):
                pass  # ended meanwhile, or on another machine
        return ticks

    def close(self) -> None:
        self.connection.close()


# --- a small HTTP/1.1 client ----------------------------------------------------------------------


class ConnectionLost(Exception):
    """The server closed the connection before answering."""


@dataclass
class Response:
    status: int
    headers: list[tuple[str, str]]  # names in lower case
    body: bytes

    def header(self, name: str) -> str | None:
        values = [value for key, value in self.headers if key == name]
        return values[-1] if values else None

    def cookies(self) -> list[str]:
        return [value for key, value in self.headers if key == "set-cookie"]


async def read_response(reader: asyncio.StreamReader) -> tuple[Response, bool]:
    """One response and whether the connection stays open afterwards."""
    line = await reader.readline()
    if not line:
        raise ConnectionLost
    status = int(line.split()[1])
    headers = []
    while (line := await reader.readline()) not in (b"\r\n", b"\n", b""):
        name, _, value = line.decode("latin-1").partition(":")
        headers.append((name.strip().lower(), value.strip()))
    response = Response(status, headers, b"")
    keep_open = (response.header("connection") or "").lower() != "close"
    if "chunked" in (response.header("transfer-encoding") or "").lower():
        chunks = []
        while size := int((await reader.readline()).split(b";")[0], 16):
            chunks.append(await reader.readexactly(size))
            await reader.readexactly(2)
        while (await reader.readline()) not in (b"\r\n", b"\n", b""):
            pass  # trailers
        response.body = b"".join(chunks)
    elif (length := response.header("content-length")) is not None:
        response.body = await reader.readexactly(int(length))
    else:
        response.body = await reader.read()  # until the server closes
        keep_open = False
    return response, keep_open


class Connection:
    """One keep-alive connection; reopened when the server has closed it."""

    def __init__(self, port: int):
        self.port = port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def request(
        self, method: str, target: str, cookies: str = "", form: dict | None = None
    ) -> Response:
        body = urlencode(form).encode() if form is not None else b""
        lines = [
            f"{method} {target} HTTP/1.1",
            f"Host: 127.0.0.1:{self.port}",
            f"User-Agent: {USER_AGENT}",
            "Accept: text/html",
            "Accept-Language: de",
        ]
        if cookies:
            lines.append(f"Cookie: {cookies}")
        if form is not None:
            lines += [
                "Content-Type: application/x-www-form-urlencoded",
                f"Content-Length: {len(body)}",
            ]
        message = ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body
        for attempt in (1, 2):
            reused = self.writer is not None
            if not reused:
                self.reader, self.writer = await asyncio.open_connection("127.0.0.1", self.port)
            try:
                self.writer.write(message)
                response, keep_open = await read_response(self.reader)
            except (ConnectionLost, ConnectionResetError, BrokenPipeError):
                self.close()
                if reused and attempt == 1:
                    continue  # the server closed an idle connection just now: once more
                raise
            if not keep_open:
                self.close()
            return response
        raise AssertionError("unreachable")

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None


@dataclass
class Session:
    """One signed-in person's cookies, and the values their page paths name."""

    email: str | None = None
    values: dict = field(default_factory=dict)
    cookies: dict[str, str] = field(default_factory=dict)

    def cookie_header(self) -> str:
        return "; ".join(f"{name}={value}" for name, value in self.cookies.items())

    def remember(self, response: Response) -> None:
        for header in response.cookies():
            name, value = parse_set_cookie(header)
            if value is None:
                self.cookies.pop(name, None)
            else:
                self.cookies[name] = value


@dataclass
class Job:
    session: Session
    method: str
    target: str
    form: dict | None = None
    then: Callable[[Response], None] | None = None


@dataclass
class Measured:
    seconds: float
    latencies: list[float] = field(default_factory=list)
    outcomes: Counter = field(default_factory=Counter)  # status code, or the error's name


async def send_all(
    connections: list[Connection], next_job: Callable[[], Job | None], until: float | None
) -> Measured:
    """Every connection sends next_job()'s requests, one after another, until the clock reaches
    `until` (or next_job returns None)."""
    measured = Measured(0.0)

    async def keep_sending(connection: Connection) -> None:
        while until is None or time.perf_counter() < until:
            job = next_job()
            if job is None:
                return
            started = time.perf_counter()
            try:
                response = await asyncio.wait_for(
                    connection.request(
                        job.method, job.target, job.session.cookie_header(), job.form
                    ),
                    REQUEST_TIMEOUT,
                )
            except (
                OSError,
                ValueError,
                ConnectionLost,
                TimeoutError,
                asyncio.IncompleteReadError,
            ) as error:
                connection.close()
                measured.outcomes[type(error).__name__] += 1
                continue
            measured.latencies.append(time.perf_counter() - started)
            measured.outcomes[response.status] += 1
            job.session.remember(response)
            if job.then is not None:
                job.then(response)

    started = time.perf_counter()
    await asyncio.gather(*(keep_sending(connection) for connection in connections))
    measured.seconds = time.perf_counter() - started
    return measured


def client_cpu_seconds() -> float:
    times = os.times()
    return times.user + times.system


def markdown_table(head: Sequence[str], rows: list[Sequence[str]], left: int = 1) -> str:
    """A Markdown table; the first `left` columns left-aligned, the others right-aligned."""
    widths = [max(len(str(cell)) for cell in column) for column in zip(head, *rows, strict=True)]

    def line(cells: Sequence[str]) -> str:
        return (
            "| "
            + " | ".join(
                cell.ljust(width) if i < left else cell.rjust(width)
                for i, (cell, width) in enumerate(zip(cells, widths, strict=True))
            )
            + " |"
        )

    rule = (
        "|"
        + "|".join(
            ("-" * (w + 2)) if i < left else ("-" * (w + 1) + ":") for i, w in enumerate(widths)
        )
        + "|"
    )
    return "\n".join([line(head), rule, *(line(row) for row in rows)])
