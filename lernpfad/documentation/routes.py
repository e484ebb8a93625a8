"""The documentation page and its PDF (read-only, for the DPO, HR and administrators)."""

from flask import Blueprint, make_response, render_template
from flask_babel import force_locale

from lernpfad.access import roles_required
from lernpfad.auth.models import Role
from lernpfad.db import utcnow
from lernpfad.documentation import blocks, pdf, sections, services

bp = Blueprint("documentation", __name__, url_prefix="/dokumentation", template_folder="templates")

READERS = (Role.DPO, Role.HR, Role.ADMIN)


@bp.route("/")
@roles_required(*READERS)
def index():
    doc = services.documentation(utcnow())
    return render_template(
        "documentation/index.html",
        doc=doc,
        parts=sections.parts(doc),
        generated=blocks.when(doc.generated_at),
        company=doc.facts.company,
        intro=sections.intro_text(),
        breakable=blocks.breakable,
    )


@bp.route("/dokumentation.pdf")
@roles_required(*READERS)
def pdf_file():
    doc = services.documentation(utcnow())
    with force_locale("de"):
        data = pdf.documentation_pdf(doc)
    response = make_response(data)
    response.headers["Content-Type"] = "application/pdf"
    stamp = doc.generated_at.strftime("%Y-%m-%d")
    response.headers["Content-Disposition"] = (
        f'attachment; filename="lernpfad-datenschutz-dokumentation-{stamp}.pdf"'
    )
    response.headers["Cache-Control"] = "no-store"
    return response
