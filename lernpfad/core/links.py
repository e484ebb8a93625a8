"""Links that leave the app (mails, PDFs, QR codes, credentials) and the hosts it answers to.

Both come from the configured ``BASE_URL``, never from the request: a forged ``Host`` or
``X-Forwarded-Host`` header must not end up in a password-reset mail.
"""

from urllib.parse import urlsplit

from flask import current_app

LOOPBACK_HOSTS = ("127.0.0.1", "localhost")


def external_url(endpoint: str, **values) -> str:
    """The absolute address of ``endpoint`` under BASE_URL; works inside and outside requests."""
    base = urlsplit(current_app.config["BASE_URL"])
    adapter = current_app.url_map.bind(
        base.netloc, script_name=base.path or "/", url_scheme=base.scheme or "https"
    )
    return adapter.build(endpoint, values, force_external=True)


def trusted_hosts(
    base_url: str, extra: str | list[str] | tuple[str, ...] | None = None
) -> list[str]:
    """Host names the app answers to: BASE_URL's host, the extra names configured, and — when
    BASE_URL is a loopback address, as in development — the other loopback names."""
    host = (urlsplit(base_url).hostname or "").lower()
    names = [host] if host else []
    if isinstance(extra, str):
        extra = extra.split(",")
    names += [name.strip().lower() for name in extra or () if name.strip()]
    if host in LOOPBACK_HOSTS:
        names += LOOPBACK_HOSTS
    return list(dict.fromkeys(names))
