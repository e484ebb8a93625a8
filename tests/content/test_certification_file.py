"""content/certification/champion.yaml is checked like every content file: file:line: reason."""

from pathlib import Path

import pytest

from lernpfad.content.loader import load_yaml
from lernpfad.content.validate import check_certification

REAL = Path(__file__).resolve().parents[2] / "content" / "certification" / "champion.yaml"
MODULES = {"wandel-champion-mentoring", "werkzeuge-fortgeschrittene-techniken"}


def problems(text: str) -> list[str]:
    data = load_yaml(text, "certification/champion.yaml")
    return [str(p) for p in check_certification(data, "certification/champion.yaml", MODULES)]


def test_the_shipped_requirements_are_valid():
    assert problems(REAL.read_text(encoding="utf-8")) == []


VALID = REAL.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("validity_months: 12", "validity_months: 0", "„validity_months“ muss 1 bis 60 sein"),
        ("pass_percent: 80", "pass_percent: 180", "„pass_percent“ muss 1 bis 100 sein"),
        ("    count: 2\n", "    count: zwei\n", "count"),
        (
            "  approval: {}          # die abschließende Freigabe durch eine zertifizierende Person\n",
            "",
            "Anforderung „approval“ fehlt",
        ),
        (
            "modules: [wandel-champion-mentoring,",
            "modules: [gibt-es-nicht,",
            "Unbekanntes Modul „gibt-es-nicht“",
        ),
    ],
)
def test_broken_requirements_are_reported_with_their_line(old, new, message):
    assert old in VALID
    found = problems(VALID.replace(old, new))
    assert any(message in p for p in found), found
    assert all(p.startswith("certification/champion.yaml:") for p in found)
