import pytest

from lernpfad.auth.forms import ChangePasswordForm
from lernpfad.auth.passwords import hash_password, password_problems, verify_password

GUESSABLE = "besteht im Wesentlichen aus Zeichenfolgen"
REUSED = "Das neue Passwort muss sich vom bisherigen unterscheiden."
EMMA = {
    "email": "emma.schneider@muster.example",
    "name": "Emma Schneider",
    "company": "Muster GmbH",
}


@pytest.mark.parametrize(
    ("password", "accepted"),
    [
        ("kurz", False),
        ("elf-zeichen", False),  # 11 characters
        ("zwölf-zeiche", True),  # 12 characters
        ("nur kleinbuchstaben und leerzeichen", True),  # no composition rules
        ("Pferd Batterie Heftklammer korrekt " * 3, True),  # long passphrase (105 chars)
        ("x" * 128, False),  # long but only one distinct character
        ("ab" * 64, False),
        ("1qaz2wsx3edc", False),  # in the common-password list
        ("123QWEASDZXC", False),  # the list is checked case-insensitively
        ("password1234", False),  # a common word with digits appended
        ("sunshine2024!!", False),
    ],
)
def test_password_rules(password, accepted):
    problems = password_problems(password)
    assert (problems == []) is accepted, problems


def test_128_characters_are_accepted_129_refused():
    base = "eine lange passphrase mit vielen woertern "
    exactly = (base * 4)[:128]
    assert password_problems(exactly) == []
    assert "höchstens 128" in password_problems(exactly + "x")[0]


@pytest.mark.parametrize(
    ("password", "person", "accepted"),
    [
        # The finding: sequences, keyboard rows, product, own name, own address.
        ("123456789012", EMMA, False),
        ("qwertzuiopas", EMMA, False),
        ("abcdefghijkl", EMMA, False),
        ("lernpfad1234", EMMA, False),
        ("EmmaSchneider", EMMA, False),
        ("muster.example", EMMA, False),
        # More of the same kind.
        ("987654321098", {}, False),  # descending
        ("lkjhgfdsapoiu", {}, False),  # a row backwards
        ("QWERTYUIOPASDF", {}, False),  # English rows, upper case
        ("yxcvbnm-asdfghjklö", {}, False),  # German rows with umlaut
        ('!"§$%&/()=?ß12', {}, False),  # the number row with shift
        ("Lernpfad!!!!!!!", {}, False),  # long rest, but one character repeated
        ("emma11111111", EMMA, False),
        ("schneider-emma-1234", EMMA, False),
        ("MusterMuster2027", EMMA, False),  # the company
        ("emma.schneider+lernpfad", EMMA, False),
        ("Jörg Müller 123456", {"name": "Jörg Müller"}, False),
        ("joerg-mueller-4567", {"name": "Jörg Müller"}, False),  # umlauts spelt out
        ("Zöllner-Bäckerei-123", {"company": "Bäckerei Zöllner GmbH & Co. KG"}, False),
        ("computermausqwertz", {}, False),  # common passwords as parts (5 characters or more)
        ("Hallo-Sonne-1234", {}, False),
        # Good passphrases: a name or the company inside is fine when enough is left.
        ("korrekt pferd batterie heftklammer", {}, True),
        ("Sommer-Regen über Kassel 17", EMMA, True),
        ("emma mag blaue pferde", EMMA, True),
        ("Muster GmbH plant 2027 den Umzug nach Ulm", EMMA, True),
        ("ÄÖÜ sind Umlaute, ß nicht", EMMA, True),
        ("Lustiger Dinge Test", {}, True),  # 4-letter common passwords do not count as parts
        ("Kaffeetasse am Morgen", {"email": "kaffee@example.org", "company": ""}, True),
        ("zwölf-zeiche", {"email": "", "name": "", "company": ""}, True),
        ("mit lernpfad lerne ich gern", EMMA, True),
    ],
)
def test_guessable_passwords_are_refused(password, person, accepted):
    problems = password_problems(password, **person)
    assert (problems == []) is accepted, problems
    if not accepted:
        assert len(problems) == 1 and GUESSABLE in problems[0], problems


def test_guessable_check_handles_the_longest_password():
    passphrase = ("Emma lernt Muster 1234 über Kassel " * 4)[:128]
    assert password_problems(passphrase, **EMMA) == []
    assert GUESSABLE in password_problems(("emma1234qwertz" * 10)[:128], **EMMA)[0]


def test_one_message_per_flaw():
    # Too short: only the length, even though it is a sequence too.
    assert password_problems("bcdefghijk") == ["Das Passwort muss mindestens 12 Zeichen lang sein."]
    # The whole e-mail address: the specific message, not the guessable one as well.
    problems = password_problems("emma.schneider@muster.example", **EMMA)
    assert problems == ["Das Passwort darf nicht Ihr Name oder Ihre E-Mail-Adresse sein."]


@pytest.fixture(scope="module")
def current_hash():
    return hash_password("mein bisheriges passwort")


def test_the_current_password_cannot_be_the_new_one(current_hash):
    assert password_problems("mein bisheriges passwort", current_hash=current_hash) == [REUSED]
    assert password_problems("mein neues gutes passwort", current_hash=current_hash) == []
    assert password_problems("mein bisheriges passwort", current_hash=None) == []


@pytest.mark.parametrize(
    ("new_password", "errors"),
    [
        ("mein bisheriges passwort", [REUSED]),
        ("mein neues gutes passwort", []),
        ("Muster Werke plant", [GUESSABLE]),  # the company name comes from the config
    ],
)
def test_form_refuses_reuse_and_company(app, current_hash, new_password, errors):
    app.config["COMPANY_NAME"] = "Muster Werke plant GmbH"
    data = {"current_password": "x", "new_password": new_password, "confirm": new_password}
    with app.test_request_context(method="POST", data=data):
        form = ChangePasswordForm()
        form.person_email, form.person_name = EMMA["email"], EMMA["name"]
        form.current_password_hash = current_hash
        assert form.validate() is (errors == [])
        found = form.errors.get("new_password", [])
        assert len(found) == len(errors)
        assert all(expected in error for expected, error in zip(errors, found, strict=True))


def test_password_may_not_be_the_email_or_name():
    assert password_problems("anna.berger@muster.example", email="anna.berger@muster.example")
    assert password_problems("maximilian mustermann", name="Maximilian Mustermann")


def test_messages_are_german():
    assert password_problems("kurz") == ["Das Passwort muss mindestens 12 Zeichen lang sein."]


def test_hash_is_argon2id_and_verifies():
    hashed = hash_password("ein gutes langes passwort")
    assert hashed.startswith("$argon2id$")
    assert verify_password(hashed, "ein gutes langes passwort")
    assert not verify_password(hashed, "ein falsches passwort!")
    assert not verify_password(None, "irgendwas")
    assert not verify_password("kein-hash", "irgendwas")
