"""Single sign-on: the authorisation code flow with PKCE, the ID token's checks, and who signs
in. No ``request`` in here; callers commit.

The provider is asked three things, each with a timeout (OIDC_TIMEOUT_SECONDS): its discovery
document and its keys (both cached, see provider.py) and, once per login, the token for the code. These calls
are part of the login itself and cannot wait for a job; a provider that is down or slow gives a
clear page (ProviderUnavailable), never a hanging request.
"""

import hmac
import secrets
import time

import requests
import sqlalchemy as sa
from authlib.common.errors import AuthlibBaseError
from authlib.integrations.requests_client import OAuth2Session
from authlib.oidc.core import CodeIDToken
from joserfc import jwt
from joserfc.errors import InvalidKeyIdError, JoseError
from joserfc.jwk import KeySet
from joserfc.jws import JWSRegistry

from lernpfad.audit.services import record_audit
from lernpfad.auth.models import Department, Person, Role
from lernpfad.auth.services import find_person_by_email
from lernpfad.core.links import external_url
from lernpfad.extensions import db
from lernpfad.forms import has_control_characters
from lernpfad.sso import rules
from lernpfad.sso.models import SsoIdentity
from lernpfad.sso.provider import ProviderUnavailable, provider_keys, provider_metadata

SCOPE = "openid email profile"
PENDING_TTL_SECONDS = 600  # a login started longer ago than this is refused
LEEWAY_SECONDS = 60  # clock skew allowed for exp / iat


class LoginRefused(Exception):
    """The login is refused; ``reason`` is a rules.Refusal or one of the protocol reasons
    (state, expired, provider_error, missing_code, token_exchange, token)."""

    def __init__(self, reason: str, detail: str = "", person: Person | None = None):
        super().__init__(reason, detail)
        self.reason = reason
        self.detail = detail
        self.person = person  # the person the claims found, if any


def sso_configured(config) -> bool:
    return bool(config["OIDC_ISSUER"] and config["OIDC_CLIENT_ID"] and config["OIDC_CLIENT_SECRET"])


def password_login_allowed(person: Person, config) -> bool:
    """May ``person`` use the password form and password reset (PASSWORD_LOGIN)?"""
    return rules.password_login_allowed(
        config["PASSWORD_LOGIN"], person.roles, sso_configured=sso_configured(config)
    )


def redirect_uri() -> str:
    """The callback's address, from BASE_URL (the one registered at the provider)."""
    return external_url("sso.callback")


def _oauth_session(config, code_verifier: str | None = None) -> OAuth2Session:
    return OAuth2Session(
        config["OIDC_CLIENT_ID"],
        config["OIDC_CLIENT_SECRET"],
        scope=SCOPE,
        redirect_uri=redirect_uri(),
        code_challenge_method="S256",
        default_timeout=config["OIDC_TIMEOUT_SECONDS"],
    )


# --- the flow ------------------------------------------------------------------------------


def begin_login(config, next_path: str | None = None) -> tuple[str, dict]:
    """The provider's authorisation URL and what the callback needs to check the answer (the
    caller keeps it in the session): state, nonce, the PKCE verifier, where to go after."""
    metadata = provider_metadata(config)
    state = secrets.token_urlsafe(24)
    nonce = secrets.token_urlsafe(24)
    verifier = secrets.token_urlsafe(48)
    url, _state = _oauth_session(config).create_authorization_url(
        metadata["authorization_endpoint"], state=state, nonce=nonce, code_verifier=verifier
    )
    pending = {
        "state": state,
        "nonce": nonce,
        "verifier": verifier,
        "next": next_path or "",
        "at": time.time(),
    }
    return url, pending


def finish_login(config, args, pending: dict | None, *, now: float | None = None) -> dict:
    """Check the provider's answer (``args``: the callback's query) against the login this
    browser started (``pending``, used once), exchange the code and return the ID token's
    checked claims. Raises LoginRefused or ProviderUnavailable."""
    now = time.time() if now is None else now
    state = args.get("state") or ""
    if not pending or not hmac.compare_digest(state.encode(), str(pending["state"]).encode()):
        raise LoginRefused("state")
    if now - pending["at"] > PENDING_TTL_SECONDS:
        raise LoginRefused("expired")
    if args.get("error"):
        raise LoginRefused("provider_error", str(args.get("error"))[:100])
    # RFC 9207: a provider that names itself in the answer must be ours (mix-up attacks).
    if args.get("iss") is not None and args.get("iss") != config["OIDC_ISSUER"]:
        raise LoginRefused("token", "iss parameter")
    code = args.get("code")
    if not code:
        raise LoginRefused("missing_code")
    metadata = provider_metadata(config)
    try:
        token = _oauth_session(config).fetch_token(
            metadata["token_endpoint"], code=code, code_verifier=pending["verifier"]
        )
    except requests.RequestException as error:
        raise ProviderUnavailable(f"token endpoint: {error}") from error
    except (AuthlibBaseError, ValueError) as error:
        raise LoginRefused("token_exchange", str(error)[:200]) from error
    id_token = token.get("id_token")
    if not isinstance(id_token, str):
        raise LoginRefused("token_exchange", "no id_token")
    algorithms = [
        alg
        for alg in metadata.get("id_token_signing_alg_values_supported") or ["RS256"]
        if alg != "none" and not alg.startswith("HS")  # only the provider's public keys
    ]
    check = {
        "issuer": config["OIDC_ISSUER"],
        "client_id": config["OIDC_CLIENT_ID"],
        "nonce": pending["nonce"],
        "access_token": token.get("access_token"),
        "algorithms": algorithms,
        "now": int(now),
    }
    try:
        return validate_id_token(id_token, keys=provider_keys(config, metadata), **check)
    except LoginRefused as refused:
        if refused.detail != "unknown_key":
            raise
    # A key the provider rotated in since the keys were cached: fetched once more.
    return validate_id_token(id_token, keys=provider_keys(config, metadata, force=True), **check)


def validate_id_token(
    id_token: str,
    *,
    keys: KeySet,
    issuer: str,
    client_id: str,
    nonce: str,
    access_token: str | None = None,
    algorithms: list[str] | None = None,
    now: int | None = None,
) -> dict:
    """The ID token's claims after checking its signature (one of ``keys``), issuer, audience,
    expiry (with LEEWAY_SECONDS), nonce, ``azp`` and ``at_hash`` (OIDC Core 3.1.3.7). Raises
    LoginRefused("token", what failed)."""
    try:
        decoded = jwt.decode(
            id_token,
            keys,
            algorithms=algorithms or ["RS256"],
            registry=JWSRegistry(algorithms=algorithms or ["RS256"], strict_check_header=False),
        )
        claims = CodeIDToken(
            decoded.claims,
            decoded.header,
            {
                "iss": {"essential": True, "value": issuer},
                "aud": {"essential": True, "value": client_id},
            },
            {"nonce": nonce, "client_id": client_id, "access_token": access_token},
        )
        claims.validate(now=now, leeway=LEEWAY_SECONDS)
    except InvalidKeyIdError as error:
        raise LoginRefused("token", "unknown_key") from error
    except (JoseError, ValueError, TypeError) as error:
        raise LoginRefused("token", f"{type(error).__name__}: {error}"[:200]) from error
    if (
        not isinstance(claims.get("sub"), str)
        or not 0 < len(claims["sub"]) <= 255
        or has_control_characters(claims["sub"])  # PostgreSQL stores no NUL
    ):
        raise LoginRefused("token", "no usable sub")
    return dict(claims)


# --- who signs in --------------------------------------------------------------------------


def _account(person: Person, issuer: str, subject: str) -> rules.Account:
    other = db.session.scalar(
        sa.select(SsoIdentity.id).where(
            SsoIdentity.person_id == person.id,
            SsoIdentity.issuer == issuer,
            SsoIdentity.subject != subject,
        )
    )
    return rules.Account(
        active=person.active, anonymised=person.anonymised, bound_elsewhere=other is not None
    )


def _department_named(name) -> Department | None:
    if not isinstance(name, str) or not name.strip() or has_control_characters(name):
        return None
    return db.session.scalar(sa.select(Department).where(Department.name == name.strip()))


def sign_in(config, claims: dict, *, now=None) -> Person:
    """The person these checked claims sign in (rules.match_decision): found by the bound
    identity, else bound to the account with the verified address, else — with
    OIDC_CREATE_ACCOUNTS — a new learner. Audited; a refusal raises LoginRefused (for
    record_refusal)."""
    from lernpfad.db import utcnow

    now = now or utcnow()
    issuer, subject = config["OIDC_ISSUER"], claims["sub"]
    identity = _bound_identity(issuer, subject)
    email = rules.verified_email(claims)
    person = identity.person if identity else (find_person_by_email(email) if email else None)
    decision = rules.match_decision(
        bound=_account(person, issuer, subject) if identity else None,
        by_email=_account(person, issuer, subject) if person and not identity else None,
        email_verified=email is not None,
        create_accounts=bool(config["OIDC_CREATE_ACCOUNTS"]),
    )
    if decision.outcome == rules.Outcome.REFUSE:
        raise LoginRefused(decision.refusal.value, person=person)
    if identity is None:
        identity = _bind(
            config, claims, person if decision.outcome == rules.Outcome.BIND else None, email, now
        )
        person = identity.person
    identity.last_login_at = now
    person.last_login_at = now
    record_audit(
        actor=person,
        action="auth.sso_login",
        subject=person,
        bound=decision.outcome != rules.Outcome.LOGIN,
    )
    db.session.flush()
    return person


def _bound_identity(issuer: str, subject: str) -> SsoIdentity | None:
    return db.session.scalar(
        sa.select(SsoIdentity).where(SsoIdentity.issuer == issuer, SsoIdentity.subject == subject)
    )


def _bind(config, claims: dict, person: Person | None, email: str, now) -> SsoIdentity:
    """Bind the identity to ``person``, or to a new learner made from the claims (None). The
    same company account signing in twice at the same moment (two windows) binds once: the
    second is refused ("concurrent") instead of failing on the unique constraint."""
    from lernpfad.people.services import PersonExists, create_person

    try:
        with db.session.begin_nested():
            if person is None:
                claim = config["OIDC_DEPARTMENT_CLAIM"]
                department = _department_named(claims.get(claim)) if claim else None
                person = create_person(
                    name=rules.display_name(claims, email),
                    email=email,
                    department=department,
                    roles={Role.LEARNER},
                    via="sso",
                )
                record_audit(
                    actor=person,
                    action="auth.sso_account_created",
                    subject=person,
                    department=department.name if department else None,
                )
            identity = SsoIdentity(
                person=person, issuer=config["OIDC_ISSUER"], subject=claims["sub"], created_at=now
            )
            db.session.add(identity)
            db.session.flush()
    except (sa.exc.IntegrityError, PersonExists) as error:
        raise LoginRefused("concurrent", str(error)[:200]) from error
    return identity


def record_refusal(refused: LoginRefused) -> None:
    """A refused SSO login in the audit log — unless the browser's own login was not found
    (forged or replayed ``state``): that needs no provider at all and would let anyone fill the
    log; it goes to the application log only."""
    if refused.reason == "state":
        return
    record_audit(
        actor=None, action="auth.sso_refused", subject=refused.person, refusal=refused.reason
    )
