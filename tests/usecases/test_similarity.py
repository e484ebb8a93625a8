"""Similar use cases (lernpfad/usecases/similarity.py): the threshold on the labelled German pairs
in similarity_pairs.yaml, with precision and recall printed (``pytest -s``) and asserted."""

from pathlib import Path

import pytest
import yaml

from lernpfad.usecases import similarity

PAIRS = yaml.safe_load((Path(__file__).parent / "similarity_pairs.yaml").read_text("utf-8"))[
    "pairs"
]


def test_the_labelled_set_is_large_and_mixed():
    assert len(PAIRS) >= 40
    positives = sum(pair["similar"] for pair in PAIRS)
    assert 15 <= positives <= len(PAIRS) - 15
    # hard negatives: a reason why they are not the same is written down
    assert sum(1 for pair in PAIRS if not pair["similar"] and pair.get("note")) >= 15
    assert all(len(pair["a"]) == 3 and len(pair["b"]) == 3 for pair in PAIRS)


def test_threshold_has_precision_and_recall_of_at_least_0_8(capsys):
    outcomes = []
    for pair in PAIRS:
        found = similarity.similar(similarity.profile(*pair["a"]), similarity.profile(*pair["b"]))
        outcomes.append((found, pair["similar"], pair["a"][0], pair["b"][0]))
    true_pos = sum(1 for found, label, *_ in outcomes if found and label)
    false_pos = [(a, b) for found, label, a, b in outcomes if found and not label]
    false_neg = [(a, b) for found, label, a, b in outcomes if label and not found]
    precision = true_pos / (true_pos + len(false_pos))
    recall = true_pos / (true_pos + len(false_neg))
    with capsys.disabled():
        print(
            f"\nsimilarity threshold {similarity.THRESHOLD} on {len(PAIRS)} labelled pairs: "
            f"precision {precision:.2f}, recall {recall:.2f}"
        )
        for a, b in false_pos:
            print(f"  false positive: {a} ~ {b}")
        for a, b in false_neg:
            print(f"  missed: {a} ~ {b}")
    assert precision >= 0.8
    assert recall >= 0.8


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("Angebotserstellung im Innendienst", ["angebotserstell", "innendienst"]),
        ("Übersetzungen für Händler", ["uebersetz", "haendl"]),
        ("Größe der Maße", ["groess", "mass"]),
        ("die KI soll uns mit Protokollen helfen", ["protokoll", "helf"]),
        ("CRM-Notizen", ["crm", "notiz"]),
    ],
)
def test_words_are_folded_stemmed_and_without_stop_words(text, words):
    assert similarity.words(text) == words


def test_compound_words_meet_their_parts():
    compound = similarity.profile("Angebotserstellung", "", "")
    parts = similarity.profile("Angebote erstellen", "", "")
    other = similarity.profile("Reisekosten abrechnen", "", "")
    assert similarity.score(compound, parts) > similarity.score(compound, other) + 30


def test_the_process_tells_the_same_words_apart():
    sales = similarity.profile("Angebote schneller erstellen", "Angebotserstellung im Vertrieb", "")
    service = similarity.profile(
        "Angebote schneller erstellen", "Angebotserstellung im Kundenservice", ""
    )
    purchasing = similarity.profile(
        "Angebote schneller vergleichen", "Lieferantenauswahl im Einkauf", ""
    )
    assert similarity.score(sales, service) > similarity.score(sales, purchasing)


def test_nothing_typed_is_like_nothing():
    empty = similarity.profile("", "", "")
    assert similarity.score(empty, similarity.profile("Protokolle", "Besprechungen", "")) == 0


def test_clusters_span_departments_and_join_through_a_shared_neighbour():
    def item(item_id, department, title, process):
        return (item_id, department, similarity.profile(title, process, ""))

    items = [
        item(1, "V", "Besprechungsprotokolle erstellen", "Interne Besprechungen"),
        item(2, "K", "Protokolle von Besprechungen erstellen", "Besprechungen im Team"),
        item(3, "P", "Protokolle der Besprechungen schreiben", "Interne Besprechungen"),
        item(4, "V", "Reisekosten prüfen", "Reisekostenabrechnung"),
        item(5, "V", "Reisekostenabrechnungen prüfen", "Reisekostenabrechnung"),  # same dept
    ]
    assert similarity.clusters(items) == [[1, 2, 3]]
