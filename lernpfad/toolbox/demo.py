"""The demo company's KI-Toolbox: invented tools and providers, linked to its use cases."""

from datetime import timedelta

import sqlalchemy as sa

from lernpfad.db import local_today
from lernpfad.extensions import db
from lernpfad.toolbox import rules
from lernpfad.toolbox.models import Tool
from lernpfad.toolbox.services import save_tool
from lernpfad.usecases.models import UseCase

# (values, status after the review or None, use cases by title)
TOOLS = [
    (
        {
            "name": "Muster-Assistent",
            "provider": "Nordlicht KI GmbH",
            "purpose": "Interner Chat-Assistent mit Unternehmenslizenz: Texte entwerfen, umformulieren und zusammenfassen, Ideen sammeln. Eingaben werden nicht zum Training verwendet.",
            "data_class": rules.YELLOW,
            "hosting_region": "deutschland",
            "has_dpa": True,
            "licence_model": "je_person",
            "monthly_cost_eur": 1150,
            "owner": "IT-Betrieb",
            "review_in_days": 150,
        },
        rules.APPROVED,
        [
            "Angebotsentwürfe aus Anfragen",
            "Gesprächsvorbereitung für Kundentermine",
            "Varianten für Kampagnentexte",
            "Antwortentwürfe für Standardanfragen",
            "Zusammenfassung von Verträgen",
            "Stellenanzeigen formulieren",
            "Testfälle aus Anforderungen ableiten",
        ],
    ),
    (
        {
            "name": "Sprachbrücke",
            "provider": "Sprachbrücke Übersetzungsdienste AG",
            "purpose": "Übersetzungen mit hinterlegtem Fachglossar, etwa für Produktdatenblätter und Angebote an Exportkunden.",
            "data_class": rules.YELLOW,
            "hosting_region": "eu",
            "has_dpa": True,
            "licence_model": "nutzungsabhaengig",
            "monthly_cost_eur": 180,
            "owner": "Marketing",
            "review_in_days": 90,
        },
        rules.APPROVED,
        ["Produkttexte für den Online-Katalog", "Technische Dokumentation überarbeiten"],
    ),
    (
        {
            "name": "Wissenslotse",
            "provider": "Eigenbetrieb mit einem Open-Source-Modell",
            "purpose": "Wissensassistent, der nur auf die freigegebenen Handbücher und die Tickethistorie zugreift und Fragen des Teams beantwortet.",
            "data_class": rules.YELLOW,
            "hosting_region": "eigener_betrieb",
            "has_dpa": False,
            "licence_model": "open_source",
            "monthly_cost_eur": 320,
            "owner": "IT-Betrieb und Kundenservice",
            "review_in_days": 200,
        },
        rules.APPROVED,
        [
            "FAQ aus Tickethistorie",
            "Vorsortierung eingehender Reklamationen",
            "Auswertung von Kundenfeedback",
        ],
    ),
    (
        {
            "name": "Bildwerk Studio",
            "provider": "Pixelfabrik Ltd.",
            "purpose": "Bildentwürfe und Moodboards für Kampagnenideen. Eingeschränkt: nur allgemeine Inhalte, nur für interne Entwürfe; veröffentlichte Motive nur nach Prüfung durch das Marketing und gekennzeichnet.",
            "data_class": rules.GREEN,
            "hosting_region": "drittland_angemessen",
            "has_dpa": False,
            "licence_model": "je_person",
            "monthly_cost_eur": 60,
            "owner": "Marketing",
            "review_in_days": -10,  # due: the review is overdue
        },
        rules.RESTRICTED,
        [],
    ),
    (
        {
            "name": "Protokollant",
            "provider": "Hörwerk Software GmbH",
            "purpose": "Transkription von Besprechungen (nur mit Zustimmung aller Beteiligten) und Protokollentwürfe daraus. Wird geprüft: Auftragsverarbeitungsvertrag und Beteiligung des Betriebsrats stehen aus.",
            "data_class": rules.YELLOW,
            "hosting_region": "deutschland",
            "has_dpa": False,
            "licence_model": "pauschal",
            "monthly_cost_eur": None,
            "owner": "KI-Koordination",
            "review_in_days": 30,
        },
        None,
        ["Protokolle von Besprechungen", "CRM-Notizen aus Gesprächsprotokollen"],
    ),
    (
        {
            "name": "Gratis-Chat im Browser",
            "provider": "Offenes Netz Inc.",
            "purpose": "Kostenloser öffentlicher Chat-Dienst mit privatem Konto: Eingaben können zum Training verwendet werden, es gibt keinen Vertrag mit dem Unternehmen. Für Arbeitsaufgaben nicht zugelassen – nutzen Sie den Muster-Assistenten.",
            "data_class": rules.GREEN,
            "hosting_region": "drittland",
            "has_dpa": False,
            "licence_model": "kostenlos",
            "monthly_cost_eur": None,
            "owner": "KI-Koordination",
            "review_in_days": None,
        },
        rules.REFUSED,
        [],
    ),
]


def load_demo_toolbox(coordinator) -> list[Tool]:
    """The toolbox as the KI-Koordination (``coordinator``) built it: each tool registered in
    review (or refused), then approved; every step in the audit log."""
    today = local_today()
    titles = {title for _values, _status, cases in TOOLS for title in cases}
    by_title = {
        use_case.title: use_case.id
        for use_case in db.session.scalars(sa.select(UseCase).where(UseCase.title.in_(titles)))
    }
    made = []
    for template, approved, cases in TOOLS:
        values = {key: value for key, value in template.items() if key != "review_in_days"}
        days = template["review_in_days"]
        values["review_on"] = today + timedelta(days=days) if days is not None else None
        values["status"] = rules.REFUSED if approved == rules.REFUSED else rules.IN_REVIEW
        use_cases = [by_title[title] for title in cases if title in by_title]
        tool = save_tool(Tool(), values, use_cases, actor=coordinator)
        if approved not in (None, rules.REFUSED):
            save_tool(tool, {**values, "status": approved}, use_cases, actor=coordinator)
        made.append(tool)
    return made
