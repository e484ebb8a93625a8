"""Modules name the toolbox ([[toolbox]], [[toolbox:gelb]]): `content check` validates the
shortcode, the module page shows the company's current tools; a practical task shows the tools
that serve the use cases it can be linked to."""

from pathlib import Path

import pytest

from lernpfad.content.services import read_content, sync_content
from lernpfad.extensions import db
from tests.content_factory import write_content
from tests.helpers import login_client
from tests.toolbox.conftest import add_tool, add_use_case

SHORTCODES = "\n\nAlle:\n\n[[toolbox]]\n\nFür gelbe Daten:\n\n[[toolbox:gelb]]\n"
EMPTY = "Ihr Unternehmen hat noch keine Werkzeuge freigegeben – fragen Sie die KI-Koordination."


def _content_with(tmp_path: Path, text: str) -> Path:
    root = write_content(tmp_path / "content")
    module = root / "modules" / "g1.md"
    module.write_text(module.read_text(encoding="utf-8") + text, encoding="utf-8")
    return root


@pytest.fixture
def toolbox_app(app_factory, tmp_path):
    app = app_factory(CONTENT_DIR=str(_content_with(tmp_path, SHORTCODES)))
    with app.app_context():
        sync_content(app.config["CONTENT_DIR"])
        db.session.commit()
    return app


def _lists(html: str) -> list[str]:
    """The module body's toolbox boxes, in order."""
    return html.split('class="admonition note toolbox-list"')[1:]


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("[[toolbox:blau]]", "Unbekannte Datenklasse „blau“"),
        ("Siehe [[toolbox:gelb]]", "muss allein auf einer Zeile stehen"),
        ("[[Toolbox]]", "muss allein auf einer Zeile stehen"),
    ],
)
def test_content_check_reports_a_wrong_shortcode_with_file_and_line(tmp_path, line, reason):
    root = _content_with(tmp_path, f"\n\n{line}\n")
    lines = (root / "modules" / "g1.md").read_text(encoding="utf-8").split("\n")
    bundle = read_content(root)
    problems = [p for p in bundle.problems if "toolbox" in p.reason.lower() or reason in p.reason]
    assert len(problems) == 1, bundle.problems
    assert problems[0].file == "content/modules/g1.md"
    assert lines[problems[0].line - 1] == line
    assert reason in problems[0].reason


def test_content_check_reads_task_instructions_too(tmp_path):
    root = write_content(tmp_path / "content")
    module = root / "modules" / "w1.md"
    text = module.read_text(encoding="utf-8").replace(
        "instructions: Tun Sie **etwas** an Ihrer echten Arbeit.",
        "instructions: |\n    Tun Sie etwas.\n\n    [[toolbox:lila]]",
    )
    module.write_text(text, encoding="utf-8")
    (problem,) = [p for p in read_content(root).problems if p.file.endswith("w1.md")]
    assert text.split("\n")[problem.line - 1].strip() == "[[toolbox:lila]]"


def test_content_check_accepts_the_shortcodes_and_the_shipped_curriculum_uses_them(tmp_path):
    assert read_content(_content_with(tmp_path, SHORTCODES)).ok
    shipped = Path(__file__).parents[2] / "content" / "modules"
    uses = {p.stem for p in shipped.glob("*.md") if "[[toolbox" in p.read_text(encoding="utf-8")}
    assert {"recht-ki-richtlinie", "recht-datenschutz-grundregeln", "werkzeuge-toolbox"} <= uses


def test_an_empty_toolbox_says_whom_to_ask(toolbox_app, people):
    with toolbox_app.app_context():
        add_tool(name="Noch in Prüfung", status="in_pruefung")
        add_tool(name="Verboten", status="nicht_zugelassen", data_class="gruen")
        db.session.commit()
    html = login_client(toolbox_app, "learner@example.org").get("/module/g1").get_data(as_text=True)
    boxes = _lists(html)
    assert len(boxes) == 2
    assert all(EMPTY in box for box in boxes)
    assert "[[toolbox" not in html and "Noch in Prüfung" not in html and "Verboten" not in html


def test_the_lists_show_the_current_tools_filtered_by_data_class(toolbox_app, people):
    client = login_client(toolbox_app, "learner@example.org")
    with toolbox_app.app_context():
        add_tool(name="Gelbwerk", data_class="gelb")
        add_tool(name="Grünwerk", data_class="gruen")
        add_tool(name="Rotwerk", status="eingeschraenkt", data_class="rot")
        add_tool(name="Prüfwerk", status="in_pruefung", data_class="rot")
        db.session.commit()
    every, yellow = _lists(client.get("/module/g1").get_data(as_text=True))
    for name in ("Gelbwerk", "Grünwerk", "Rotwerk"):
        assert name in every
    assert "Prüfwerk" not in every
    assert "Gelbwerk" in yellow and "Rotwerk" in yellow and "Grünwerk" not in yellow
    assert "eingeschränkt" in yellow  # the restricted tool says so
    # Only green tools: the yellow box says none is approved for the class.
    with toolbox_app.app_context():
        from lernpfad.toolbox.models import Tool

        for tool in db.session.query(Tool).filter(Tool.data_class != "gruen"):
            tool.status = "in_pruefung"
        db.session.commit()
    every, yellow = _lists(client.get("/module/g1").get_data(as_text=True))
    assert "Grünwerk" in every
    assert "Für diese Datenklasse hat Ihr Unternehmen noch kein Werkzeug freigegeben" in yellow


def test_tool_text_is_escaped_in_the_module(toolbox_app, people):
    with toolbox_app.app_context():
        add_tool(name="<script>alert(1)</script>")
        db.session.commit()
    html = login_client(toolbox_app, "learner@example.org").get("/module/g1").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_the_practical_task_shows_the_tools_that_fit_its_use_cases(app, people, content):
    with app.app_context():
        fitting = add_use_case("Antwortentwürfe")  # the learner's department (Vertrieb)
        bare = add_use_case("Ohne Werkzeug")
        elsewhere = add_use_case("Anderswo", department_name="Marketing")
        add_tool(name="Schreibhilfe", use_cases=[fitting, elsewhere])
        add_tool(name="Eingeschränkt", status="eingeschraenkt", use_cases=[fitting])
        add_tool(name="Im Test", status="in_pruefung", use_cases=[fitting, bare])
        add_tool(name="Fremdwerk", use_cases=[elsewhere])
        fitting_id = fitting.id
        db.session.commit()
    client = login_client(app, "learner@example.org")
    html = client.get("/module/g1").get_data(as_text=True)
    task = html[html.index('id="aufgabe"') :]
    assert "Passende Werkzeuge aus der KI-Toolbox für „Antwortentwürfe“" in task
    hint = task[task.index("Passende Werkzeuge") :]
    hint = hint[: hint.index("</p>")]
    assert "Schreibhilfe" in hint and "Eingeschränkt</a> (eingeschränkt)" in hint
    assert "Im Test" not in task and "Fremdwerk" not in task
    assert "für „Ohne Werkzeug“" not in task and "Anderswo" not in task
    # Handed in with the use case, the submission names the tools as well.
    submitted = client.post(
        "/module/g1/abgabe",
        data={"text": "Erledigt.", "use_case_id": str(fitting_id), "confirmed": "ja"},
    )
    assert submitted.status_code == 302
    html = client.get("/module/g1").get_data(as_text=True)
    submission = html[html.index('class="submission"') :]
    assert "Passende Werkzeuge aus der KI-Toolbox für „Antwortentwürfe“" in submission
    assert "Schreibhilfe" in submission
