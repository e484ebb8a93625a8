"""Who an ID token's claims sign in, and who may still use a password — pure functions.

A person is found first by the bound identity (issuer + ``sub``, see models.SsoIdentity), only
then by the e-mail address, and by the address only when the provider vouches for it
(``email_verified``, or Entra ID's ``xms_edov``). An account found by address that is already
bound to another ``sub`` of the same provider is refused: a new account at the provider that got
a former colleague's address must not take over that colleague's record.
"""

import enum
from dataclasses import dataclass

from lernpfad.auth.models import ANONYMOUS_DOMAIN, Role
from lernpfad.forms import has_control_characters


class Outcome(enum.StrEnum):
    LOGIN = "login"  # the found person signs in
    BIND = "bind"  # found by address: bind the identity, then sign in
    CREATE = "create"  # a new learner account, bound to the identity
    REFUSE = "refuse"


class Refusal(enum.StrEnum):
    """Why an SSO login was refused (messages in sso/routes.py, labels in audit/forms.py)."""

    UNVERIFIED_EMAIL = "unverified_email"  # no address, or the provider does not vouch for it
    UNKNOWN = "unknown"  # no account with this address, and none is created
    INACTIVE = "inactive"  # deactivated
    ANONYMISED = "anonymised"
    OTHER_IDENTITY = "other_identity"  # the account is bound to another identity


@dataclass(frozen=True)
class Account:
    """What the rules need to know of a person found."""

    active: bool
    anonymised: bool = False
    bound_elsewhere: bool = False  # bound to another subject of the same issuer


@dataclass(frozen=True)
class Decision:
    outcome: Outcome
    refusal: Refusal | None = None


def truthy_claim(value) -> bool:
    """A boolean claim: JSON true, or the string "true" some providers send."""
    return value is True or (isinstance(value, str) and value.strip().lower() == "true")


def email_is_verified(claims: dict) -> bool:
    """The provider vouches for the address: ``email_verified`` (OIDC Core) or, where that claim
    is missing, Entra ID's optional ``xms_edov`` ("e-mail domain owner verified")."""
    if "email_verified" in claims:
        return truthy_claim(claims["email_verified"])
    return truthy_claim(claims.get("xms_edov"))


def verified_email(claims: dict) -> str | None:
    """The normalised address of the claims if the provider vouches for it, else None."""
    email = claims.get("email")
    if not isinstance(email, str) or "@" not in email or not email_is_verified(claims):
        return None
    if len(email.strip()) > 254:  # longer than any address (and than the column)
        return None
    # No control character (PostgreSQL stores no NUL: a 500), and never the address an
    # anonymised account gets (it would read as anonymised everywhere).
    if has_control_characters(email) or email.strip().lower().endswith(ANONYMOUS_DOMAIN):
        return None
    return email.strip().lower()


def display_name(claims: dict, email: str) -> str:
    """The name of a new account: the ``name`` claim if it is usable text, else the address's
    local part; at most 200 characters (the column)."""
    name = claims.get("name")
    if not isinstance(name, str) or has_control_characters(name) or not name.strip():
        name = email.split("@")[0]
    return name.strip()[:200]


def _refuse_state(account: Account) -> Decision | None:
    if account.anonymised:
        return Decision(Outcome.REFUSE, Refusal.ANONYMISED)
    if not account.active:
        return Decision(Outcome.REFUSE, Refusal.INACTIVE)
    return None


def match_decision(
    *,
    bound: Account | None,
    by_email: Account | None,
    email_verified: bool,
    create_accounts: bool,
) -> Decision:
    """What to do with a valid ID token. ``bound``: the person bound to its issuer and subject;
    ``by_email``: the person with its address (looked up only when verified)."""
    if bound is not None:
        return _refuse_state(bound) or Decision(Outcome.LOGIN)
    if not email_verified:
        return Decision(Outcome.REFUSE, Refusal.UNVERIFIED_EMAIL)
    if by_email is not None:
        refused = _refuse_state(by_email)
        if refused:
            return refused
        if by_email.bound_elsewhere:
            return Decision(Outcome.REFUSE, Refusal.OTHER_IDENTITY)
        return Decision(Outcome.BIND)
    if create_accounts:
        return Decision(Outcome.CREATE)
    return Decision(Outcome.REFUSE, Refusal.UNKNOWN)


PASSWORD_LOGIN_POLICIES = ("all", "admins")


def password_login_allowed(policy: str, roles: set[Role], *, sso_configured: bool) -> bool:
    """May this person sign in (or reset their password) with a password? Under "admins" only
    administrators may — and only while SSO is configured, so that switching SSO off never
    locks everyone out. An unknown policy counts as "admins" (the safer reading)."""
    if not sso_configured or policy == "all":
        return True
    return Role.ADMIN in roles
