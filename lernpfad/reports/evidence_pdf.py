"""The AI Act Art. 4 evidence as an A4 PDF (German): the four parts of the evidence page, the
module versions in force and the measures, for the company or one department at a Stichtag.
Aggregates only — no names but the author's. The same library (fpdf2) and vendored fonts as
the certificate; every page carries „Seite X von Y“ and when and by whom it was made."""

from datetime import date

from flask_babel import force_locale, format_date, format_datetime, format_decimal, ngettext
from flask_babel import gettext as _
from fpdf import FPDF, FontFace
from fpdf.enums import TableBordersLayout, XPos, YPos

from lernpfad.certification.credentials.pdf import FONT, FONTS, INK, MUTED
from lernpfad.certification.credentials.services import PRODUCT_NAME, company_name, criteria_lines
from lernpfad.db import utcnow
from lernpfad.reports import rules
from lernpfad.reports.services import Evidence

MARGIN = 18
ACCENT = (23, 82, 140)
RULE = (200, 205, 210)
HEADING_FILL = (232, 238, 245)
SMALL = FontFace(size_pt=7, color=MUTED)


def document_title() -> str:
    return _("Nachweis nach Art. 4 KI-Verordnung (KI-Kompetenz)")


class EvidencePDF(FPDF):
    """A4 portrait with a running head from page 2 on and a footer on every page."""

    def __init__(self, *, running_head: str, made: str):
        super().__init__(orientation="P", unit="mm", format="A4")
        self.add_font(FONT, "", str(FONTS / "DejaVuSans.ttf"))
        self.add_font(FONT, "B", str(FONTS / "DejaVuSans-Bold.ttf"))
        self.set_margins(MARGIN, MARGIN + 4, MARGIN)
        self.set_auto_page_break(auto=True, margin=MARGIN + 6)
        self.running_head = running_head
        self.made = made

    def header(self):
        if self.page_no() == 1:
            return
        self.set_y(MARGIN - 6)
        self.set_font(FONT, "", 7.5)
        self.set_text_color(*MUTED)
        self.cell(0, 4, self.running_head, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_draw_color(*RULE)
        self.set_line_width(0.2)
        self.line(MARGIN, self.get_y() + 1, self.w - MARGIN, self.get_y() + 1)
        self.set_y(MARGIN + 4)

    def footer(self):
        self.set_y(-(MARGIN - 4))
        self.set_draw_color(*RULE)
        self.set_line_width(0.2)
        self.line(MARGIN, self.get_y() - 2, self.w - MARGIN, self.get_y() - 2)
        self.set_font(FONT, "", 7.5)
        self.set_text_color(*MUTED)
        self.cell(self.epw * 0.75, 4, self.made)
        self.cell(
            self.epw * 0.25,
            4,
            _("Seite %(page)s von %(pages)s", page=self.page_no(), pages=self.str_alias_nb_pages),
            align="R",
        )

    # --- building blocks ---------------------------------------------------------------------

    def paragraph(
        self, text: str, *, size: float = 9.5, style: str = "", color=INK, after: float = 1.5
    ):
        self.set_font(FONT, style, size)
        self.set_text_color(*color)
        self.multi_cell(0, size * 0.5, text, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.ln(after)

    def section(self, title: str):
        self.keep_room(28)  # a heading never stands alone at the foot of a page
        self.ln(3)
        self.set_font(FONT, "B", 12.5)
        self.set_text_color(*ACCENT)
        self.multi_cell(0, 7, title, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_draw_color(*ACCENT)
        self.set_line_width(0.4)
        self.line(MARGIN, self.get_y(), self.w - MARGIN, self.get_y())
        self.ln(2.5)

    def subsection(self, title: str):
        self.keep_room(22)
        self.ln(1.5)
        self.paragraph(title, size=10.5, style="B", after=1)

    def keep_room(self, height: float):
        if self.get_y() + height > self.page_break_trigger:
            self.add_page()

    def data_table(self, headings: list[str], rows: list[list[str]], widths, numeric=(), small=()):
        """A table whose head row is repeated on every page it runs over; long texts wrap.
        Columns in ``small`` (identifiers) are set smaller so that they rarely break. A short
        table is not split: it starts on the next page if it does not fit."""
        self.keep_room(8 + 6.5 * (len(rows) + 1) if len(rows) <= 8 else 16)
        self.set_font(FONT, "", 8.5)
        self.set_text_color(*INK)
        self.set_draw_color(*RULE)
        self.set_line_width(0.2)
        aligns = ["R" if index in numeric else "L" for index in range(len(headings))]
        with self.table(
            col_widths=widths,
            width=self.epw,
            text_align=aligns,
            line_height=4.2,
            padding=(1.2, 1.5),
            borders_layout=TableBordersLayout.HORIZONTAL_LINES,
            headings_style=FontFace(emphasis="BOLD", fill_color=HEADING_FILL, color=INK),
            repeat_headings=1,
        ) as table:
            table.row(headings)
            for values in rows:
                row = table.row()
                for index, value in enumerate(values):
                    row.cell(str(value), style=SMALL if index in small else None)
        self.ln(3)


# --- the document ---------------------------------------------------------------------------


def render(
    evidence: Evidence,
    *,
    day: date,
    department: str | None,
    dimensions: list[tuple[str, object]],
    roles: dict[str, str],
    min_group: int,
    author: str,
    individual_mode: bool = False,
    now=None,
) -> bytes:
    """The PDF of ``evidence`` (as of ``day``, for ``department`` or the company), German.
    ``individual_mode``: the privacy mode lets HR see individual levels (said on the page)."""
    with force_locale("de"):
        return _render(
            evidence,
            day,
            department,
            dimensions,
            roles,
            min_group,
            author,
            individual_mode,
            now or utcnow(),
        )


def _render(
    evidence, day, department, dimensions, roles, min_group, author, individual_mode, now
) -> bytes:
    company = company_name() or PRODUCT_NAME
    scope = _("Abteilung %(name)s", name=department) if department else _("Gesamtes Unternehmen")
    stichtag = format_date(day, format="long")
    pdf = EvidencePDF(
        running_head=f"{company} · {document_title()} · {scope} · {_('Stichtag %(date)s', date=stichtag)}",
        made=_(
            "Erstellt am %(moment)s von %(name)s",
            moment=format_datetime(now, "dd.MM.yyyy HH:mm"),
            name=author,
        ),
    )
    pdf.set_title(f"{document_title()} – {company} – {scope} – {stichtag}")
    pdf.set_author(company)
    pdf.set_creator(PRODUCT_NAME)
    pdf.set_lang("de-DE")
    pdf.add_page()

    _title_block(pdf, company, scope, stichtag, evidence, min_group, individual_mode)
    _needs(pdf, evidence, dimensions, min_group)
    _plan(pdf, evidence, roles, min_group)
    _updates(pdf, evidence)
    _documentation(pdf, evidence)
    _versions(pdf, evidence)
    _measures(pdf, evidence, roles)
    return bytes(pdf.output())


def _title_block(pdf, company, scope, stichtag, evidence, min_group, individual_mode):
    pdf.paragraph(company, size=11, style="B", color=ACCENT, after=2)
    pdf.paragraph(document_title(), size=17, style="B", after=4)
    pdf.set_font(FONT, "", 9.5)
    rows = [
        (_("Umfang"), scope),
        (_("Stichtag"), stichtag),
        (
            _("Stand der Zahlen"),
            _("heute (laufende Auswertung)")
            if evidence.day is None
            else _("bis zum Ende des Stichtags (Zeitzone des Unternehmens)"),
        ),
        (
            _("Datenschutzmodus"),
            _(
                "Einzelwerte für HR (protokolliert); dieses Dokument enthält nur zusammengefasste Zahlen"
            )
            if individual_mode
            else ngettext(
                "Zusammengefasst – Kompetenzstufen nur für Gruppen ab %(num)d Person",
                "Zusammengefasst – Kompetenzstufen nur für Gruppen ab %(num)d Personen",
                min_group,
            ),
        ),
    ]
    for label, value in rows:
        pdf.set_font(FONT, "B", 9.5)
        pdf.set_text_color(*MUTED)
        pdf.cell(41, 5.5, label)
        pdf.set_font(FONT, "", 9.5)
        pdf.set_text_color(*INK)
        pdf.multi_cell(0, 5.5, value, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(3)
    pdf.paragraph(
        _(
            "Art. 4 der KI-Verordnung (EU) 2024/1689 verpflichtet Anbieter und Betreiber von KI-Systemen, Maßnahmen zu ergreifen, damit ihr Personal über ausreichende KI-Kompetenz verfügt. Dieses Dokument fasst zusammen, welche Maßnahmen das Unternehmen dafür ergriffen hat: Bedarfsanalyse, Plan, Aktualisierungen und Dokumentation, dazu die geltenden Inhaltsversionen und die Liste der Maßnahmen."
        ),
        after=2,
    )
    pdf.paragraph(
        _(
            "Alle Zahlen sind zusammengefasst; dieses Dokument enthält keine Namen und keine einzelnen Antworten. Kompetenzstufen erscheinen nur für Gruppen ab %(n)d Personen mit Selbsteinschätzung. Teilnahmezahlen – abgeschlossene Selbsteinschätzungen und Module – sind Schulungsnachweise und erscheinen für jede Gruppengröße.",
            n=min_group,
        ),
        size=8.5,
        color=MUTED,
    )


def _needs(pdf, evidence, dimensions, min_group):
    pdf.section(_("1. Bedarfsanalyse"))
    pdf.paragraph(
        ngettext(
            "%(num)d von %(total)d Beschäftigten (%(p)d %%) hat die Selbsteinschätzung abgeschlossen.",
            "%(num)d von %(total)d Beschäftigten (%(p)d %%) haben die Selbsteinschätzung abgeschlossen.",
            evidence.assessed,
            total=evidence.staff,
            p=evidence.assessed_percent,
        )
    )
    competence = evidence.competence
    if competence.figures is None:
        pdf.paragraph(_competence_missing(evidence, min_group))
        return
    shown = competence.figures
    if competence.month:
        source = ngettext(
            "Stand der Monatsauswertung %(month)s, %(num)d Person mit Selbsteinschätzung.",
            "Stand der Monatsauswertung %(month)s, %(num)d Personen mit Selbsteinschätzung.",
            shown["n"],
            month=competence.month,
        )
    else:
        source = ngettext(
            "Stand der Veröffentlichung vom %(date)s, %(num)d Person mit Selbsteinschätzung.",
            "Stand der Veröffentlichung vom %(date)s, %(num)d Personen mit Selbsteinschätzung.",
            shown["n"],
            date=format_date(competence.published_at),
        )
    pdf.paragraph(
        _(
            "Mittlere Stufe und Anzahl Personen je Stufe (0 keine Kenntnisse bis 4 Experte) je Kompetenzbereich."
        )
        + " "
        + source,
        size=8.5,
        color=MUTED,
    )
    distribution = shown.get("distribution") or {}
    rows = []
    for key, label in dimensions:
        if key not in (shown.get("means") or {}):
            continue
        counts = distribution.get(key) or [""] * len(rules.LEVELS)
        rows.append(
            [str(label), format_decimal(shown["means"][key], "0.0"), *(str(c) for c in counts)]
        )
    pdf.data_table(
        [_("Kompetenzbereich"), _("Mittlere Stufe")]
        + [_("Stufe %(n)d", n=level) for level in rules.LEVELS],
        rows,
        (52, 22, 16, 16, 16, 16, 16),
        numeric=range(1, 7),
    )


def _competence_missing(evidence, min_group) -> str:
    competence = evidence.competence
    if competence.withheld:
        return _(
            "Kompetenzzahlen ausgeblendet: Zusammen mit den anderen Zahlen ließe sich sonst eine Gruppe unter %(n)d Personen errechnen.",
            n=min_group,
        )
    if evidence.day is None:
        return _(
            "Zu wenige Personen mit Selbsteinschätzung (weniger als %(n)d) – aus Datenschutzgründen keine Auswertung.",
            n=min_group,
        )
    if competence.month:
        return _(
            "Die Monatsauswertung %(month)s enthält für diese Gruppe keine Kompetenzzahlen: zu wenige Personen mit Selbsteinschätzung (weniger als %(n)d) oder ausgeblendet, damit sich keine kleinere Gruppe errechnen lässt.",
            month=competence.month,
            n=min_group,
        )
    return _(
        "Für diesen Stichtag liegt keine Monatsauswertung vor. Kompetenzzahlen eines vergangenen Stichtags stammen nur aus den monatlichen, bereits datenschutzgeprüften Auswertungen."
    )


def _plan(pdf, evidence, roles, min_group):
    pdf.section(_("2. Plan: rollenbezogene Lernpfade"))
    if evidence.day is not None:
        pdf.paragraph(
            _(
                "Die Zuordnung zu Lernpfaden wird ohne Verlauf gespeichert: Gezeigt ist der heutige Stand, nicht der am Stichtag."
            ),
            size=8.5,
            color=MUTED,
        )
    if evidence.path_roles_withheld:
        pdf.paragraph(
            _(
                "Die Verteilung auf die Lernpfade wird für Abteilungen mit weniger als %(n)d Personen nicht gezeigt: Sie folgt aus den Angaben der Selbsteinschätzung.",
                n=min_group,
            )
        )
        return
    if not evidence.path_roles:
        pdf.paragraph(_("Noch niemandem ist ein Lernpfad zugeordnet."))
        return
    pdf.paragraph(
        _(
            "Wie viele Personen welchem Lernpfad folgen. Der Lernpfad „KI-Champion“ zählt, wer ihn selbst gewählt hat oder nominiert wurde."
        )
    )
    pdf.data_table(
        [_("Lernpfad"), _("Personen")],
        [
            [roles.get(role, role), str(count)]
            for role, count in sorted(evidence.path_roles.items())
        ],
        (130, 44),
        numeric=(1,),
    )


def _updates(pdf, evidence):
    pdf.section(_("3. Aktualisierungen"))
    pdf.paragraph(
        ngettext(
            "%(num)d Selbsteinschätzung insgesamt",
            "%(num)d Selbsteinschätzungen insgesamt",
            evidence.results,
        )
        + " · "
        + ngettext(
            "%(num)d Person hat sie wiederholt",
            "%(num)d Personen haben sie wiederholt",
            evidence.reassessed,
        )
    )
    pdf.subsection(_("Inhaltsstände"))
    if not evidence.imports:
        pdf.paragraph(_("Noch keine Inhalte importiert."))
        return
    pdf.data_table(
        [_("Importiert am"), _("Version"), _("Geänderte Inhalte")],
        [
            [
                format_datetime(entry.imported_at, "dd.MM.yyyy HH:mm"),
                entry.tree_hash[:12],
                str(len(entry.summary.get("changed", []))),
            ]
            for entry in evidence.imports
        ],
        (50, 80, 44),
        numeric=(2,),
    )


def _documentation(pdf, evidence):
    pdf.section(_("4. Dokumentation"))
    pdf.paragraph(
        ngettext(
            "%(num)d abgeschlossenes Modul",
            "%(num)d abgeschlossene Module",
            evidence.completed_total,
        )
        + " "
        + ngettext("von %(num)d Person.", "von %(num)d Personen.", evidence.completed_people)
        + " "
        + _("Mitgezählt sind auch Personen, die das Unternehmen inzwischen verlassen haben.")
    )
    pdf.paragraph(
        _(
            "Die Schulungsnachweise je Person (Modul, Datum, Inhaltsversion) stehen im protokollierten CSV-Export; dieses Dokument nennt nur Zahlen je Modul."
        ),
        size=8.5,
        color=MUTED,
    )
    if evidence.completions:
        pdf.data_table(
            [_("Modul"), _("Abschlüsse")],
            [[title, str(count)] for _module_id, title, count in evidence.completions],
            (140, 34),
            numeric=(1,),
        )


def _versions(pdf, evidence):
    pdf.section(_("5. Inhaltsversionen"))
    if not evidence.versions:
        pdf.paragraph(_("Am Stichtag galten keine Lernmodule."))
        return
    pdf.paragraph(
        _(
            "Die Lernmodule in der Version, die am Stichtag galt. Die Version ist der Anfang der Prüfsumme (SHA-256) der Moduldatei; jeder Abschluss ist mit der Version gespeichert, auf der er erfolgte."
        )
    )
    pdf.data_table(
        [_("Modul-ID"), _("Titel"), _("Version"), _("Importiert am")],
        [
            [
                version.module_id,
                version.title,
                version.content_hash[:12],
                format_date(version.imported_at),
            ]
            for version in evidence.versions
        ],
        (58, 66, 26, 24),
        small=(0, 2),
    )


def _measures(pdf, evidence, roles):
    measures = evidence.measures
    pdf.section(_("6. Maßnahmen"))

    pdf.subsection(_("Selbsteinschätzung"))
    if measures.assessment_title:
        pdf.paragraph(
            _(
                "„%(title)s“ für alle Beschäftigten: ein Profil über die Kompetenzbereiche, daraus der persönliche Lernpfad. Wiederholung nach jeweils %(days)d Tagen; wer sie wiederholen kann, wird daran erinnert.",
                title=measures.assessment_title,
                days=measures.reassessment_days,
            )
        )
    else:
        pdf.paragraph(_("Am Stichtag war keine Selbsteinschätzung eingerichtet."))

    pdf.subsection(_("Lernpfade je Rolle"))
    if not measures.paths:
        pdf.paragraph(_("Am Stichtag waren keine Lernpfade eingerichtet."))
    for path in measures.paths:
        pdf.keep_room(30)
        pdf.paragraph(
            _(
                "%(title)s (Rolle: %(role)s)",
                title=path.title,
                role=roles.get(path.role, path.role),
            ),
            size=9.5,
            style="B",
            after=0.5,
        )
        if path.description:
            pdf.paragraph(path.description, size=8.5, color=MUTED, after=1.5)
        pdf.data_table(
            [_("Nr."), _("Modul"), _("Art"), _("Praxisaufgabe")],
            [
                [
                    str(number),
                    title,
                    _("Pflicht") if required else _("Wahl"),
                    _("Prüfung durch KI-Champion") if reviewed else _("Selbstkontrolle"),
                ]
                for number, (_module_id, title, required, reviewed) in enumerate(path.steps, 1)
            ],
            (10, 98, 18, 48),
            numeric=(0,),
        )

    pdf.subsection(_("Praxisaufgaben"))
    pdf.paragraph(
        ngettext(
            "%(num)d Lernmodul schließt mit einer Praxisaufgabe ab",
            "%(num)d Lernmodule schließen mit einer Praxisaufgabe ab",
            measures.tasks,
        )
        + "; "
        + ngettext(
            "bei %(num)d prüft ein KI-Champion die Abgabe.",
            "bei %(num)d prüft ein KI-Champion die Abgabe.",
            measures.reviewed_tasks,
        )
    )

    pdf.subsection(_("KI-Champions und Mentoring"))
    coverage = measures.champions
    champions = (
        str(int(coverage.champions))
        if coverage.champions == int(coverage.champions)
        else format_decimal(coverage.champions, "0.0#")
    )
    pdf.paragraph(
        _(
            "%(champions)s KI-Champions für %(staff)d Beschäftigte; nach der Faustregel (ein KI-Champion je %(per)d Beschäftigte) sind %(needed)d nötig.",
            champions=champions,
            staff=coverage.staff,
            per=rules.STAFF_PER_CHAMPION,
            needed=coverage.needed,
        )
        + " "
        + ngettext(
            "%(num)d bestätigte Mentoring-Sitzung bis zum Stichtag.",
            "%(num)d bestätigte Mentoring-Sitzungen bis zum Stichtag.",
            measures.mentoring_sessions,
        )
    )

    pdf.subsection(_("Zertifizierung"))
    if not measures.certification:
        pdf.paragraph(_("Am Stichtag war keine Zertifizierung eingerichtet."))
        return
    definition = measures.certification
    pdf.paragraph(
        ngettext(
            "„%(title)s“, gültig %(num)d Monat. Voraussetzungen:",
            "„%(title)s“, gültig %(num)d Monate. Voraussetzungen:",
            int(definition.get("validity_months", 12)),
            title=definition.get("title", ""),
        ),
        after=0.5,
    )
    pdf.set_font(FONT, "", 9.5)
    pdf.set_text_color(*INK)
    for line in criteria_lines(definition):
        pdf.cell(5, 4.75, "•")
        pdf.multi_cell(0, 4.75, line, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(1.5)
    pdf.paragraph(
        ngettext(
            "%(num)d gültiges Zertifikat am Stichtag.",
            "%(num)d gültige Zertifikate am Stichtag.",
            measures.certificates_valid,
        )
    )
