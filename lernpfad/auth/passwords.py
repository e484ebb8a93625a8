"""Password rules (OWASP ASVS 2.1) and hashing (argon2id)."""

from functools import cache
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask_babel import lazy_gettext as _l

_hasher = PasswordHasher()  # argon2id with the library's current (RFC 9106) parameters

MIN_LENGTH = 12
MAX_LENGTH = 128


@cache
def common_passwords() -> frozenset[str]:
    path = Path(__file__).with_name("common-passwords.txt")
    lines = path.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip().lower() for line in lines if line and not line.startswith("#"))


def password_problems(password: str, *, email: str = "", name: str = "") -> list[str]:
    """Return the reasons (German, translatable) why a password is refused; empty when it is fine.

    Only length and a check against common and personal passwords: no composition rules.
    """
    problems = []
    length = len(password)
    if length < MIN_LENGTH:
        problems.append(_l("Das Passwort muss mindestens %(n)d Zeichen lang sein.", n=MIN_LENGTH))
    if length > MAX_LENGTH:
        problems.append(_l("Das Passwort darf höchstens %(n)d Zeichen lang sein.", n=MAX_LENGTH))
    lowered = password.lower()
    # "password1234" is as weak as "password": common words with digits or marks appended.
    stem = lowered.rstrip("0123456789!?.-_ ")
    if lowered in common_passwords() or stem in common_passwords() or len(set(lowered)) <= 2:
        problems.append(_l("Dieses Passwort ist zu verbreitet. Bitte wählen Sie ein anderes."))
    personal = {email.lower(), email.lower().split("@")[0], name.lower()} - {""}
    if lowered in personal:
        problems.append(_l("Das Passwort darf nicht Ihr Name oder Ihre E-Mail-Adresse sein."))
    return [str(p) for p in problems]


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """True when the password matches; a missing or malformed hash never matches."""
    if not password_hash:
        # Spend the same time as a real check so that unknown users are not told apart.
        _waste_time(password)
        return False
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return _hasher.check_needs_rehash(password_hash)


@cache
def _dummy_hash() -> str:
    return _hasher.hash("lernpfad-timing-equaliser")


def _waste_time(password: str) -> None:
    try:
        _hasher.verify(_dummy_hash(), password)
    except VerificationError:
        pass
