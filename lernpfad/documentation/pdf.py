"""The documentation as an A4 PDF (German): the same blocks as the page (sections.parts), with
page numbers "Seite X von Y", the generation date in every footer, tables whose cells wrap and
whose headings repeat on each page, and the role matrix on landscape pages. Fonts are vendored
(lernpfad/static/fonts), nothing is fetched."""

from pathlib import Path

from flask_babel import gettext as _
from fpdf import FPDF, FontFace
from fpdf.enums import TableBordersLayout, XPos, YPos

from lernpfad.documentation import blocks, sections
from lernpfad.documentation.services import Documentation

FONTS = Path(__file__).resolve().parent.parent / "static" / "fonts"
FONT = "DejaVuSans"
INK = (33, 37, 41)
MUTED = (90, 98, 106)
ACCENT = (23, 82, 140)
RULE = (200, 205, 212)
HEAD_FILL = (236, 240, 244)
AREA_FILL = (246, 248, 250)
MARGIN = 18
PRODUCT_NAME = "Lernpfad"


class DocumentationPDF(FPDF):
    def __init__(self, title: str, generated: str):
        super().__init__(orientation="P", unit="mm", format="A4")
        self.add_font(FONT, "", str(FONTS / "DejaVuSans.ttf"))
        self.add_font(FONT, "B", str(FONTS / "DejaVuSans-Bold.ttf"))
        self.set_margins(MARGIN, MARGIN, MARGIN)
        self.set_auto_page_break(auto=True, margin=MARGIN + 4)
        self.doc_title = title
        self.generated = generated

    def header(self):
        if self.page_no() == 1:
            return
        self.set_font(FONT, "", 7.5)
        self.set_text_color(*MUTED)
        self.set_y(8)
        self.cell(0, 4, self.doc_title, align="L")
        self.set_y(MARGIN)

    def footer(self):
        self.set_y(-12)
        self.set_font(FONT, "", 7.5)
        self.set_text_color(*MUTED)
        self.cell(self.epw / 2, 4, _("Stand: %(date)s", date=self.generated), align="L")
        self.cell(
            self.epw / 2,
            4,
            _("Seite %(page)s von %(pages)s", page=self.page_no(), pages="{nb}"),
            align="R",
        )

    def text_block(self, text: str, *, size=9.5, style="", color=INK, height=None, indent=0.0):
        self.set_font(FONT, style, size)
        self.set_text_color(*color)
        self.set_x(self.l_margin + indent)
        self.multi_cell(
            self.epw - indent,
            height or size * 0.5,
            text,
            align="L",
            new_x=XPos.LMARGIN,
            new_y=YPos.NEXT,
        )

    def heading(self, text: str, level: int):
        size = {1: 15, 2: 12, 3: 10}[level]
        space = {1: 0, 2: 4, 3: 3}[level]
        # Keep a heading with at least a few lines of what follows.
        if self.get_y() + 25 > self.page_break_trigger:
            self.add_page(orientation="L" if self.w > self.h else "P")
        elif self.get_y() > self.t_margin + 1:
            self.ln(space)
        self.text_block(text, size=size, style="B", color=ACCENT if level < 3 else INK)
        self.ln(1.5 if level > 1 else 3)


def _table(pdf: DocumentationPDF, headers, rows, widths, *, size=8.5):
    pdf.set_font(FONT, "", size)
    pdf.set_text_color(*INK)
    pdf.set_draw_color(*RULE)
    pdf.set_line_width(0.2)
    with pdf.table(
        width=pdf.epw,
        col_widths=widths,
        text_align="LEFT",
        v_align="TOP",
        line_height=size * 0.5,
        padding=(1.2, 1.6),
        first_row_as_headings=bool(headers),
        headings_style=FontFace(emphasis="BOLD", fill_color=HEAD_FILL),
        repeat_headings=1,
        borders_layout=TableBordersLayout.HORIZONTAL_LINES,
    ) as table:
        if headers:
            table.row(headers)
        for row in rows:
            table.row(row)
    pdf.ln(2)


def _facts(pdf: DocumentationPDF, items):
    pdf.set_font(FONT, "", 8.5)
    pdf.set_text_color(*INK)
    pdf.set_draw_color(*RULE)
    pdf.set_line_width(0.2)
    with pdf.table(
        width=pdf.epw,
        col_widths=(1, 2.6),
        text_align="LEFT",
        v_align="TOP",
        line_height=4.2,
        padding=(1.0, 1.6),
        first_row_as_headings=False,
        borders_layout=TableBordersLayout.HORIZONTAL_LINES,
    ) as table:
        bold = FontFace(emphasis="BOLD")
        for term, value in items:
            row = table.row()
            row.cell(term, style=bold)
            row.cell(value)
    pdf.ln(2)


def _bullets(pdf: DocumentationPDF, items):
    pdf.set_font(FONT, "", 9.5)
    pdf.set_text_color(*INK)
    for item in items:  # a hanging indent: wrapped lines start under the text
        pdf.cell(5, 5, "•")
        pdf.multi_cell(pdf.epw - 5, 5, item, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.ln(0.6)
    pdf.ln(1.5)


def _matrix(pdf: DocumentationPDF, matrix: blocks.Matrix):
    """The role matrix (on landscape pages): a table per area, headed by the area and the roles
    (repeated when an area runs onto the next page), one line per function, ✓ or – per role.
    An area starts on a new page rather than leave its heading alone at the foot of one."""
    widths = (3.4, *(1.0 for _role in matrix.roles))
    roles = [blocks.breakable(role) for role in matrix.roles]
    center = FontFace()
    scope_style = FontFace(color=MUTED, fill_color=AREA_FILL)
    for area in matrix.areas:
        needed = 10 + (6 if area.scope else 0) + 5.5 * min(3, len(area.lines))
        if pdf.get_y() + needed > pdf.page_break_trigger:
            pdf.add_page(orientation="L")
        pdf.set_font(FONT, "", 7.5)
        pdf.set_text_color(*INK)
        pdf.set_draw_color(*RULE)
        pdf.set_line_width(0.2)
        with pdf.table(
            width=pdf.epw,
            col_widths=widths,
            text_align=("LEFT", *("CENTER" for _role in matrix.roles)),
            v_align="MIDDLE",
            line_height=3.6,
            padding=(0.9, 1.2),
            first_row_as_headings=True,
            headings_style=FontFace(emphasis="BOLD", fill_color=HEAD_FILL),
            repeat_headings=1,
            borders_layout=TableBordersLayout.HORIZONTAL_LINES,
        ) as table:
            table.row([area.label, *roles])
            if area.scope:
                row = table.row()
                row.cell(area.scope, colspan=len(widths), style=scope_style, align="LEFT")
            for line in area.lines:
                row = table.row()
                label = line.label or line.address
                if line.public:
                    label += " · " + _("öffentlich")
                row.cell(label)
                for cell in line.cells:
                    mark = (
                        (blocks.YES + ("*" if cell.condition else ""))
                        if cell.allowed
                        else blocks.NO
                    )
                    row.cell(mark, style=center)
        pdf.ln(3)
    conditions = sorted(
        {
            (line.label or line.address, cell.condition)
            for area in matrix.areas
            for line in area.lines
            for cell in line.cells
            if cell.condition
        }
    )
    if conditions:
        pdf.ln(2)
        for label, condition in conditions:
            pdf.text_block(f"* {label}: {condition}", size=7.5, color=MUTED)


def _blocks(pdf: DocumentationPDF, items):
    for block in items:
        if isinstance(block, blocks.Paragraph):
            if block.note:
                pdf.text_block(block.text, size=8, color=MUTED, height=3.9)
            elif block.strong:
                pdf.ln(1)
                pdf.text_block(block.text, size=10, style="B", color=ACCENT)
            else:
                pdf.text_block(block.text)
            pdf.ln(2)
        elif isinstance(block, blocks.Bullets):
            _bullets(pdf, block.items)
        elif isinstance(block, blocks.Facts):
            _facts(pdf, block.items)
        elif isinstance(block, blocks.Table):
            _table(pdf, block.headers, block.rows, block.widths)
        elif isinstance(block, blocks.Matrix):
            _matrix(pdf, block)


def documentation_pdf(doc: Documentation) -> bytes:
    """The documentation as it stands at ``doc.generated_at``."""
    title = _("Datenschutz-Dokumentation Lernpfad")
    generated = blocks.when(doc.generated_at)
    pdf = DocumentationPDF(title, generated)
    company = doc.facts.company or PRODUCT_NAME
    pdf.set_title(title)
    pdf.set_author(company)
    pdf.set_creator(PRODUCT_NAME)
    pdf.set_lang("de-DE")
    pdf.add_page()

    pdf.text_block(company, size=10, style="B", color=ACCENT)
    pdf.ln(1)
    pdf.text_block(title, size=18, style="B", height=9)
    pdf.text_block(_("Stand: %(date)s", date=generated), size=9.5, color=MUTED)
    pdf.ln(2)
    pdf.text_block(sections.intro_text(), size=8.5, color=MUTED, height=4.2)
    pdf.ln(2)
    pdf.text_block(_("Inhalt"), size=10, style="B")
    parts = sections.parts(doc)
    for part in parts:
        pdf.text_block("– " + part.title, size=9.5, indent=2)
    pdf.ln(2)

    for index, part in enumerate(parts):
        if index:
            pdf.add_page(orientation="P")
        else:
            pdf.ln(2)
        pdf.heading(part.title, 1)
        for section in part.sections:
            # The role matrix's section gets landscape pages, the rest portrait ones.
            landscape = any(isinstance(b, blocks.Matrix) for b in section.blocks)
            if landscape != (pdf.w > pdf.h):
                pdf.add_page(orientation="L" if landscape else "P")
            pdf.heading(section.title, section.level)
            _blocks(pdf, section.blocks)
    return bytes(pdf.output())
