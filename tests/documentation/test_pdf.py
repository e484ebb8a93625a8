"""The documentation as PDF: rendered to PNG (pdftoppm) and its text read back (pypdf)."""

import shutil
import subprocess

from pypdf import PdfReader

from lernpfad.auth.models import Role
from lernpfad.db import utcnow
from lernpfad.documentation import sections, services
from lernpfad.extensions import db
from tests.conftest import skip_or_fail
from tests.helpers import login_client, make_person


def test_pdf_renders_and_states_the_three_parts(app_factory, tmp_path):
    if shutil.which("pdftoppm") is None:
        skip_or_fail("pdftoppm is not installed (Debian: poppler-utils)")
    app = app_factory(
        PRIVACY_MIN_GROUP=6, MAIL_SERVER="smtp.example.org", COMPANY_NAME="Beispiel AG"
    )
    with app.app_context():
        make_person("dpo@example.org", roles={Role.DPO})
        db.session.commit()
    response = login_client(app, "dpo@example.org").get("/dokumentation/dokumentation.pdf")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert "attachment" in response.headers["Content-Disposition"]
    path = tmp_path / "dokumentation.pdf"
    path.write_bytes(response.data)

    subprocess.run(
        ["pdftoppm", "-png", "-r", "50", path.name, "seite"], cwd=tmp_path, check=True, timeout=60
    )
    reader = PdfReader(path)
    pngs = sorted(tmp_path.glob("seite-*.png"))
    assert len(pngs) == len(reader.pages) >= 5
    assert all(png.stat().st_size > 2000 for png in pngs)  # not blank

    pages = [page.extract_text() for page in reader.pages]
    text = "\n".join(pages)
    for heading in (
        "Teil A: Anlage zur Betriebsvereinbarung",
        "Teil B: Verzeichnis von Verarbeitungstätigkeiten (Art. 30 DSGVO)",
        "Teil C: DSFA-Vorprüfung (Art. 35 DSGVO)",
        "Wer sieht was: Rollenmatrix",
        "Technische und organisatorische Maßnahmen",
    ):
        assert heading in text, heading
    assert f"Seite 1 von {len(pages)}" in pages[0]
    assert f"Seite {len(pages)} von {len(pages)}" in pages[-1]
    assert "Stand: " in pages[0]
    assert "Beispiel AG" in pages[0]
    assert "Gruppen ab 6 Personen" in text
    assert "smtp.example.org" in text
    assert "Personen (Konten) – Tabelle people" in text
    assert "Protokoll (Audit-Log) – Tabelle audit_events" in text
    assert "Datenschutzbeauftragte/r" in text.replace("\u00ad", "").replace("-\n", "")
    # Every heading of the page is in the PDF (both are drawn from sections.parts).
    with app.test_request_context():
        titles = [
            title
            for part in sections.parts(services.documentation(utcnow()))
            for title in (part.title, *(section.title for section in part.sections))
        ]
    flat = " ".join(text.split())
    assert len(titles) > 40
    assert [title for title in titles if " ".join(title.split()) not in flat] == []
    # The matrix pages are landscape, the others portrait.
    landscape = [page.mediabox.width > page.mediabox.height for page in reader.pages]
    assert landscape[0] is False and any(landscape)
