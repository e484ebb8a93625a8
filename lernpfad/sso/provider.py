"""The OpenID provider's discovery document and signing keys, fetched on first use with a
timeout (OIDC_TIMEOUT_SECONDS) and cached per process; and what follows from them for logout."""

import threading
import time
from urllib.parse import urlencode, urlsplit

import requests
from joserfc.errors import JoseError
from joserfc.jwk import KeySet

from lernpfad.core.links import external_url

METADATA_TTL_SECONDS = 3600  # discovery and keys are fetched again after an hour


class ProviderUnavailable(Exception):
    """The provider could not be reached, answered too slowly or with something unusable."""


_cache: dict[tuple[str, str], tuple[float, object]] = {}
_cache_lock = threading.Lock()


def forget_provider() -> None:
    """Drop cached metadata and keys (tests; a changed configuration)."""
    with _cache_lock:
        _cache.clear()


def _fetch_json(url: str, timeout: float) -> dict:
    try:
        response = requests.get(url, timeout=timeout, headers={"Accept": "application/json"})
        response.raise_for_status()
        document = response.json()
    except (requests.RequestException, ValueError) as error:
        raise ProviderUnavailable(f"{url}: {error}") from error
    if not isinstance(document, dict):
        raise ProviderUnavailable(f"{url}: not a JSON object")
    return document


def _cached(kind: str, url: str, fetch, *, force: bool = False):
    key = (kind, url)
    now = time.monotonic()
    with _cache_lock:
        hit = _cache.get(key)
    if hit and not force and now - hit[0] < METADATA_TTL_SECONDS:
        return hit[1]
    value = fetch()
    with _cache_lock:
        _cache[key] = (now, value)
    return value


def provider_metadata(config) -> dict:
    """The issuer's discovery document (.well-known/openid-configuration), fetched on first
    use and cached. Its ``issuer`` must be the configured one (OIDC Discovery 1.0, 4.3)."""
    issuer = config["OIDC_ISSUER"]
    url = issuer.rstrip("/") + "/.well-known/openid-configuration"

    def fetch():
        document = _fetch_json(url, config["OIDC_TIMEOUT_SECONDS"])
        if document.get("issuer") != issuer:
            raise ProviderUnavailable(f"{url}: issuer {document.get('issuer')!r} != {issuer!r}")
        for name in ("authorization_endpoint", "token_endpoint", "jwks_uri"):
            if not isinstance(document.get(name), str):
                raise ProviderUnavailable(f"{url}: no {name}")
        return document

    return _cached("metadata", url, fetch)


def provider_keys(config, metadata: dict, *, force: bool = False) -> KeySet:
    """The provider's signing keys (jwks_uri), cached; ``force`` fetches them anew (a key the
    provider rotated in)."""
    url = metadata["jwks_uri"]

    def fetch():
        try:
            return KeySet.import_key_set(_fetch_json(url, config["OIDC_TIMEOUT_SECONDS"]))
        except (JoseError, ValueError, TypeError) as error:
            raise ProviderUnavailable(f"{url}: {error}") from error

    return _cached("keys", url, fetch, force=force)


def _cached_metadata(config) -> dict | None:
    url = config["OIDC_ISSUER"].rstrip("/") + "/.well-known/openid-configuration"
    with _cache_lock:
        hit = _cache.get(("metadata", url))
    return hit[1] if hit else None


def provider_origins(config) -> list[str]:
    """The origins a form may lead to: the issuer's, and its end_session_endpoint's once known."""
    urls = [config["OIDC_ISSUER"], (_cached_metadata(config) or {}).get("end_session_endpoint")]
    origins = []
    for url in urls:
        parts = urlsplit(url) if isinstance(url, str) else None
        if parts and parts.scheme in ("http", "https") and parts.netloc:
            origins.append(f"{parts.scheme}://{parts.netloc}")
    return list(dict.fromkeys(origins))


def logout_url(config) -> str | None:
    """The provider's end_session_endpoint (RP-initiated logout) with the way back to the login
    page, if the provider has one and its metadata is cached (logging out never waits for it)."""
    endpoint = (_cached_metadata(config) or {}).get("end_session_endpoint")
    if not isinstance(endpoint, str):
        return None
    query = urlencode(
        {
            "client_id": config["OIDC_CLIENT_ID"],
            "post_logout_redirect_uri": external_url("auth.login"),
        }
    )
    return f"{endpoint}{'&' if '?' in endpoint else '?'}{query}"
