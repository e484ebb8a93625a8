"""German is the default; English is complete: every message in the code has a translation."""

from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
CATALOG = ROOT / "lernpfad" / "translations" / "en" / "LC_MESSAGES" / "messages.po"
METHODS = [("lernpfad/**.py", "python"), ("lernpfad/**/templates/**.html", "jinja2")]
KEYWORDS = {"_": None, "gettext": None, "_l": None, "lazy_gettext": None, "ngettext": (1, 2)}


def code_messages() -> set[str]:
    found = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
        str(ROOT), METHODS, keywords=KEYWORDS, options_map={"lernpfad/**/templates/**.html": {}}
    ):
        found.add(message[0] if isinstance(message, tuple) else message)
    return found


def test_every_message_in_the_code_has_an_english_translation():
    with CATALOG.open("rb") as handle:
        catalog = read_po(handle, locale="en")
    translated = {
        (m.id[0] if isinstance(m.id, tuple) else m.id)
        for m in catalog
        if m.id
        and "fuzzy" not in m.flags
        and (all(m.string) if isinstance(m.string, tuple) else m.string)
    }
    messages = code_messages()
    assert len(messages) > 300
    missing = sorted(messages - translated)
    assert missing == [], missing


def test_german_is_the_default(client):
    page = client.get("/anmelden").get_data(as_text=True)
    assert 'lang="de"' in page and "Anmelden" in page


def test_switching_to_english_and_back(client, people):
    client.post("/sprache", data={"locale": "en", "next": "/anmelden"})
    page = client.get("/anmelden").get_data(as_text=True)
    assert 'lang="en"' in page and "Sign in" in page and "Email address" in page
    wrong = client.post("/anmelden", data={"email": "x@example.org", "password": "wrong one"})
    assert "Email address or password is not correct." in wrong.get_data(as_text=True)
    client.post("/sprache", data={"locale": "de", "next": "/anmelden"})
    assert "Anmelden" in client.get("/anmelden").get_data(as_text=True)


def test_unknown_language_is_ignored(client):
    response = client.post("/sprache", data={"locale": "xx", "next": "//evil.example"})
    assert response.headers["Location"] == "/"
    assert 'lang="de"' in client.get("/anmelden").get_data(as_text=True)


@pytest.mark.parametrize("back", ["/\t/evil.example", "/\\evil.example", "/\r\nX-Evil: 1"])
def test_the_way_back_after_switching_is_a_local_path(client, back):
    # Browsers drop a tab ("//evil.example") and read "\\" as "/"; a line break was a 500.
    response = client.post("/sprache", data={"locale": "en", "next": back})
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


def test_path_states_follow_the_language(client, auth, people, content):
    from tests.assessments.test_flow import take

    auth.login()
    take(client, rating=0, right=False)
    client.post("/module/w2/abgabe", data={"text": "Erledigt."})
    assert ">eingereicht<" in client.get("/lernpfad/").get_data(as_text=True)
    client.post("/sprache", data={"locale": "en", "next": "/"})
    page = client.get("/lernpfad/").get_data(as_text=True)
    assert ">submitted<" in page and ">eingereicht<" not in page
