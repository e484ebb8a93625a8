"""Password rules (OWASP ASVS 2.1) and hashing (argon2id)."""

import re
from functools import cache
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask_babel import lazy_gettext as _l

# argon2id at OWASP's minimum (Password Storage Cheat Sheet): 19 MiB of memory, 2 passes, one
# lane — about a fifth of the CPU of the library's default (64 MiB, 3 passes, 4 lanes), which
# made every login cost 0.2 s of CPU. Hashes made with other parameters are made anew at the
# next successful login (needs_rehash).
HASH_MEMORY_KIB = 19 * 1024
HASH_PASSES = 2
HASH_LANES = 1
_hasher = PasswordHasher(time_cost=HASH_PASSES, memory_cost=HASH_MEMORY_KIB, parallelism=HASH_LANES)

MIN_LENGTH = 12
MAX_LENGTH = 128


# "Guessable": what is left of a password once every run from a known sequence, every common
# password and every word of the person, the company and the product is taken out. Runs and
# words count from 3 characters on; common passwords only from 5 (with 4, everyday syllables
# such as "test", "ding" or "lust" would go). The rest must have 6 characters (about 10^8
# guesses on top of knowing the parts) and 4 different ones, or "lernpfad!!!!!!" would pass.
MIN_REST = 6
MIN_REST_DISTINCT = 4
MIN_PART = 3
MIN_COMMON_PART = 5
PRODUCT_NAME = "lernpfad"
SEQUENCES = (
    "abcdefghijklmnopqrstuvwxyz",
    "01234567890",
    "1234567890ß",  # German number row
    "qwertzuiopü",  # German keyboard rows, one by one and together
    "asdfghjklöä",
    "yxcvbnm",
    "qwertzuiopasdfghjklyxcvbnm",
    "qwertyuiop",  # English keyboard rows
    "asdfghjkl",
    "zxcvbnm",
    "qwertyuiopasdfghjklzxcvbnm",
    '!"§$%&/()=?',  # the number rows with shift
    "!@#$%^&*()",
)
LEGAL_FORMS = frozenset(
    {"gmbh", "mbh", "ag", "kg", "kgaa", "co", "se", "ug", "ohg", "gbr", "ek", "ev", "eg"}
    | {"haftungsbeschränkt", "inc", "ltd", "llc", "plc"}
)
_UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})


@cache
def common_passwords() -> frozenset[str]:
    path = Path(__file__).with_name("common-passwords.txt")
    lines = path.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip().lower() for line in lines if line and not line.startswith("#"))


@cache
def _known_parts() -> frozenset[str]:
    """Runs from the sequences, forwards and backwards, and the longer common passwords."""
    runs = {
        row[start:end]
        for sequence in SEQUENCES
        for row in (sequence, sequence[::-1])
        for start in range(len(row))
        for end in range(start + MIN_PART, len(row) + 1)
    }
    return frozenset(runs | {p for p in common_passwords() if len(p) >= MIN_COMMON_PART})


@cache
def _longest_known_part() -> int:
    return max(map(len, _known_parts()))


def _words(text: str, separators: str) -> set[str]:
    words = {w for w in re.split(separators, text.lower()) if w}
    return words | {w.translate(_UMLAUTS) for w in words}


def _personal_parts(email: str, name: str, company: str) -> set[str]:
    """The person's name and address and the company's and the product's name, in words."""
    local, _, domain = email.lower().partition("@")
    parts = {PRODUCT_NAME, email.lower(), local, domain}
    parts |= _words(local, r"[._+-]+") | _words(domain, r"\.")
    parts |= _words(name, r"[\s.'-]+")
    parts |= _words(company, r"[\s.,&/()+-]+") - LEGAL_FORMS
    return {p for p in parts if len(p) >= MIN_PART}


def _unguessable_rest(lowered: str, personal: set[str]) -> str:
    """The password without every part found in the known parts or the personal ones."""
    known = _known_parts()
    longest = max(_longest_known_part(), *map(len, personal))
    guessed = [False] * len(lowered)
    for start in range(len(lowered)):
        for end in range(start + MIN_PART, min(len(lowered), start + longest) + 1):
            part = lowered[start:end]
            if part in known or part in personal:
                guessed[start:end] = [True] * (end - start)
    return "".join(c for c, hit in zip(lowered, guessed, strict=True) if not hit)


def password_problems(
    password: str,
    *,
    email: str = "",
    name: str = "",
    company: str = "",
    current_hash: str | None = None,
) -> list[str]:
    """Return the reasons (German, translatable) why a password is refused; empty when it is fine.

    Length, common passwords, the person's own name and address, guessable passwords (see
    MIN_REST) and, with the current hash, reuse of the current password. No composition rules.
    One message per flaw: the guessable and the reuse checks only run when nothing else is wrong.
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
    if not problems:
        rest = _unguessable_rest(lowered, _personal_parts(email, name, company))
        if len(rest) < MIN_REST or len(set(rest)) < MIN_REST_DISTINCT:
            problems.append(
                _l(
                    "Das Passwort besteht im Wesentlichen aus Zeichenfolgen (z. B. 1234, abcd, qwertz), verbreiteten Passwörtern, Ihrem Namen, Ihrer E-Mail-Adresse oder dem Firmen- oder Produktnamen. Bitte wählen Sie etwas weniger Vorhersehbares, z. B. mehrere zufällige Wörter."
                )
            )
        elif current_hash and verify_password(current_hash, password):
            problems.append(_l("Das neue Passwort muss sich vom bisherigen unterscheiden."))
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
    """True for a hash made with other parameters than today's (or another algorithm)."""
    return _hasher.check_needs_rehash(password_hash)


@cache
def _dummy_hash() -> str:
    return _hasher.hash("lernpfad-timing-equaliser")


def _waste_time(password: str) -> None:
    try:
        _hasher.verify(_dummy_hash(), password)
    except VerificationError:
        pass
