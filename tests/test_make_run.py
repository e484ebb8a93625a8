"""`make run PORT=…` serves on that port and prints the address it serves (issue: port 5000 was
hard-coded and the demo command announced it even when nothing was served there); the scheduler
runs beside the web server and Ctrl-C stops both."""

import os
import re
import signal
import subprocess
import time
import urllib.request
from pathlib import Path

from tests.mail import free_port

ROOT = Path(__file__).resolve().parent.parent


def test_make_run_serves_the_demo_on_the_port_asked_for(tmp_path):
    port = free_port()
    env = {
        **os.environ,
        "LERNPFAD_DATABASE_URL": f"sqlite:///{tmp_path / 'run.sqlite3'}",
    }
    env.pop("LERNPFAD_BASE_URL", None)
    process = subprocess.Popen(
        ["make", "-s", "run", f"PORT={port}"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    output = []
    try:
        deadline = time.monotonic() + 120
        status = None
        while time.monotonic() < deadline and status is None:
            time.sleep(0.5)
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/anmelden", timeout=2) as r:
                    status = r.status
            except OSError:
                if process.poll() is not None:
                    break
        assert status == 200
    finally:
        os.killpg(process.pid, signal.SIGINT)
        try:
            rest, _ = process.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            rest, _ = process.communicate()
        output.append(rest)
    text = "".join(output)
    assert "Zeitplan gestartet: outbox" in text
    # Ctrl-C ends every process make started, web server and scheduler; on a loaded machine
    # they may finish their shutdown a moment after make itself.
    left = True
    deadline = time.monotonic() + 20
    while left and time.monotonic() < deadline:
        try:
            os.killpg(process.pid, 0)
            time.sleep(0.2)
        except ProcessLookupError:
            left = False
    assert not left
    assert f"Lernpfad läuft gleich auf http://127.0.0.1:{port}" in text
    assert "hr@muster.example" in text  # the demo logins are printed
    # … and the demo champion's certificate, to check from outside
    assert f"Zertifikat von champion@muster.example prüfen: http://127.0.0.1:{port}/verify/" in text
    assert not re.search(r"127\.0\.0\.1:5000\b", text)
