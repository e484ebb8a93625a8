"""Scale-out (issue 13): two app hosts on one PostgreSQL database behind one address.

Real processes: two gunicorns with deploy/gunicorn.conf.py, each with an instance folder of its
own, the same LERNPFAD_SECRET_KEY and the same LERNPFAD_CREDENTIAL_KEY_FILE, and nginx with
deploy/nginx.conf whose upstream lists both (round robin) as the one public address. The
database is built as in production: `flask db upgrade`, then `flask lernpfad demo`.

Every limit lives in the database, so it counts requests to either host: checked by alternating
between the two hosts directly and by going through nginx. Direct requests say which client they
come from in X-Forwarded-For (the app trusts one proxy hop, LERNPFAD_PROXY_FIX=1), so that each
test counts against a client of its own; through nginx every request comes from 127.0.0.1.
"""

import http.client
import json
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

import jwt as pyjwt
import pytest
import sqlalchemy as sa

from tests.conftest import skip_or_fail
from tests.mail import free_port
from tests.slow.test_slow_clients import DEPLOY, HOST, NGINX_MAIN, ROOT, gunicorn, running

pytestmark = pytest.mark.slow

DATABASE_URL = os.environ.get("LERNPFAD_TEST_DATABASE_URL")
BASE_URL = f"https://{HOST}"
PASSWORD = "lernpfad-demo"  # lernpfad.demo.DEMO_PASSWORD
FREE_FAILURES = 3
VERIFY_LIMIT = 4
RESET_PER_ADDRESS = 2
RESET_PER_CLIENT = 5
# Limits set low, waits set long (a throttled client stays throttled for the whole test).
LIMITS = {
    "LERNPFAD_LOGIN_FREE_FAILURES": str(FREE_FAILURES),
    "LERNPFAD_LOGIN_DELAY_BASE_SECONDS": "600",
    "LERNPFAD_VERIFY_LIMIT_PER_CLIENT": str(VERIFY_LIMIT),
    "LERNPFAD_RESET_LIMIT_PER_ADDRESS": str(RESET_PER_ADDRESS),
    "LERNPFAD_RESET_LIMIT_PER_CLIENT": str(RESET_PER_CLIENT),
}
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


@dataclass
class Answer:
    status: int
    text: str


class Browser:
    """One client: its cookies go to whichever port it asks (all serve the one public name).
    ``address``: the client address it claims on direct requests (nginx overwrites it)."""

    def __init__(self, address: str | None = None):
        self.cookies: dict[str, str] = {}
        self.address = address

    def request(self, port: int, method: str, path: str, form: dict | None = None) -> Answer:
        headers = {"Host": HOST}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if self.address:
            headers["X-Forwarded-For"] = self.address
        body = None
        if form is not None:
            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            text = response.read().decode("utf-8", "replace")
        finally:
            connection.close()
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                if morsel["max-age"] == "0" or not morsel.value:
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value
        return Answer(response.status, text)

    def get(self, port: int, path: str) -> Answer:
        return self.request(port, "GET", path)

    def submit(self, port: int, path: str, form: dict) -> Answer:
        """POST ``form`` to ``path`` with the CSRF token of the form page."""
        page = self.get(port, path)
        (token,) = CSRF.findall(page.text)[:1]
        return self.request(port, "POST", path, {"csrf_token": token, **form})

    def login(self, port: int, email: str, password: str = PASSWORD) -> Answer:
        return self.submit(port, "/anmelden", {"email": email, "password": password})


@dataclass(frozen=True)
class Hosts:
    a: int
    b: int
    proxy: int
    proxy_log: Path
    instances: tuple[Path, Path]


@pytest.fixture(scope="module")
def database():
    """The PostgreSQL test database, emptied before and after (the app's migrations build it)."""
    if not DATABASE_URL or not DATABASE_URL.startswith("postgresql"):
        skip_or_fail("scale-out needs PostgreSQL: set LERNPFAD_TEST_DATABASE_URL")
    engine = sa.create_engine(DATABASE_URL)

    def empty():
        with engine.begin() as connection:
            connection.execute(sa.text("DROP SCHEMA public CASCADE"))
            connection.execute(sa.text("CREATE SCHEMA public"))

    try:
        empty()
    except sa.exc.OperationalError as error:
        skip_or_fail(f"PostgreSQL not reachable at {DATABASE_URL}: {error}")
    yield engine
    engine.dispose()
    empty()
    engine.dispose()


@pytest.fixture(scope="module")
def environment(database, tmp_path_factory) -> dict:
    """What every host gets: the database, the same secret key and credential key file, the
    public address behind the proxy, the low limits; the database migrated and with the demo."""
    shared = tmp_path_factory.mktemp("shared")
    key_file = shared / "credential_signing_key.pem"
    openssl = shutil.which("openssl")
    if openssl is None:
        skip_or_fail("openssl not found (the README makes the shared key with it)")
    command = [openssl, "genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:3072"]
    subprocess.run([*command, "-out", str(key_file)], check=True, capture_output=True)
    key_file.chmod(0o600)
    env = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("LERNPFAD_", "GUNICORN_"))
    }
    env.update(
        LIMITS,
        LERNPFAD_DATABASE_URL=DATABASE_URL,
        LERNPFAD_SECRET_KEY="scale-out-shared-secret",
        LERNPFAD_CREDENTIAL_KEY_FILE=str(key_file),
        LERNPFAD_BASE_URL=BASE_URL,
        LERNPFAD_PROXY_FIX="1",
        LERNPFAD_COMPANY_NAME="Muster GmbH",
    )
    setup = tmp_path_factory.mktemp("setup")
    flask = [
        sys.executable,
        "-m",
        "flask",
        "--app",
        f"lernpfad:create_app(instance_path={str(setup)!r})",
    ]
    for step in (["db", "upgrade"], ["lernpfad", "demo"]):
        done = subprocess.run([*flask, *step], cwd=ROOT, env=env, capture_output=True, text=True)
        assert done.returncode == 0, done.stdout + done.stderr
    return env


@pytest.fixture(scope="module")
def hosts(environment, tmp_path_factory):
    """Host A and host B (gunicorn, each with its own instance folder) and nginx in front."""
    binary = shutil.which("nginx") or shutil.which("nginx", path="/usr/sbin")
    if binary is None:
        skip_or_fail("nginx not found (Debian package 'nginx')")
    ports, instances = [], []
    with_hosts = []
    for name in ("a", "b"):
        folder = tmp_path_factory.mktemp(f"host-{name}")
        port = free_port()
        env = environment | {"GUNICORN_BIND": f"127.0.0.1:{port}", "XDG_RUNTIME_DIR": str(folder)}
        app = f"lernpfad:create_app(instance_path={str(folder / 'instance')!r})"
        with_hosts.append(running(gunicorn(app), port, folder / "gunicorn.log", env))
        ports.append(port)
        instances.append(folder / "instance")
    folder = tmp_path_factory.mktemp("nginx")
    proxy = free_port()
    site = (DEPLOY / "nginx.conf").read_text()
    assert site.count("listen 80") == 2 and site.count("server 127.0.0.1:8000;") == 1
    site = site.replace("listen 80", f"listen 127.0.0.1:{proxy}")
    upstream = "\n    ".join(f"server 127.0.0.1:{port};" for port in ports)
    site = site.replace("server 127.0.0.1:8000;", upstream)
    (folder / "lernpfad.conf").write_text(site)
    user = "user root;\n" if os.geteuid() == 0 else ""
    main = NGINX_MAIN.replace(
        "access_log {folder}/access.log;",
        "log_format upstream '$request_uri $status $upstream_addr';\n"
        "    access_log {folder}/access.log upstream;",
    )
    (folder / "nginx.conf").write_text(main.format(user=user, folder=folder))
    command = [binary, "-p", str(folder), "-c", str(folder / "nginx.conf")]
    command += ["-e", "stderr", "-g", "daemon off;"]
    with with_hosts[0], with_hosts[1], running(command, proxy, folder / "nginx.out"):
        yield Hosts(
            a=ports[0],
            b=ports[1],
            proxy=proxy,
            proxy_log=folder / "access.log",
            instances=(instances[0], instances[1]),
        )


def upstreams(hosts: Hosts, path: str) -> list[str]:
    """The app host (address:port) nginx passed each request for ``path`` to, in order."""
    lines = hosts.proxy_log.read_text().splitlines()
    return [line.split()[2] for line in lines if line.split()[0] == path]


def certificate(database) -> tuple[int, str]:
    """The demo champion's certificate: its number and verification code."""
    with database.connect() as connection:
        return connection.execute(
            sa.text(
                "SELECT c.id, c.code FROM certificates c JOIN people p ON p.id = c.person_id "
                "WHERE p.email = 'champion@muster.example' AND c.revoked_at IS NULL "
                "ORDER BY c.id DESC LIMIT 1"
            )
        ).one()


def without_tokens(page: str) -> str:
    """The page without its CSRF tokens (signed with a timestamp, so they differ per request)."""
    return CSRF.sub('name="csrf_token" value=""', page)


def test_the_one_address_passes_requests_to_both_hosts(hosts):
    for _ in range(4):
        assert Browser().get(hosts.proxy, "/healthz?spread").status == 200
    used = upstreams(hosts, "/healthz?spread")
    assert set(used) == {f"127.0.0.1:{hosts.a}", f"127.0.0.1:{hosts.b}"}


def test_a_session_signed_in_on_a_works_on_b_and_ends_everywhere(hosts):
    browser = Browser()  # no address claimed: 127.0.0.1 directly and through nginx alike
    signed_in = browser.login(hosts.a, "anna@muster.example")
    assert signed_in.status == 302, signed_in.text
    for port in (hosts.b, hosts.proxy, hosts.proxy, hosts.a):
        page = browser.get(port, "/")
        assert page.status == 200 and "Anna Berger" in page.text
    # A form from host A is accepted by host B (the CSRF token is in the shared session).
    page = browser.get(hosts.a, "/")
    (token,) = CSRF.findall(page.text)[:1]
    kept = Browser()
    kept.cookies = dict(browser.cookies)
    signed_out = browser.request(hosts.b, "POST", "/abmelden", {"csrf_token": token})
    assert signed_out.status == 302
    # The session cookie from before signing out on B is worthless on A too.
    assert kept.get(hosts.a, "/").status == 302


def failures_until_refused(browser: Browser, ports: list[int], email: str) -> int:
    """Wrong passwords for ``email``, cycling through ``ports``: the attempt that gets 429."""
    for attempt in range(1, 3 * FREE_FAILURES):
        answer = browser.login(ports[attempt % len(ports)], email, "falsch-falsch-falsch")
        if answer.status == 429:
            return attempt
        assert answer.status == 401
    pytest.fail(f"no 429 within {attempt} failed logins for {email}")


def test_login_throttling_counts_failures_on_both_hosts(hosts):
    one_host = failures_until_refused(Browser("198.51.100.10"), [hosts.a], "gf@muster.example")
    assert one_host == FREE_FAILURES + 1
    browser = Browser("198.51.100.11")
    alternating = failures_until_refused(
        browser, [hosts.a, hosts.b], "leitung.vertrieb@muster.example"
    )
    assert alternating == one_host
    # Now even the right password waits, on either host.
    for port in (hosts.a, hosts.b):
        assert browser.login(port, "leitung.vertrieb@muster.example").status == 429
    # Through the one address (nginx alternates by itself) the count is the same.
    before = len(upstreams(hosts, "/anmelden"))
    through_proxy = failures_until_refused(Browser(), [hosts.proxy], "hr@muster.example")
    print(
        f"login throttling: 429 at attempt {one_host} on host A alone, {alternating} alternating"
        f" A/B, {through_proxy} through nginx"
    )
    assert through_proxy == one_host
    assert len(set(upstreams(hosts, "/anmelden")[before:])) == 2


def test_the_verification_page_limit_is_shared(hosts, database):
    _, code = certificate(database)
    browser = Browser("198.51.100.20")
    statuses = [browser.get((hosts.a, hosts.b)[n % 2], f"/verify/{code}").status for n in range(6)]
    assert statuses == [200] * VERIFY_LIMIT + [429] * (6 - VERIFY_LIMIT)
    # The JSON status counts against the same limit.
    assert browser.get(hosts.a, f"/verify/{code}.json").status == 429
    # Through the one address: a client of its own (127.0.0.1), spread over both hosts by nginx.
    statuses = [Browser().get(hosts.proxy, f"/verify/{code}").status for _ in range(6)]
    assert statuses == [200] * VERIFY_LIMIT + [429] * (6 - VERIFY_LIMIT)
    assert len(set(upstreams(hosts, f"/verify/{code}"))) == 2


def test_forgot_password_limits_are_shared(hosts, database):
    browser = Browser("198.51.100.30")
    ports = [hosts.a, hosts.b]
    for n in range(2 * RESET_PER_ADDRESS):
        answer = browser.submit(
            ports[n % 2], "/passwort-vergessen", {"email": "neu@muster.example"}
        )
        assert answer.status == 302  # the same answer whether the limit was reached or not
    with database.connect() as connection:
        statuses = (
            connection.execute(
                sa.text(
                    "SELECT status FROM reset_requests WHERE email = 'neu@muster.example' ORDER BY id"
                )
            )
            .scalars()
            .all()
        )
    # Only the first RESET_PER_ADDRESS become mails; the others were counted on either host.
    assert statuses == ["pending"] * RESET_PER_ADDRESS + ["limited"] * RESET_PER_ADDRESS
    # The per-client limit: the client's requests on both hosts together.
    form = {"email": "someone@muster.example"}
    for port in ports[: RESET_PER_CLIENT - 2 * RESET_PER_ADDRESS]:
        assert browser.submit(port, "/passwort-vergessen", form).status == 302
    for port in ports:
        assert browser.submit(port, "/passwort-vergessen", form).status == 429


def test_a_page_is_the_same_on_both_hosts(hosts, database):
    browser = Browser()
    assert browser.login(hosts.b, "anna@muster.example").status == 302
    for path in ("/", "/lernpfad/", "/module/grundlagen-was-ist-generative-ki"):
        pages = [browser.get(port, path) for port in (hosts.a, hosts.b, hosts.proxy)]
        assert {page.status for page in pages} == {200}, path
        assert len({without_tokens(page.text) for page in pages}) == 1, path
    _, code = certificate(database)
    public = Browser("198.51.100.40")
    pages = [public.get(port, f"/verify/{code}").text for port in (hosts.a, hosts.b)]
    assert pages[0] == pages[1] and "Chris Martens" in pages[0]


def test_a_credential_from_host_a_verifies_against_host_b(hosts, database):
    certificate_id, _ = certificate(database)
    ports = (hosts.a, hosts.b, hosts.proxy, hosts.proxy)
    jwks = [Browser().get(port, "/.well-known/jwks.json") for port in ports]
    assert {answer.status for answer in jwks} == {200}
    assert len({answer.text for answer in jwks}) == 1
    browser = Browser()
    assert browser.login(hosts.a, "champion@muster.example").status == 302
    downloaded = browser.get(hosts.a, f"/zertifizierung/zertifikat/{certificate_id}.jwt")
    assert downloaded.status == 200
    token = downloaded.text
    kid = pyjwt.get_unverified_header(token)["kid"]
    published = pyjwt.PyJWKSet.from_dict(json.loads(jwks[1].text))
    claims = pyjwt.decode(token, key=published[kid].key, algorithms=["RS256"])
    assert claims["sub"]  # the holder's id (made with the shared secret key)
    # The kid names the key at the public address; host B serves it there.
    assert kid.startswith(f"{BASE_URL}/credentials/keys/")
    assert Browser().get(hosts.b, kid.removeprefix(BASE_URL)).status == 200
    # Neither host made a key of its own.
    assert not any((folder / "credential_signing_key.pem").exists() for folder in hosts.instances)
