"""The certificate as an A4 PDF (German): company, holder, title, dates, what was met, the status
(an expired or revoked certificate says so in red across the page) and a QR code that leads to
the public verification page. Fonts are vendored (lernpfad/static/fonts), nothing is fetched."""

import io
from datetime import datetime
from pathlib import Path

import segno
from flask_babel import force_locale, format_date
from flask_babel import gettext as _
from fpdf import FPDF
from fpdf.enums import XPos, YPos

from lernpfad.certification import services as certification
from lernpfad.certification.credentials.services import PRODUCT_NAME, company_name, met_lines
from lernpfad.certification.models import Certificate
from lernpfad.core.links import external_url

FONTS = Path(__file__).resolve().parent.parent.parent / "static" / "fonts"
FONT = "DejaVuSans"
INK = (33, 37, 41)
MUTED = (90, 98, 106)
ACCENT = (23, 82, 140)
ALERT = (176, 0, 32)
MARGIN = 20
QR_SIZE = 38  # mm; the code holds about 80 characters, so each module stays above 0.8 mm


def qr_png(url: str) -> io.BytesIO:
    """The QR code of ``url`` as PNG (error correction M, the standard quiet zone)."""
    buffer = io.BytesIO()
    segno.make(url, error="m", micro=False).save(buffer, kind="png", scale=12, border=4)
    buffer.seek(0)
    return buffer


class CertificatePDF(FPDF):
    def __init__(self):
        super().__init__(orientation="P", unit="mm", format="A4")
        self.add_font(FONT, "", str(FONTS / "DejaVuSans.ttf"))
        self.add_font(FONT, "B", str(FONTS / "DejaVuSans-Bold.ttf"))
        self.set_margins(MARGIN, MARGIN, MARGIN)
        self.set_auto_page_break(auto=True, margin=MARGIN)

    def line_of(
        self, text: str, *, size: float, style: str = "", color=INK, height=None, align="C"
    ):
        self.set_font(FONT, style, size)
        self.set_text_color(*color)
        self.multi_cell(
            0, height or size * 0.5, text, align=align, new_x=XPos.LMARGIN, new_y=YPos.NEXT
        )


def _date(moment: datetime) -> str:
    return format_date(moment, format="long")


def status_notice(status: str, certificate: Certificate) -> str | None:
    """The warning printed on a certificate that is no longer valid (German)."""
    if status == "revoked":
        return _(
            "WIDERRUFEN am %(date)s – dieses Zertifikat ist nicht mehr gültig.",
            date=_date(certificate.revoked_at),
        )
    if status == "expired":
        return _(
            "ABGELAUFEN am %(date)s – dieses Zertifikat ist nicht mehr gültig.",
            date=_date(certificate.valid_until),
        )
    return None


def certificate_pdf(certificate: Certificate, now: datetime | None = None) -> bytes:
    """The PDF of ``certificate`` as it stands ``now``."""
    verify_url = external_url("credentials.verify", code=certificate.code)
    status = certification.status(certificate, now)
    with force_locale("de"):
        return _render(certificate, status, verify_url)


def _render(certificate: Certificate, status: str, verify_url: str) -> bytes:
    company = company_name()
    pdf = CertificatePDF()
    pdf.set_title(f"{certificate.title} – {certificate.person.name}")
    pdf.set_author(company or PRODUCT_NAME)
    pdf.set_creator(PRODUCT_NAME)
    pdf.set_lang("de-DE")
    pdf.add_page()

    pdf.set_draw_color(*ACCENT)
    pdf.set_line_width(0.8)
    pdf.rect(10, 10, pdf.w - 20, pdf.h - 20)

    pdf.set_y(MARGIN + 6)
    pdf.line_of(company or PRODUCT_NAME, size=13, style="B", color=ACCENT)
    pdf.ln(10)
    pdf.line_of(_("Zertifikat"), size=30, style="B")
    pdf.ln(4)
    pdf.line_of(certificate.title, size=18, color=ACCENT)
    pdf.ln(12)
    pdf.line_of(_("verliehen an"), size=11, color=MUTED)
    pdf.ln(2)
    pdf.line_of(certificate.person.name, size=24, style="B")
    pdf.ln(10)
    pdf.line_of(
        _("Ausgestellt am %(date)s", date=_date(certificate.issued_at)), size=11, color=MUTED
    )
    pdf.line_of(_("Gültig bis %(date)s", date=_date(certificate.valid_until)), size=11, color=MUTED)

    notice = status_notice(status, certificate)
    if notice:
        pdf.ln(8)
        top = pdf.get_y()
        pdf.set_draw_color(*ALERT)
        pdf.set_line_width(1.2)
        pdf.line_of(notice, size=15, style="B", color=ALERT, height=9)
        pdf.rect(MARGIN, top - 2, pdf.epw, pdf.get_y() - top + 4)

    lines = met_lines(certificate)
    if lines:
        pdf.ln(12)
        pdf.line_of(_("Erfüllte Anforderungen"), size=12, style="B", align="L")
        pdf.ln(2)
        pdf.set_font(FONT, "", 10.5)
        pdf.set_text_color(*INK)
        for line in lines:  # a hanging indent: wrapped lines start under the text
            pdf.cell(6, 6, "•")
            pdf.multi_cell(pdf.epw - 6, 6, line, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    # The QR code and its address at the foot of the page (a new page if the list was long).
    footer_top = pdf.h - MARGIN - QR_SIZE - 4
    if pdf.get_y() > footer_top - 6:
        pdf.add_page()
    pdf.image(qr_png(verify_url), x=pdf.w - MARGIN - QR_SIZE, y=footer_top, w=QR_SIZE, h=QR_SIZE)
    text_width = pdf.epw - QR_SIZE - 6
    pdf.set_xy(MARGIN, footer_top + 4)
    pdf.set_font(FONT, "B", 10)
    pdf.set_text_color(*INK)
    pdf.multi_cell(text_width, 5, _("Echtheit prüfen"), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font(FONT, "", 9)
    pdf.set_text_color(*MUTED)
    pdf.multi_cell(
        text_width,
        4.5,
        _(
            "Scannen Sie den QR-Code oder öffnen Sie die Adresse darunter: Die Seite zeigt, ob dieses Zertifikat gültig ist."
        ),
        align="L",
        new_x=XPos.LMARGIN,
        new_y=YPos.NEXT,
    )
    pdf.ln(1)
    pdf.set_font(FONT, "", 7.5)
    pdf.multi_cell(text_width, 4, verify_url, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    return bytes(pdf.output())
