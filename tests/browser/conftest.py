"""Real-browser journeys: the app on a free local port, Debian's Chromium through Playwright."""

import os
import shutil
import threading

import pytest
from werkzeug.serving import make_server

from lernpfad import create_app
from lernpfad.demo import load_demo
from lernpfad.extensions import db
from tests.conftest import empty_tables, skip_or_fail, test_config
from tests.mail import free_port

CHROMIUM = os.environ.get("LERNPFAD_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
DEMO_PASSWORD = "lernpfad-demo"


@pytest.fixture(scope="module")
def live_app(tmp_path_factory, server_database):
    """The app with the demo company and the real curriculum, for this test module."""
    folder = tmp_path_factory.mktemp("live")
    url = server_database or f"sqlite:///{folder / 'live.sqlite3'}"
    app = create_app(test_config(url, TESTING=False), instance_path=str(folder / "instance"))
    with app.app_context():
        db.create_all()
        load_demo(app.config["CONTENT_DIR"])  # the real curriculum
        db.session.commit()
    yield app
    with app.app_context():
        db.session.remove()
        if server_database:
            empty_tables()
        db.engine.dispose()


@pytest.fixture(scope="module")
def live_server(live_app):
    """The app served on a free local port."""
    server = make_server("127.0.0.1", free_port(), live_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(5)


@pytest.fixture(scope="module")
def browser():
    if not (os.path.exists(CHROMIUM) or shutil.which(CHROMIUM)):
        skip_or_fail(f"Chromium not found at {CHROMIUM} (Debian package 'chromium')")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server, locale="de-DE")
    # No request may leave for another host: record any that tries.
    foreign = []
    context.on(
        "request",
        lambda request: (
            foreign.append(request.url)
            if not request.url.startswith(live_server) and not request.url.startswith("data:")
            else None
        ),
    )
    tab = context.new_page()
    yield tab
    context.close()
    assert foreign == [], f"third-party requests: {foreign}"


def login(page, email, password=DEMO_PASSWORD):
    page.goto("/anmelden")
    page.get_by_label("E-Mail-Adresse").fill(email)
    page.get_by_label("Passwort", exact=True).fill(password)
    page.get_by_role("button", name="Anmelden").click()
