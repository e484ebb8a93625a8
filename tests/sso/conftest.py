"""A real OpenID provider for the SSO tests: panva's oidc-provider (tests/sso/oidc) run with Node
on a free local port, once per test module."""

import os
import re
import shutil
import subprocess
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin

import pytest
import requests

from lernpfad.sso import provider as provider_cache
from tests.conftest import skip_or_fail
from tests.mail import free_port

OIDC_DIR = Path(__file__).resolve().parent / "oidc"
CALLBACK = "/anmelden/firmenkonto/rueckkehr"
CLIENT_ID = "lernpfad"
CLIENT_SECRET = "lernpfad-test-secret"


@dataclass(frozen=True)
class Provider:
    issuer: str

    def config(self, **extra) -> dict:
        """The app's settings for this provider."""
        return {
            "OIDC_ISSUER": self.issuer,
            "OIDC_CLIENT_ID": CLIENT_ID,
            "OIDC_CLIENT_SECRET": CLIENT_SECRET,
            **extra,
        }


@contextmanager
def running_provider(base_urls: list[str], log_dir: Path):
    """The provider with one client whose redirect URIs are each base URL + the callback."""
    node = shutil.which("node")
    if node is None:
        skip_or_fail("Node.js not found (Debian package nodejs): the SSO tests need it")
    if not (OIDC_DIR / "node_modules" / "oidc-provider").is_dir():
        skip_or_fail("tests/sso/oidc/node_modules missing: run `npm ci --prefix tests/sso/oidc`")
    port = free_port()
    issuer = f"http://127.0.0.1:{port}"
    environment = {
        **os.environ,
        "PORT": str(port),
        "ISSUER": issuer,
        "CLIENT_ID": CLIENT_ID,
        "CLIENT_SECRET": CLIENT_SECRET,
        "REDIRECT_URIS": ",".join(base + CALLBACK for base in base_urls),
        "POST_LOGOUT_REDIRECT_URIS": ",".join(base + "/anmelden" for base in base_urls),
    }
    log = log_dir / "provider.log"
    with log.open("wb") as output:
        process = subprocess.Popen(
            [node, str(OIDC_DIR / "provider.mjs")],
            env=environment,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                if requests.get(issuer + "/.well-known/openid-configuration", timeout=1).ok:
                    break
            except requests.RequestException:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"the OpenID provider did not start: {log.read_text()[-2000:]}")
            time.sleep(0.05)
        yield Provider(issuer)
    finally:
        process.terminate()
        try:
            process.wait(5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture(scope="module")
def provider(tmp_path_factory):
    """The provider for the Flask test client (BASE_URL http://localhost)."""
    with running_provider(["http://localhost"], tmp_path_factory.mktemp("oidc")) as running:
        yield running


@pytest.fixture(autouse=True)
def fresh_provider_cache():
    provider_cache.forget_provider()
    yield
    provider_cache.forget_provider()


def sign_in_at_provider(http: requests.Session, url: str, login: str, stop_at: str) -> str:
    """Follow the provider from the authorisation URL through its login page (as ``login``)
    until it sends the browser to ``stop_at``; returns that URL (with code and state)."""
    for _ in range(12):
        if url.startswith(stop_at):
            return url
        response = http.get(url, allow_redirects=False, timeout=5)
        if response.status_code == 200 and 'name="login"' in response.text:
            action = re.search(r'action="([^"]+)"', response.text).group(1)
            response = http.post(
                urljoin(url, action),
                data={"prompt": "login", "login": login, "password": "beliebig"},
                allow_redirects=False,
                timeout=5,
            )
        assert response.status_code in (302, 303), response.text[:2000]
        url = urljoin(url, response.headers["Location"])
    raise AssertionError(f"the provider never sent the browser back: {url}")
