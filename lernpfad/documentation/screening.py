"""Part C of the documentation: the DPIA screening (Art. 35 GDPR), each criterion answered
from the configuration (rules.dpia_screening) and explained in German."""

from flask_babel import gettext as _
from flask_babel import ngettext

from lernpfad.documentation import rules
from lernpfad.documentation.blocks import Paragraph, Part, Section, Table
from lernpfad.documentation.services import Documentation
from lernpfad.privacy.mode import INDIVIDUAL


def _screening_rows(doc: Documentation) -> list[list[str]]:
    answers = {
        "yes": _("ja"),
        "partly": _("teilweise"),
        "no": _("nein"),
        "open": _("offen"),
    }
    individual = doc.facts.mode.mode == INDIVIDUAL
    reasons = {
        "scoring": (
            _(
                "Selbsteinschätzung, Quiz und Prüfung bewerten Kenntnisse. Im Modus „Einzelwerte für HR“ sieht HR die Kompetenzstufen einzelner Personen."
            )
            if individual
            else _(
                "Selbsteinschätzung, Quiz und Prüfung bewerten Kenntnisse; die Stufen sieht nur die Person selbst, HR und Führungskräfte nur Zusammenfassungen über mindestens %(num)d Personen. HR sieht Abschlüsse und Zertifikate einzeln.",
                num=doc.facts.min_group,
            )
        ),
        "automated_decision": _(
            "Keine Entscheidung mit Rechtswirkung allein durch die Anwendung: Prüfungen werden automatisch ausgewertet, Zertifikate gibt ein Mensch (HR oder Prüfende/r) frei."
        ),
        "monitoring": (
            _(
                "Lernaktivitäten werden an einen Learning Record Store übermittelt (%(lrs)s); Umfang prüfen.",
                lrs=doc.facts.lrs,
            )
            if doc.facts.lrs
            else _(
                "Keine Messung von Lernzeiten, keine Ranglisten, keine Auswertung des Verhaltens; gespeichert werden Abschlüsse mit Datum."
            )
        ),
        "sensitive_data": _(
            "Keine besonderen Kategorien (Art. 9 DSGVO) vorgesehen. Freitexte (Abgaben, Projekte) könnten solche Angaben enthalten; Beschäftigte sollten darauf hingewiesen werden."
        ),
        "large_scale": ngettext(
            "%(num)d aktive Person. Ob das „umfangreich“ ist, bewertet die/der Datenschutzbeauftragte.",
            "%(num)d aktive Personen. Ob das „umfangreich“ ist, bewertet die/der Datenschutzbeauftragte.",
            doc.facts.active_people,
        ),
        "matching": (
            _(
                "Daten gehen an einen Learning Record Store und können dort mit anderen Quellen zusammengeführt werden."
            )
            if doc.facts.lrs
            else (
                _(
                    "Anmeldung über einen Identitätsanbieter (%(sso)s); es werden keine weiteren Datenbestände verknüpft.",
                    sso=doc.facts.sso,
                )
                if doc.facts.sso
                else _(
                    "Keine Verknüpfung mit anderen Datenbeständen; der Personalimport übernimmt nur Name, Adresse, Abteilung, Funktion und Rollen."
                )
            )
        ),
        "vulnerable": _(
            "Betroffen sind Beschäftigte, die vom Arbeitgeber abhängig sind (nach den Leitlinien des EDSA ein Kriterium)."
        ),
        "innovative": _(
            "Eine Lernplattform mit festen Regeln; es wird keine KI zur Bewertung von Personen eingesetzt."
        ),
        "prevents_rights": _(
            "Die Anwendung entscheidet nicht über Zugang zu Leistungen oder Verträgen; Betroffene sehen und exportieren ihre Daten selbst."
        ),
    }
    labels = {
        "scoring": _("Bewertung oder Einstufung (Scoring)"),
        "automated_decision": _("Automatisierte Entscheidung mit Rechtswirkung"),
        "monitoring": _("Systematische Überwachung"),
        "sensitive_data": _("Besondere oder höchstpersönliche Daten"),
        "large_scale": _("Umfangreiche Verarbeitung"),
        "matching": _("Abgleich oder Zusammenführung von Datensätzen"),
        "vulnerable": _("Schutzbedürftige Betroffene"),
        "innovative": _("Innovative Technologie"),
        "prevents_rights": _("Hindert an der Ausübung von Rechten"),
    }
    return [[labels[key], answers[doc.screening[key]], reasons[key]] for key in rules.CRITERIA]


def _screening_result(doc: Documentation) -> str:
    return {
        "recommended": _(
            "Ergebnis der Vorprüfung: DSFA empfohlen — mindestens zwei Kriterien sind erfüllt. Entscheidung der/des Datenschutzbeauftragten."
        ),
        "consider": _(
            "Ergebnis der Vorprüfung: DSFA voraussichtlich nicht erforderlich, Abwägung dokumentieren — ein Kriterium ist erfüllt, eines teilweise. Entscheidung der/des Datenschutzbeauftragten."
        ),
        "not_required": _(
            "Ergebnis der Vorprüfung: DSFA voraussichtlich nicht erforderlich. Entscheidung der/des Datenschutzbeauftragten."
        ),
    }[doc.screening_result]


def screening_part(doc: Documentation) -> Part:
    """The screening table and its result line."""
    return Part(
        "teil-c",
        _("Teil C: DSFA-Vorprüfung (Art. 35 DSGVO)"),
        [
            Section(
                "c-kriterien",
                _("Kriterien"),
                [
                    Paragraph(
                        _(
                            "Vorprüfung anhand der Kriterien der Leitlinien des Europäischen Datenschutzausschusses (WP 248), auf denen die Liste der Datenschutzkonferenz (DSK) aufbaut. Sind zwei oder mehr Kriterien erfüllt, ist eine Datenschutz-Folgenabschätzung in der Regel erforderlich. Die Antworten sind, soweit möglich, aus der laufenden Konfiguration abgeleitet; sie sind eine Arbeitshilfe, keine Rechtsberatung."
                        ),
                        note=True,
                    ),
                    Table(
                        [_("Kriterium"), _("Einschätzung"), _("Begründung")],
                        _screening_rows(doc),
                        (2, 1.3, 4),
                    ),
                    Paragraph(_screening_result(doc), strong=True),
                ],
            )
        ],
    )
