"""Similar use cases across departments ("Doppelarbeit vermeiden"), computed locally.

German text is normalised first: lower case, umlauts and ß spelled out (ä → ae), punctuation
dropped, stop words removed and the commonest endings cut („Angeboten“ → „angebot“). Two use
cases are compared by

- the words of title and problem (rapidfuzz's token-set ratio: shared words weigh, order not),
- character 4-grams of the same words run together (so „Angebotserstellung“ meets „Angebote
  erstellen“: compound words need no dictionary),
- the process alone, the same two ways: the same words in another process („Angebote“ of a
  supplier in purchasing vs. a quote in sales) are a different use case.

The score is 0–100; ``THRESHOLD`` was chosen on the labelled German pairs in
``similarity_pairs.yaml`` (tests/usecases/test_similarity.py prints precision and recall).
"""

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from math import sqrt

from rapidfuzz import fuzz

THRESHOLD = 42
NGRAM = 4

STOP_WORDS = frozenset(
    """
    aber alle allem allen aller alles als also am an ander andere anderen auch auf aus bei beim
    bereits bis bisher bzw da damit dann dass dem den denen der deren des dessen die dies diese
    diesem diesen dieser dieses doch dort durch ein eine einem einen einer eines einzeln es etwa
    etwas fuer gar gibt hat hatte haben ihr ihre im in ins ist jede jedem jeden jeder jedes jetzt
    kann kein keine koennen man mehr mit muss nach neu neue neuen nicht noch nur ob oder ohne
    per pro schon sehr sein seine sich sie sind so soll sollen sowie ueber um und uns unser unsere
    unter viel viele vom von vor war waren was weil wenig weniger wenn werden wie wir wird wo zu
    zum zur zwischen immer oft meist haeufig mal ganz jeweils bzw usw z b ca ki mithilfe hilfe
    mittels automatisch automatisiert automatisieren nutzen einsatz unterstuetzung unterstuetzen
    """.split()
)
SUFFIXES = ("ungen", "ung", "en", "er", "es", "e", "n", "s")
_WORD = re.compile(r"[a-z0-9]+")


def fold(text: str) -> str:
    """Lower case with umlauts and ß spelled out, other accents dropped."""
    text = (text or "").lower()
    for umlaut, spelled in (("ä", "ae"), ("ö", "oe"), ("ü", "ue"), ("ß", "ss")):
        text = text.replace(umlaut, spelled)
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def stem(word: str) -> str:
    """The commonest German endings cut, keeping at least four letters."""
    for suffix in SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    return word


def words(text: str) -> list[str]:
    """Normalised content words of ``text``."""
    return [stem(w) for w in _WORD.findall(fold(text)) if w not in STOP_WORDS and len(w) > 1]


def _grams(tokens: list[str]) -> Counter:
    joined = "".join(tokens)
    return Counter(joined[i : i + NGRAM] for i in range(max(len(joined) - NGRAM + 1, 0)))


def _norm(grams: Counter) -> float:
    return sqrt(sum(v * v for v in grams.values()))


def _cosine(a: Counter, a_norm: float, b: Counter, b_norm: float) -> float:
    """Cosine of two gram counts whose norms were computed once (``Profile``): the clusters
    compare every pair, so the norms are not summed again for each."""
    if not a or not b:
        return 0.0
    if len(a) > len(b):
        a, b = b, a
    dot = sum(count * b[gram] for gram, count in a.items() if gram in b)
    return dot / (a_norm * b_norm)


@dataclass(frozen=True)
class Profile:
    """A use case's text, normalised once for many comparisons."""

    subject: str  # title and problem words, sorted
    subject_grams: Counter
    process: str
    process_grams: Counter
    subject_norm: float = 0.0
    process_norm: float = 0.0


def profile(title: str, process: str, problem: str) -> Profile:
    subject = words(f"{title} {problem}")
    process_words = words(process)
    subject_grams = _grams(sorted(set(subject)))
    process_grams = _grams(sorted(set(process_words)))
    return Profile(
        " ".join(subject),
        subject_grams,
        " ".join(process_words),
        process_grams,
        _norm(subject_grams),
        _norm(process_grams),
    )


def _part(a: str, a_grams: Counter, a_norm: float, b: str, b_grams: Counter, b_norm) -> float:
    if not a or not b:
        return 0.0
    return 0.5 * fuzz.token_set_ratio(a, b) + 50 * _cosine(a_grams, a_norm, b_grams, b_norm)


def score(a: Profile, b: Profile) -> float:
    """0–100: two thirds what it is about (title and problem), one third the process; what
    it is about alone while one of them has no process yet (a form being typed)."""
    subject = _part(
        a.subject, a.subject_grams, a.subject_norm, b.subject, b.subject_grams, b.subject_norm
    )
    if not a.process or not b.process:
        return round(subject, 1)
    process = _part(
        a.process, a.process_grams, a.process_norm, b.process, b.process_grams, b.process_norm
    )
    return round((2 * subject + process) / 3, 1)


def similar(a: Profile, b: Profile, threshold: float = THRESHOLD) -> bool:
    return score(a, b) >= threshold


def clusters(items: list[tuple[int, int, Profile]], threshold: float = THRESHOLD) -> list[list]:
    """Groups of similar items (id, department id, profile) that span two or more departments:
    items joined by a similar pair of different departments (single linkage), largest first;
    within a group, ids in the order given."""
    parent = {item_id: item_id for item_id, _dept, _p in items}

    def root(item_id):
        while parent[item_id] != item_id:
            parent[item_id] = parent[parent[item_id]]
            item_id = parent[item_id]
        return item_id

    for i, (a_id, a_dept, a) in enumerate(items):
        for b_id, b_dept, b in items[i + 1 :]:
            if a_dept != b_dept and similar(a, b, threshold):
                parent[root(a_id)] = root(b_id)
    groups: dict = {}
    for item_id, _dept, _p in items:
        groups.setdefault(root(item_id), []).append(item_id)
    departments = {item_id: dept for item_id, dept, _p in items}
    found = [g for g in groups.values() if len({departments[i] for i in g}) > 1]
    return sorted(found, key=lambda g: (-len(g), g[0]))
