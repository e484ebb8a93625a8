import pytest

from lernpfad.auth.passwords import hash_password, password_problems, verify_password


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
