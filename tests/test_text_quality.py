"""Text quality: no doubled words, doubled punctuation or wrong plurals on any page or in the content.

(a) Every demo login walks every page reachable from its navigation (detail pages included) in
German and in English; (b) every string of the shipped curriculum is scanned.
"""

import re
from html import unescape
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urldefrag, urlsplit

import pytest
import sqlalchemy as sa
import yaml

from lernpfad import create_app
from lernpfad.auth.models import Person
from lernpfad.content.loader import plain, split_front_matter
from lernpfad.content.render import render_content
from lernpfad.content.services import current_modules
from lernpfad.demo import DEMO_LOGINS, DEMO_PASSWORD, WOMENS_FIRST_NAMES, load_demo
from lernpfad.extensions import db
from tests import conftest
from tests.helpers import PASSWORD, make_person

CONTENT = Path(__file__).resolve().parent.parent / "content"

# ---------------------------------------------------------------------------------------------
# The checks (pure functions on text)

# Elements whose text runs on in the same sentence; every other tag ends a text segment.
INLINE = {
    "a",
    "abbr",
    "b",
    "code",
    "em",
    "i",
    "kbd",
    "small",
    "span",
    "strong",
    "sub",
    "sup",
    "time",
}
SKIPPED = {"script", "style", "template"}
# Commands, hashes and links on the app's pages are not prose („flask --app lernpfad lernpfad …“);
# the curriculum's code blocks hold example prompts, which are checked with the content.
CODE = {"code", "kbd", "pre"}

# German relative clauses double articles legitimately: „die Aufgaben, die die Person …“.
RELATIVE_PRONOUNS = {"der", "die", "das", "den", "dem", "des", "deren", "dessen"}
# Words that are right twice when the case differs: the formal „Sie“ and the pronoun („Wenn Sie sie
# prüfen“).
CASE_DIFFERING_DOUBLES = {"sie"}
# Doubles that are right as they are: the command group in „flask --app lernpfad lernpfad send-mail“.
ALLOWED_DOUBLES = {"lernpfad lernpfad"}
# Abbreviations whose period may be followed by a comma, colon or closing bracket (one-letter ones
# such as „z. B.“, „d. h.“, „e.g.“ always count).
ABBREVIATIONS = {
    "abs",
    "art",
    "bspw",
    "bzw",
    "ca",
    "etc",
    "evtl",
    "ff",
    "ggf",
    "inkl",
    "nr",
    "usw",
    "vgl",
}

DOUBLED_WORD = re.compile(r"\b(\w+)[ \u00a0]+(\1)\b", re.IGNORECASE)
DOUBLED_PHRASE = re.compile(r"(\([^()]{3,}\))\s*\1")
# A period followed, after closing quotes or brackets, by another mark („zerlegen.;“, „Floskeln.“.“);
# „?“ „!“ „…“ directly followed by one („Frage?.“); a clause mark followed by one („,,“ „::“ „;.“).
# After a quoted question or exclamation the sentence goes on with its own mark („Wer war das?“,
# sondern …) — German punctuation rules (§ 91) keep both.
DOUBLED_PUNCTUATION = re.compile(r"(\.)[“”\"'’»«)\]]*[.,;:]|([?!…])[.,;:]|([,;:])[ \u00a0]*[.,;:]")
SPACE_BEFORE = re.compile(r"\w[ \u00a0]+([,.;:])(?=\s|$)")

# Plural agreement: the nouns and verbs of the app's counted phrases.
GERMAN_PLURALS = (
    "Aussagen|Fragen|Modulen|Module|Mitarbeitende|Mitarbeitenden|Personen|Stunden|Minuten|Tagen|"
    "Tage|Abgaben|Sitzungen|Versuchen|Versuche|Zeilen|Einladungen|Beschäftigten|Champions|"
    "Anwendungsfälle|Praxisaufgaben|fehlen|haben|warten"
)
GERMAN_SINGULARS = (
    "Aussage|Frage|Modul|Person|Stunde|Minute|Tag|Abgabe|Sitzung|Versuch|Zeile|Einladung|"
    "Anwendungsfall|Praxisaufgabe|fehlt|wartet"
)
ENGLISH_PLURALS = (
    "statements|questions|modules|people|persons|employees|staff members|hours|minutes|days|"
    "submissions|sessions|attempts|rows|invitations|champions|use cases|practical tasks|are missing"
)
ENGLISH_SINGULARS = (
    "statement|question|module|person|employee|hour|minute|day|submission|session|attempt|row|"
    "invitation|use case|practical task|is missing"
)
ONE = r"(?<![\d.,:/-])1"
NOT_ONE = r"(?<![\d.,:/-])(?:0|[2-9]|\d{2,})"
PLURAL_RULES = {
    "de": [
        re.compile(rf"{ONE}[ \u00a0]+(?:{GERMAN_PLURALS})\b"),
        re.compile(rf"{NOT_ONE}[ \u00a0]+(?:{GERMAN_SINGULARS})\b(?![-\w])"),
    ],
    "en": [
        re.compile(rf"{ONE}[ \u00a0]+(?:{ENGLISH_PLURALS})\b"),
        re.compile(rf"{NOT_ONE}[ \u00a0]+(?:{ENGLISH_SINGULARS})\b(?![-\w])"),
        # „Vom 22.09.2026“ read as „Of Sep 22, 2026“: a date needs „on“/„from“, not „of“.
        re.compile(r"\bOf [A-Z][a-z]{2} \d{1,2}, \d{4}"),
    ],
}


class _TextCollector(HTMLParser):
    def __init__(self, skipped: set[str]):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipped = skipped
        self.skipping = 0

    def handle_starttag(self, tag, attrs):
        if tag in self.skipped:
            self.skipping += 1
        elif tag not in INLINE:
            self.parts.append("\n")
        for name, value in attrs:
            if name in {"aria-label", "title", "placeholder", "alt"} and value:
                self.parts.append(f"\n{value}\n")

    def handle_endtag(self, tag):
        if tag in self.skipped:
            self.skipping = max(0, self.skipping - 1)
        elif tag not in INLINE:
            self.parts.append("\n")

    def handle_data(self, data):
        if not self.skipping:
            self.parts.append(data)


def visible_text(html: str, *, code: bool = False) -> list[str]:
    """The page's text as segments (one per block element), whitespace collapsed."""
    collector = _TextCollector(SKIPPED if code else SKIPPED | CODE)
    collector.feed(html)
    collector.close()
    segments = (
        re.sub(r"[ \t\r\u00a0]+", " ", s).strip() for s in "".join(collector.parts).split("\n")
    )
    return [s for s in segments if s]


def _is_abbreviation(text: str, dot: int) -> bool:
    """Whether the period at ``dot`` ends an abbreviation („usw.“, „z. B.“) or a number („12.“)."""
    word = re.search(r"(\w+)$", text[:dot])
    if not word:
        return False
    word = word.group(1)
    return len(word) == 1 or word.lower() in ABBREVIATIONS or word.isdigit()


def text_problems(text: str, locale: str = "de") -> list[str]:
    """What reads wrong in one text segment: doubled words, doubled punctuation, wrong plurals."""
    problems = []
    for match in DOUBLED_WORD.finditer(text):
        word = match.group(1)
        if word.isdigit() or match.group(0).lower() in ALLOWED_DOUBLES:
            continue
        if word != match.group(2) and word.lower() in CASE_DIFFERING_DOUBLES:
            continue
        if word.lower() in RELATIVE_PRONOUNS and re.search(r",\s*$", text[: match.start()]):
            continue
        problems.append(f"doubled word „{match.group(0)}“")
    for match in DOUBLED_PHRASE.finditer(text):
        problems.append(f"doubled phrase „{match.group(0)}“")
    plain = text.replace("...", "…")
    for match in DOUBLED_PUNCTUATION.finditer(plain):
        if match.group(1) and _is_abbreviation(plain, match.start(1)):
            continue
        problems.append(f"doubled punctuation „{match.group(0)}“")
    for match in SPACE_BEFORE.finditer(plain):
        problems.append(f"space before „{match.group(1)}“")
    for rule in PLURAL_RULES[locale]:
        for match in rule.finditer(text):
            problems.append(f"number and noun disagree: „{match.group(0)}“")
    return problems


@pytest.mark.parametrize(
    ("text", "locale", "found"),
    [
        ("Bitte bewerten Sie alle Aussagen (1 fehlen).", "de", True),
        ("Bitte bewerten Sie alle Aussagen (1 fehlt).", "de", False),
        ("Bitte bewerten Sie alle Aussagen (2 fehlen).", "de", False),
        ("Fortschritt: 0 von 1 Modulen abgeschlossen", "de", True),
        ("1 KI-Champion für 1 Mitarbeitende", "de", True),
        ("1 KI-Champion für 12 Mitarbeitende", "de", False),
        ("Richtig: Die Aufgabe in mehrere Schritte zerlegen.; Beispiele mitgeben.", "de", True),
        ("Richtig: Keine Floskeln.“. Weil es so ist.", "de", True),
        ("Das ist die die Aufgabe.", "de", True),
        ("Die Aufgaben, die die Person erledigt.", "de", False),
        ("Wenn Sie sie prüfen, passt es.", "de", False),
        ("Frage (mehrere Antworten richtig) (mehrere Antworten richtig)", "de", True),
        ("Texte, Tabellen usw., die Sie prüfen … und mehr...", "de", False),
        ("Zum Beispiel (z. B.: Angebote) und 1.000 Euro, Art. 4, Abs. 2.", "de", False),
        ("Stand: 22.09.2026.", "de", False),
        ("Fragen Sie nicht „Wer war das?“, sondern „Was lernen wir?“.", "de", False),
        ("„Ich komme.“, sagte er.", "de", True),
        ("Wirklich?.", "de", True),
        ("Das ist falsch .", "de", True),
        ("Erst das, dann das:: nicht.", "de", True),
        ("Wait,, what", "en", True),
        ("Of Sep 22, 2026 · visible to you only", "en", True),
        ("Completed on Sep 22, 2026", "en", False),
        ("0 of 1 modules completed", "en", True),
        ("1 person with a self-assessment", "en", False),
        ("12 people", "en", False),
        ("Read the the text", "en", True),
    ],
)
def test_the_checks_find_what_was_reported(text, locale, found):
    assert bool(text_problems(text, locale)) is found, text_problems(text, locale)


# ---------------------------------------------------------------------------------------------
# (b) The content: every string of the YAML files and of the modules' front matter, and the bodies


def _strings(data, where: str):
    if isinstance(data, str):
        yield where, data
    elif isinstance(data, dict):
        for key, value in data.items():
            yield from _strings(value, f"{where}.{key}")
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from _strings(value, f"{where}[{index}]")


def content_texts():
    """(where, text segment) for every string a learner can read in content/."""
    for path in sorted(CONTENT.rglob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        yield from _strings(data, path.relative_to(CONTENT).as_posix())
    for path in sorted((CONTENT / "modules").glob("*.md")):
        name = path.relative_to(CONTENT).as_posix()
        meta, body, _line = split_front_matter(path.read_text(encoding="utf-8"), name)
        yield from _strings(plain(meta), name)
        for segment in visible_text(render_content(body), code=True):
            yield f"{name} (Text)", segment


def test_the_content_reads_cleanly():
    problems = []
    for where, text in content_texts():
        for segment in visible_text(render_content(text), code=True) if "\n" in text else [text]:
            problems += [f"{where}: {p}" for p in text_problems(segment)]
    assert problems == []


def test_quiz_questions_do_not_announce_several_answers_themselves():
    """The page adds „(mehrere Antworten richtig)“; a question saying it too reads it twice."""
    said = [
        where
        for where, text in content_texts()
        if "mehrere Antworten richtig" in text and where.endswith(("question", "text"))
    ]
    assert said == []


# ---------------------------------------------------------------------------------------------
# (a) Every page of the demo company, for every demo login, in German and in English

LOGINS = [login[0] for login in DEMO_LOGINS]
SKIPPED_PATHS = ("/static/", "/meine-daten/export.json", "/berichte/nachweis/schulungen.csv")
# Detail pages of one kind (numbers in the path, modules) are alike: a few of each are enough here;
# every module is read with its right answers in test_every_module_with_its_right_answers_….
SAME_KIND_LIMIT = 3


@pytest.fixture(scope="module")
def demo_app(tmp_path_factory):
    """One app with the demo company and the real curriculum for the whole module."""
    folder = tmp_path_factory.mktemp("text-quality")
    app = create_app(
        conftest.test_config(f"sqlite:///{folder / 'demo.sqlite3'}"),
        instance_path=str(folder / "instance"),
    )
    with app.app_context():
        db.create_all()
        load_demo(app.config["CONTENT_DIR"])
        db.session.commit()
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def signed_in(app, email: str, locale: str, password: str = DEMO_PASSWORD):
    client = app.test_client()
    response = client.post("/anmelden", data={"email": email, "password": password})
    assert response.status_code == 302, email
    assert client.post("/sprache", data={"locale": locale, "next": "/"}).status_code == 302
    return client


def _links(html: str) -> list[str]:
    found = []
    for href in re.findall(r'<a\b[^>]*\bhref="([^"]+)"', html):
        href = urldefrag(href.replace("&amp;", "&"))[0]
        parts = urlsplit(href)
        if parts.scheme or parts.netloc or not href.startswith("/"):
            continue
        if href.startswith(SKIPPED_PATHS):
            continue
        found.append(href)
    return found


def walk(client, start: str = "/") -> dict[str, str]:
    """Every page reachable from ``start`` by links (a few of each numbered kind): url → HTML."""
    pages: dict[str, str] = {}
    kinds: dict[str, int] = {}
    queue = [start]
    while queue:
        url = queue.pop(0)
        if url in pages:
            continue
        kind = re.sub(r"\d+", "#", urlsplit(url).path)
        kind = re.sub(r"^/module/(?!zuweisen$)[\w-]+$", "/module/*", kind)
        if kind != urlsplit(url).path:
            if kinds.get(kind, 0) >= SAME_KIND_LIMIT:
                continue
            kinds[kind] = kinds.get(kind, 0) + 1
        response = client.get(url)
        assert response.status_code == 200, url
        if response.mimetype != "text/html":
            response.close()  # a streamed download ends its generator in its own context
            continue
        pages[url] = response.get_data(as_text=True)
        queue += [link for link in _links(pages[url]) if link not in pages]
    return pages


def page_problems(pages: dict[str, str], locale: str) -> list[str]:
    return [
        f"{url}: {problem}"
        for url, html in pages.items()
        for segment in visible_text(html)
        for problem in text_problems(segment, locale)
    ]


@pytest.mark.slow  # every page of every demo login in two languages: run by `make test-slow`
@pytest.mark.parametrize("locale", ["de", "en"])
@pytest.mark.parametrize("email", LOGINS)
def test_every_page_reads_cleanly(demo_app, email, locale):
    pages = walk(signed_in(demo_app, email, locale))
    assert "/meine-daten/" in pages
    assert page_problems(pages, locale) == []


def new_colleague(app, email: str, name: str) -> str:
    """A person who joins the demo company now (password PASSWORD), for flows that change data."""
    with app.app_context():
        make_person(email, name=name, department_name="Vertrieb")
        db.session.commit()
    return email


def test_every_module_with_its_right_answers_reads_cleanly(demo_app):
    """Right answers and explanations show once a quiz is passed: pass every quiz, then read."""
    email = new_colleague(demo_app, "ida.klug@muster.example", "Ida Klug")
    client = signed_in(demo_app, email, "de", PASSWORD)
    with demo_app.app_context():
        quizzes = {module_id: v.quiz for module_id, v in current_modules().items()}
    assert len(quizzes) >= 30  # the real curriculum
    for module_id, quiz in quizzes.items():
        right = {f"q-{i}": [str(c) for c in q["correct"]] for i, q in enumerate(quiz)}
        assert client.post(f"/module/{module_id}/quiz", data=right).status_code == 302, module_id
    for locale in ("de", "en"):
        client.post("/sprache", data={"locale": locale, "next": "/"})
        pages = {f"/module/{m}": client.get(f"/module/{m}").get_data(as_text=True) for m in quizzes}
        for module_id, quiz in quizzes.items():
            assert quiz[-1]["explanation"] in unescape(pages[f"/module/{module_id}"]), module_id
        assert page_problems(pages, locale) == []


def test_the_assessment_steps_and_their_messages_read_cleanly(demo_app):
    email = new_colleague(demo_app, "ole.offen@muster.example", "Ole Offen")
    client = signed_in(demo_app, email, "de", PASSWORD)
    definition = yaml.safe_load((CONTENT / "assessments" / "standard.yaml").read_text("utf-8"))
    statements = [s["id"] for s in definition["statements"]]
    assert client.post("/selbsteinschaetzung/starten").status_code == 302
    pages = {"1": client.get("/selbsteinschaetzung/schritt/1").get_data(as_text=True)}
    client.post("/selbsteinschaetzung/schritt/1", data={"function": "fachkraft"})
    one_missing = client.post(
        "/selbsteinschaetzung/schritt/2", data={s: "2" for s in statements[1:]}
    )
    assert one_missing.status_code == 400
    pages["2 (eine Aussage fehlt)"] = one_missing.get_data(as_text=True)
    assert "Bitte bewerten Sie alle Aussagen (1 fehlt)." in pages["2 (eine Aussage fehlt)"]
    client.post("/selbsteinschaetzung/schritt/2", data={s: "2" for s in statements})
    pages["3"] = client.get("/selbsteinschaetzung/schritt/3").get_data(as_text=True)
    assert page_problems(pages, "de") == []
    client.post("/sprache", data={"locale": "en", "next": "/"})
    english = {
        "2": client.post("/selbsteinschaetzung/schritt/2", data={}).get_data(as_text=True),
        "3": client.get("/selbsteinschaetzung/schritt/3").get_data(as_text=True),
    }
    assert page_problems(english, "en") == []


def test_demo_job_titles_agree_with_the_persons_first_name(demo_app):
    """„Tobias Vogel – Produktmanagerin“ was in the demo: a title's gender follows the name."""
    feminine = re.compile(r"\w(?:erin|eurin|entin)\b")
    masculine = re.compile(
        r"(?:leiter|führer|ingenieur|berater|referent|manager|techniker|entwickler|konstrukteur)\b",
        re.IGNORECASE,
    )
    with demo_app.app_context():
        people = db.session.scalars(sa.select(Person)).all()
        wrong = [
            f"{p.name} – {p.job_function}"
            for p in people
            if (feminine if p.name.split()[0] not in WOMENS_FIRST_NAMES else masculine).search(
                p.job_function
            )
        ]
    assert len(people) > 60
    assert wrong == []
