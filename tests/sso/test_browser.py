"""SSO in real Chromium: the login page's button, the provider's login page, the dashboard."""

import threading

import pytest
from playwright.sync_api import expect
from werkzeug.serving import make_server

from lernpfad import create_app
from lernpfad.demo import DEMO_LOGINS
from lernpfad.extensions import db
from lernpfad.sso import provider as provider_cache
from tests import conftest as suite
from tests.browser.conftest import browser  # noqa: F401 (the fixture)
from tests.helpers import make_person
from tests.mail import free_port
from tests.sso.conftest import running_provider

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def sso_site(tmp_path_factory, server_database):
    """The app on a free port with the demo person Anna Berger (only her: the whole demo company
    takes seconds), with SSO against the test provider."""
    folder = tmp_path_factory.mktemp("sso-live")
    base = f"http://127.0.0.1:{free_port()}"
    with running_provider([base], folder) as provider:
        url = server_database or f"sqlite:///{folder / 'live.sqlite3'}"
        app = create_app(
            suite.test_config(url, TESTING=False, BASE_URL=base, **provider.config()),
            instance_path=str(folder / "instance"),
        )
        with app.app_context():
            db.create_all()
            email, name, department, job, _roles, _note = next(
                entry for entry in DEMO_LOGINS if entry[0] == "anna@muster.example"
            )
            make_person(email, name=name, department_name=department, job_function=job)
            db.session.commit()
        server = make_server("127.0.0.1", int(base.rsplit(":", 1)[1]), app, threaded=True)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        yield base, provider
        server.shutdown()
        thread.join(5)
        with app.app_context():
            db.session.remove()
            if server_database:
                suite.empty_tables()
            db.engine.dispose()
    provider_cache.forget_provider()


def test_signing_in_with_the_company_account_lands_on_the_dashboard(browser, sso_site):  # noqa: F811
    base, provider = sso_site
    context = browser.new_context(base_url=base, locale="de-DE")
    # No page of the app may load anything from another host (the provider's own development
    # login page asks for a web font; that page is not ours).
    elsewhere = []
    context.on(
        "request",
        lambda request: (
            elsewhere.append(request.url)
            if request.frame.url.startswith(base)
            and not request.url.startswith((base, provider.issuer, "data:"))
            else None
        ),
    )
    page = context.new_page()
    try:
        page.goto("/anmelden")
        page.get_by_text("Mit Firmenkonto anmelden").click()
        page.locator('input[name="login"]').fill("anna")  # the provider's own login page
        page.locator('input[name="password"]').fill("beliebig")
        page.get_by_role("button", name="Sign-in").click()
        expect(page.get_by_role("heading", name="Guten Tag, Anna Berger")).to_be_visible()
        assert page.url == base + "/"
        # Logout ends the provider's session too and comes back to the login page.
        page.get_by_role("button", name="Abmelden").click()
        page.wait_for_url(f"{provider.issuer}/**")
    finally:
        context.close()
    assert elsewhere == []
