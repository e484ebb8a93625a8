"""The content check reports `file:line: reason`; the import is all or nothing and versioned."""

import pytest
import sqlalchemy as sa

from lernpfad.content.models import ContentDocument, ContentImport, ModuleVersion
from lernpfad.content.services import ContentInvalid, read_content, sync_content
from lernpfad.extensions import db
from tests.content_factory import write_content


@pytest.fixture
def tree(tmp_path):
    return write_content(tmp_path / "content")


def replace(path, old, new, count=1):
    text = path.read_text(encoding="utf-8")
    assert old in text, (old, path)
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def line_of(path, needle) -> int:
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if needle in line:
            return number
    raise AssertionError(needle)


def test_valid_tree_has_no_problems(tree):
    bundle = read_content(tree)
    assert bundle.problems == []
    assert set(bundle.modules) == {"g1", "w1", "w2", "q1"}
    assert set(bundle.paths) == {"anwender", "fachbereichsleitung", "fuehrungsebene", "champion"}


# (file, text to replace, replacement, line marker, expected reason)
BROKEN_ASSESSMENT = [
    (
        "dimension: recht",
        "dimension: rechtsgrundlagen",
        "dimension: rechtsgrundlagen",
        "Unbekannte Dimension „rechtsgrundlagen“",
    ),
    (
        "id: c-werkzeuge-1",
        "id: c-werkzeuge-2",
        "id: c-werkzeuge-2",
        "Kennung „c-werkzeuge-2“ doppelt",
    ),
    ("  - 0\n  explanation: Weil.", "  - 7\n  explanation: Weil.", "  - 7", "„correct“ enthält 7"),
    ("role: anwender", "role: praktikant", "role: praktikant", "„role“ muss eine Grundrolle sein"),
    ("title: KI-Selbsteinschätzung", "title: [kaputt", "title: [kaputt", "YAML-Fehler"),
]


@pytest.mark.parametrize(("old", "new", "marker", "reason"), BROKEN_ASSESSMENT)
def test_broken_assessment_is_reported_with_file_and_line(tree, old, new, marker, reason):
    path = tree / "assessments" / "standard.yaml"
    replace(path, old, new)
    problems = read_content(tree).problems
    assert problems, "the broken file must be reported"
    messages = [str(p) for p in problems]
    assert any(
        m.startswith(f"{tree.name}/assessments/standard.yaml:") and reason in m for m in messages
    ), messages
    lines = path.read_text(encoding="utf-8").splitlines()
    reported = [p.line for p in problems if reason in p.reason]
    # The line points at the broken text (a YAML syntax error: where the parser noticed it, one later).
    assert any(marker in lines[n - 1] or marker in lines[n - 2] for n in reported), (
        reported,
        messages,
    )


def test_missing_statements_for_a_dimension(tree):
    path = tree / "assessments" / "standard.yaml"
    text = path.read_text(encoding="utf-8").replace(
        "dimension: wandel\n  text: Ich kann wandel 2.",
        "dimension: wandel\n  text: Ich kann wandel 2.\n- id: b-wandel-3\n  dimension: wandel\n  text: x\n- id: b-wandel-4\n  dimension: wandel\n  text: y",
    )
    path.write_text(text, encoding="utf-8")
    assert any("„wandel“ hat 4 Einträge" in str(p) for p in read_content(tree).problems)


BROKEN_MODULE = [
    ("dimension: werkzeuge", "dimension: zauberei", "Unbekannte Dimension „zauberei“"),
    ("level: 2", "level: 7", "„level“ muss 1 bis 4 sein"),
    ("- w1\n", "- w9\n", "Voraussetzung „w9“ gibt es nicht"),
    (
        "Text von w2.",
        "Siehe [Modul](modul:gibtsnicht).",
        "Link auf unbekanntes Modul „modul:gibtsnicht“",
    ),
    ("id: w2", "id: w3", "passt nicht zum Dateinamen"),
    ("  - 0\n  explanation: Darum.", "  - 3\n  explanation: Darum.", "„correct“ enthält 3"),
    ("  review: true", "  review: vielleicht", "„review“ muss true oder false sein"),
    ("Text von w2.", "<script>alert(1)</script>", "HTML wie <script>"),
    ("duration: 15", "duration: fünfzehn", "„duration“ muss eine Zahl sein"),
]


@pytest.mark.parametrize(("old", "new", "reason"), BROKEN_MODULE)
def test_each_kind_of_module_error(tree, old, new, reason):
    replace(tree / "modules" / "w2.md", old, new)
    messages = [str(p) for p in read_content(tree).problems]
    assert any(m.startswith(f"{tree.name}/modules/w2.md:") and reason in m for m in messages), (
        messages
    )


def test_module_line_numbers_point_into_the_file(tree):
    path = tree / "modules" / "w2.md"
    replace(path, "level: 2", "level: 7")
    (problem,) = [p for p in read_content(tree).problems if "level" in p.reason]
    assert problem.line == line_of(path, "level: 7")


def test_prerequisite_cycle(tree):
    replace(tree / "modules" / "g1.md", "prerequisites: []", "prerequisites:\n- w2")
    messages = [str(p) for p in read_content(tree).problems]
    assert any("Voraussetzungen im Kreis" in m for m in messages), messages


def test_path_errors(tree):
    replace(tree / "paths" / "anwender.yaml", "role: anwender", "role: champion")
    replace(tree / "paths" / "champion.yaml", "- module: g1\n  required: true\n", "", 1)
    messages = [str(p) for p in read_content(tree).problems]
    assert any("anwender.yaml" in m and "passt nicht zum Dateinamen" in m for m in messages), (
        messages
    )
    assert any(
        "champion.yaml" in m and "Voraussetzung „g1“ von „w1“ muss im Pfad davor stehen" in m
        for m in messages
    ), messages


def test_path_step_without_module_is_a_warning_only(tree):
    text = (tree / "paths" / "anwender.yaml").read_text(encoding="utf-8")
    (tree / "paths" / "anwender.yaml").write_text(
        text + "- module: kommt-noch\n  required: true\n", encoding="utf-8"
    )
    bundle = read_content(tree)
    assert bundle.problems == []
    assert any("kommt-noch" in str(w) and "in Vorbereitung" in str(w) for w in bundle.warnings)


def test_competency_target_must_match_dimensions(tree):
    replace(tree / "competencies.yaml", "    wandel: 1\n", "")
    messages = [str(p) for p in read_content(tree).problems]
    assert any("competencies.yaml" in m and "fehlt: wandel" in m for m in messages), messages


def counts():
    return {
        model.__tablename__: db.session.scalar(sa.select(sa.func.count()).select_from(model))
        for model in (ContentDocument, ModuleVersion, ContentImport)
    }


def test_sync_imports_everything_then_nothing_when_unchanged(app, tree):
    with app.app_context():
        record = sync_content(tree)
        db.session.commit()
        assert record is not None
        assert counts() == {"content_documents": 7, "module_versions": 4, "content_imports": 1}
        assert sync_content(tree) is None
        db.session.commit()
        assert counts()["content_imports"] == 1


def test_changed_module_gets_a_new_version_and_keeps_the_old(app, tree):
    with app.app_context():
        sync_content(tree)
        db.session.commit()
        replace(tree / "modules" / "g1.md", "Text von g1.", "Neuer Text von g1.")
        sync_content(tree)
        db.session.commit()
        versions = db.session.scalars(
            sa.select(ModuleVersion).where(ModuleVersion.module_id == "g1")
        ).all()
        assert len(versions) == 2
        assert [v.is_current for v in sorted(versions, key=lambda v: v.id)] == [False, True]
        assert "Neuer Text" in [v for v in versions if v.is_current][0].body_html


def test_failed_import_changes_nothing(app, tree, runner):
    with app.app_context():
        sync_content(tree)
        db.session.commit()
        before = counts()
        replace(tree / "modules" / "g1.md", "Text von g1.", "Geänderter Text.")  # valid change ...
        replace(
            tree / "assessments" / "standard.yaml", "dimension: recht", "dimension: unbekannt"
        )  # ... and an error
        with pytest.raises(ContentInvalid):
            sync_content(tree)
        db.session.rollback()
        assert counts() == before
        current = db.session.scalar(
            sa.select(ModuleVersion).where(
                ModuleVersion.module_id == "g1", ModuleVersion.is_current
            )
        )
        assert "Geänderter" not in current.body_html


def test_cli_check_rejects_broken_assessment_and_leaves_database_unchanged(app, runner, tree):
    with app.app_context():
        before = counts()
    replace(
        tree / "assessments" / "standard.yaml", "dimension: recht", "dimension: rechtsgrundlagen"
    )
    result = runner.invoke(args=["lernpfad", "content", "check", "--path", str(tree)])
    assert result.exit_code == 1
    expected = f"{tree.name}/assessments/standard.yaml:{line_of(tree / 'assessments' / 'standard.yaml', 'rechtsgrundlagen')}: Unbekannte Dimension „rechtsgrundlagen“"
    assert expected in result.output
    sync = runner.invoke(args=["lernpfad", "content", "sync", "--path", str(tree)])
    assert sync.exit_code == 1
    assert "nichts importiert" in sync.output
    with app.app_context():
        assert counts() == before


def test_cli_sync_reports_import(app, runner, tree):
    result = runner.invoke(args=["lernpfad", "content", "sync", "--path", str(tree)])
    assert result.exit_code == 0, result.output
    assert "Import 1:" in result.output
    again = runner.invoke(args=["lernpfad", "content", "sync", "--path", str(tree)])
    assert "unverändert" in again.output


def test_missing_folder(tmp_path):
    problems = read_content(tmp_path / "nope").problems
    assert problems and "nicht gefunden" in problems[0].reason


def test_non_utf8_file(tree):
    (tree / "modules" / "w2.md").write_bytes("---\nid: w2\ntitle: Gr\xfc\xdfe\n".encode("latin-1"))
    assert any("UTF-8" in str(p) for p in read_content(tree).problems)
