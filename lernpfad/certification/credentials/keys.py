"""The platform's signing key for credentials: created once in the instance folder (mode 0600,
like the secret key), its public half published as a JWKS.

On several hosts every one must sign with the same key (a credential from one host is checked
against the JWKS another host serves): LERNPFAD_CREDENTIAL_KEY_FILE names that shared file. A file
named there is never created — a host without it refuses to sign rather than start a key of its own.

RS256 because Open Badges 3.0 names it the algorithm every VC-JWT verifier must support (and the
one 1EdTech's conformance tests check); other algorithms "limit interoperability".
"""

import os
import tempfile
from pathlib import Path

from flask import current_app
from joserfc import jwt
from joserfc.jwk import RSAKey

ALGORITHM = "RS256"
KEY_BITS = 3072
KEY_FILE = "credential_signing_key.pem"

_loaded: dict[str, RSAKey] = {}


def key_path(instance_path: str, configured: str = "") -> Path:
    """The key file: ``configured`` (CREDENTIAL_KEY_FILE) when set, else in the instance folder."""
    return Path(configured) if configured else Path(instance_path) / KEY_FILE


def require_key_file(path: Path) -> None:
    """The file CREDENTIAL_KEY_FILE names must exist (checked at start and at first use)."""
    if not path.is_file():
        raise RuntimeError(
            f"LERNPFAD_CREDENTIAL_KEY_FILE names {path}, which does not exist: copy the signing "
            "key every other host uses there (no second key is made, or credentials signed on "
            "one host would not verify against another's JWKS)"
        )


def load_configured_key(path: Path) -> RSAKey:
    """The private key from the file CREDENTIAL_KEY_FILE names; it must exist."""
    require_key_file(path)
    return RSAKey.import_key(path.read_bytes())


def load_or_create_key(instance_path: str) -> RSAKey:
    """The private key from the instance folder; made there on first use. Several workers may
    race to make it: the first file linked into place wins, the others read it."""
    path = key_path(instance_path)
    if not path.exists():
        key = RSAKey.generate_key(KEY_BITS, private=True)
        fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=".signing-key-")
        try:
            os.fchmod(fd, 0o600)
            with os.fdopen(fd, "wb") as handle:
                handle.write(key.as_pem(private=True))
            os.link(temporary, path)  # fails if another process was quicker
        except FileExistsError:
            pass
        finally:
            os.unlink(temporary)
    return RSAKey.import_key(path.read_bytes())


def signing_key() -> RSAKey:
    """This app's key (read once per process)."""
    configured = current_app.config.get("CREDENTIAL_KEY_FILE") or ""
    path = key_path(current_app.instance_path, configured)
    if str(path) not in _loaded:
        _loaded[str(path)] = (
            load_configured_key(path)
            if configured
            else load_or_create_key(current_app.instance_path)
        )
    return _loaded[str(path)]


def thumbprint() -> str:
    """The RFC 7638 thumbprint of the public key: the last part of the key's URL (``kid``)."""
    return signing_key().thumbprint()


def public_jwk(kid: str) -> dict:
    """The public key as a JWK (never ``d`` or the other private members)."""
    jwk = signing_key().as_dict(private=False)
    return {
        "kty": jwk["kty"],
        "n": jwk["n"],
        "e": jwk["e"],
        "kid": kid,
        "alg": ALGORITHM,
        "use": "sig",
    }


def sign(claims: dict, kid: str) -> str:
    """A compact JWS of ``claims``; the JOSE header holds only alg, kid and typ, as OB 3.0
    requires."""
    header = {"alg": ALGORITHM, "kid": kid, "typ": "JWT"}
    return jwt.encode(header, claims, signing_key(), algorithms=[ALGORITHM])
