"""A handful of realistic use cases per department of the demo company."""

from datetime import timedelta

from lernpfad.auth.models import Department
from lernpfad.db import utcnow
from lernpfad.extensions import db
from lernpfad.usecases import pilots
from lernpfad.usecases.models import PilotMeasurement, UseCase

# department: [(title, process, problem, benefit, kpi, baseline, target, measured, value, feasibility, strategic, status)]
USE_CASES = {
    "Vertrieb": [
        (
            "Angebotsentwürfe aus Anfragen",
            "Angebotserstellung im Innendienst",
            "Standardangebote werden jedes Mal von Hand aus alten Angeboten zusammenkopiert.",
            "Schnellere Reaktion auf Anfragen, einheitliche Qualität.",
            "Zeit je Standardangebot (Minuten)",
            "90",
            "63",
            "60",
            5,
            4,
            4,
            "pilot",
        ),
        (
            "Gesprächsvorbereitung für Kundentermine",
            "Außendienst: Terminvorbereitung",
            "Informationen zum Kunden liegen verstreut in CRM, E-Mails und Notizen.",
            "Besser vorbereitete Gespräche in weniger Zeit.",
            "Vorbereitungszeit je Termin (Minuten)",
            "40",
            "15",
            "",
            4,
            4,
            3,
            "bewertet",
        ),
        (
            "CRM-Notizen aus Gesprächsprotokollen",
            "Nachbereitung von Kundengesprächen",
            "Gesprächsnotizen werden spät oder gar nicht ins CRM übertragen.",
            "Vollständigere Kundenhistorie.",
            "Anteil gepflegter Gesprächsnotizen (%)",
            "40",
            "80",
            "",
            3,
            3,
            3,
            "idee",
        ),
    ],
    "Marketing": [
        (
            "Varianten für Kampagnentexte",
            "Kampagnenplanung",
            "Für jede Zielgruppe werden Texte von Grund auf neu geschrieben.",
            "Mehr getestete Varianten bei gleichem Aufwand.",
            "Textvarianten je Kampagne",
            "2",
            "6",
            "5",
            4,
            5,
            3,
            "im_einsatz",
        ),
        (
            "Produkttexte für den Online-Katalog",
            "Pflege des Produktkatalogs",
            "Hunderte Artikel ohne aussagekräftige Beschreibung.",
            "Bessere Auffindbarkeit, weniger Rückfragen.",
            "Artikel mit vollständiger Beschreibung (%)",
            "35",
            "90",
            "",
            4,
            4,
            4,
            "bewertet",
        ),
        (
            "Bildgenerierung für Social Media",
            "Redaktionsplan Social Media",
            "Stockfotos wirken austauschbar.",
            "Eigenständigere Bildsprache.",
            "Interaktionsrate (%)",
            "1,2",
            "2,0",
            "",
            2,
            3,
            2,
            "verworfen",
        ),
    ],
    "Kundenservice": [
        (
            "Antwortentwürfe für Standardanfragen",
            "Bearbeitung des Service-Postfachs",
            "Wiederkehrende Fragen werden jedes Mal neu beantwortet.",
            "Kürzere Antwortzeiten, einheitlicher Ton.",
            "Bearbeitungszeit je Anfrage (Minuten)",
            "12",
            "6",
            "8",
            5,
            5,
            4,
            "pilot",
        ),
        (
            "Vorsortierung eingehender Reklamationen",
            "Reklamationsmanagement",
            "Reklamationen landen oft beim falschen Team.",
            "Weniger Weiterleitungen.",
            "Anteil falsch zugeordneter Reklamationen (%)",
            "25",
            "10",
            "",
            4,
            3,
            3,
            "idee",
        ),
        (
            "FAQ aus Tickethistorie",
            "Wissensdatenbank",
            "Die FAQ ist veraltet.",
            "Mehr Selbsthilfe für Kunden.",
            "Tickets zu FAQ-Themen je Monat",
            "300",
            "200",
            "",
            3,
            4,
            3,
            "bewertet",
        ),
    ],
    "Produktentwicklung": [
        (
            "Auswertung von Kundenfeedback",
            "Anforderungsmanagement",
            "Feedback aus Service und Vertrieb wird nicht systematisch ausgewertet.",
            "Priorisierte Verbesserungen auf Basis echter Kundenstimmen.",
            "Ausgewertete Rückmeldungen je Quartal",
            "50",
            "500",
            "",
            4,
            4,
            5,
            "bewertet",
        ),
        (
            "Testfälle aus Anforderungen ableiten",
            "Qualitätssicherung",
            "Testfälle werden spät und lückenhaft geschrieben.",
            "Frühere Fehlerfunde.",
            "Fehler nach Auslieferung je Release",
            "14",
            "8",
            "",
            4,
            3,
            4,
            "pilot",
        ),
        (
            "Technische Dokumentation überarbeiten",
            "Dokumentation",
            "Handbücher sind uneinheitlich und schwer verständlich.",
            "Weniger Rückfragen im Service.",
            "Rückfragen zu Handbüchern je Monat",
            "60",
            "30",
            "",
            3,
            4,
            2,
            "idee",
        ),
    ],
    "Verwaltung": [
        (
            "Zusammenfassung von Verträgen",
            "Vertragsprüfung im Einkauf",
            "Lange Lieferantenverträge werden unter Zeitdruck gelesen.",
            "Wichtige Klauseln schneller im Blick (Prüfung bleibt beim Menschen).",
            "Prüfzeit je Vertrag (Minuten)",
            "120",
            "70",
            "",
            4,
            3,
            3,
            "bewertet",
        ),
        (
            "Stellenanzeigen formulieren",
            "Personalgewinnung",
            "Stellenanzeigen klingen austauschbar.",
            "Mehr passende Bewerbungen.",
            "Bewerbungen je Anzeige",
            "8",
            "15",
            "",
            3,
            5,
            3,
            "im_einsatz",
        ),
        (
            "Protokolle von Besprechungen",
            "Interne Besprechungen",
            "Protokolle entstehen spät oder gar nicht.",
            "Beschlüsse sind für alle nachvollziehbar.",
            "Anteil protokollierter Besprechungen (%)",
            "30",
            "80",
            "",
            3,
            4,
            2,
            "idee",
        ),
    ],
}


# A larger company takes the same ideas up at more sites: one more use case per department for
# every few more staff, growing slower than the staff (3 at 10 staff, 10 at 200, 33 at 4,000).
SITES = [
    "Hamburg",
    "München",
    "Köln",
    "Leipzig",
    "Stuttgart",
    "Dortmund",
    "Nürnberg",
    "Bremen",
    "Dresden",
    "Hannover",
    "Freiburg",
    "Kassel",
]
# Most ideas are still ideas or being assessed; few are in use, some dropped.
STATUS_CYCLE = ["idee", "bewertet", "idee", "pilot", "bewertet", "im_einsatz", "idee", "verworfen"]


def use_cases_for(staff: int, templates: int) -> int:
    """How many use cases a department with ``staff`` staff has: its ``templates`` at demo size,
    growing with the 0.4th power of the staff, at most one per template and site."""
    grown = round(templates * (max(staff, 10) / 10) ** 0.4)
    return min(grown, templates * (1 + len(SITES)))


# Two departments working on the same thing without knowing (Doppelarbeit vermeiden): Vertrieb
# has „CRM-Notizen aus Gesprächsprotokollen“; Kundenservice registered this one. Not among the
# templates, so the hand-ins drawn for the demo stay as they were.
DUPLICATE = (
    "Kundentelefonate als CRM-Notiz zusammenfassen",
    "Nachbereitung von Kundentelefonaten",
    "Nach Telefonaten mit Kunden fehlen die Gesprächsnotizen im CRM; Kollegen fragen nach.",
    "Vollständige Kundenhistorie für Service und Vertrieb.",
    "Anteil gepflegter Gesprächsnotizen (%)",
    "30",
    "80",
    "",
    3,
    4,
    3,
    "bewertet",
)
# The pilots' readings: (department, title) → (days since the start, value, note); started
# 30 and 20 days ago, six weeks planned.
READINGS = {
    ("Vertrieb", "Angebotsentwürfe aus Anfragen"): (
        30,
        [
            (7, 78, "erste Woche, Vorlagen noch im Aufbau"),
            (14, 66, None),
            (21, 60, None),
            (28, 56, "Stichprobe von 20 Angeboten"),
        ],
    ),
    ("Kundenservice", "Antwortentwürfe für Standardanfragen"): (
        20,
        [(6, 11, None), (13, 9, None), (19, 8, "ohne Reklamationen")],
    ),
}


def load_demo_use_cases(
    departments: dict[str, Department],
    creators: dict[str, object],
    staff_per_department: dict[str, int] | None = None,
) -> list[UseCase]:
    """The departments' use cases; more of them where a department has many staff."""
    made = _template_use_cases(departments, creators)
    _load_demo_pilots(made, departments, creators)
    recorded = utcnow() - timedelta(days=390)
    for name, cases in USE_CASES.items():
        extra = use_cases_for((staff_per_department or {}).get(name, 0), len(cases)) - len(cases)
        for index in range(max(extra, 0)):
            template = cases[index % len(cases)]
            site = SITES[index // len(cases)]
            status = STATUS_CYCLE[index % len(STATUS_CYCLE)]
            # Recorded in the same months as the first ones: before any hand-in (≤ 300 days ago).
            at = recorded + timedelta(days=80 * (index + 1) / (extra + 1))
            case = _use_case(departments[name], creators[name], template, at)
            case.title = f"{case.title} ({site})"
            case.status = status
            if status not in ("pilot", "im_einsatz"):
                case.kpi_measured = None
            if status == "pilot":
                case.pilot_started_on = utcnow().date() - timedelta(days=10)
                case.pilot_weeks = pilots.DEFAULT_WEEKS
            db.session.add(case)
            made.append(case)
    db.session.flush()
    return made


def _use_case(department, creator, template: tuple, at) -> UseCase:
    (
        title,
        process,
        problem,
        benefit,
        kpi,
        baseline,
        target,
        measured,
        value,
        feasibility,
        strategic,
        status,
    ) = template
    unit = pilots.unit_of_kpi(kpi, baseline)
    return UseCase(
        kpi_unit=unit,
        kpi_baseline_value=pilots.parse_quantity(baseline)[0],
        kpi_target_value=pilots.parse_quantity(target)[0],
        department_id=department.id,
        title=title,
        process=process,
        problem=problem,
        expected_benefit=benefit,
        kpi_name=kpi,
        kpi_baseline=baseline,
        kpi_target=target,
        kpi_measured=measured or None,
        score_value=value,
        score_feasibility=feasibility,
        score_strategic=strategic,
        status=status,
        created_by_id=creator.id,
        created_at=at,
        updated_at=at,
    )


def _template_use_cases(
    departments: dict[str, Department], creators: dict[str, object]
) -> list[UseCase]:
    made = []
    # Recorded in the months after the people joined (400 days ago), before anyone's first
    # hand-in could refer to one (≤ 300 days ago): the report snapshots count them from then on.
    recorded = utcnow() - timedelta(days=390)
    for name, cases in USE_CASES.items():
        for template in cases:
            at = recorded + timedelta(days=5 * len(made))
            case = _use_case(departments[name], creators[name], template, at)
            db.session.add(case)
            made.append(case)
    db.session.flush()
    return made


def _load_demo_pilots(made: list[UseCase], departments, creators) -> None:
    """Start dates and readings for the template pilots, and the duplicate in Kundenservice."""
    today = utcnow().date()
    names = {department.id: name for name, department in departments.items()}
    for case in made:
        if case.status != "pilot":
            continue
        started_days_ago, readings = READINGS.get((names[case.department_id], case.title), (14, []))
        case.pilot_started_on = today - timedelta(days=started_days_ago)
        case.pilot_weeks = pilots.DEFAULT_WEEKS
        if readings:
            case.kpi_measured = None  # the readings say it now
        for day, value, note in readings:
            db.session.add(
                PilotMeasurement(
                    use_case_id=case.id,
                    measured_on=case.pilot_started_on + timedelta(days=day),
                    value=value,
                    note=note,
                    measured_by_id=case.created_by_id,
                )
            )
    at = utcnow() - timedelta(days=60)
    db.session.add(
        _use_case(departments["Kundenservice"], creators["Kundenservice"], DUPLICATE, at)
    )
    db.session.flush()
