"""German names for the personal data export, with the English (technical) name of each.

The person reading the download is German: sections and fields carry German ASCII names (ae, oe,
ue). The export holds this table as "_schluessel" (German → English); the "Meine Daten" page shows
the sections.
"""

from flask_babel import lazy_gettext as _l

# (German key, English key, what the section holds) in the order of the page.
SECTIONS = (
    ("format", "format", _l("Kennung und Version des Dateiformats")),
    ("exportiert_am", "exported_at", _l("Zeitpunkt des Downloads")),
    ("konto", "person", _l("Ihr Konto: Name, E-Mail-Adresse, Abteilung, Funktion, Rollen")),
    (
        "selbsteinschaetzungen",
        "assessment_attempts",
        _l("Ihre Selbsteinschätzungen mit allen Antworten"),
    ),
    (
        "selbsteinschaetzung_ergebnisse",
        "assessment_results",
        _l(
            "Die Ergebnisse Ihrer Selbsteinschätzungen: Stufen je Bereich und zugeordneter Lernpfad"
        ),
    ),
    ("lernpfad", "path_assignment", _l("Ihr Lernpfad und wer ihn festgelegt hat")),
    ("modulfortschritt", "module_progress", _l("Ihr Fortschritt in jedem Modul")),
    ("quizversuche", "quiz_attempts", _l("Ihre Quizversuche mit Antworten und Ergebnis")),
    ("abgaben", "submissions", _l("Ihre Abgaben zu Praxisaufgaben mit Rückmeldungen")),
    ("modulzuweisungen", "module_assignments", _l("Module, die Ihnen zugewiesen wurden")),
    (
        "mentoring_sitzungen_als_mentee",
        "mentoring_sessions_as_mentee",
        _l("Mentoring-Sitzungen, in denen Sie begleitet wurden"),
    ),
    (
        "mentoring_sitzungen_als_champion",
        "mentoring_sessions_as_champion",
        _l("Mentoring-Sitzungen, die Sie als KI-Champion gehalten haben (ohne Namen)"),
    ),
    (
        "erfasste_anwendungsfaelle",
        "use_cases_created",
        _l("Anwendungsfälle, die Sie erfasst haben"),
    ),
    (
        "protokoll_zu_ihrem_konto",
        "audit_events_about_you",
        _l("Protokolleinträge zu Ihrem Konto"),
    ),
    ("fehlgeschlagene_anmeldungen", "failed_logins", _l("Fehlgeschlagene Anmeldungen")),
    ("emails_an_sie", "mails_to_you", _l("E-Mails, die Lernpfad an Sie geschickt hat")),
    ("mitteilungen", "notices", _l("Ihre Mitteilungen in Lernpfad (die Glocke)")),
    (
        "einstellungen_erinnerungen",
        "notification_preferences",
        _l("Ob Sie Erinnerungen und die Wochenübersicht erhalten möchten"),
    ),
    (
        "verschickte_erinnerungen",
        "reminders_sent",
        _l("Welche Erinnerungen Lernpfad Ihnen wann geschickt hat"),
    ),
    (
        "betreute_abteilungen",
        "departments_you_look_after",
        _l("Abteilungen, die Sie als KI-Champion betreuen"),
    ),
    (
        "ihre_angaben_als_champion",
        "your_champion_profile",
        _l("Ihre Sprechzeiten und Ihr Kontakthinweis im Verzeichnis der KI-Champions"),
    ),
    (
        "ihr_persoenlicher_champion",
        "your_individual_champion",
        _l("Der KI-Champion, dem HR Sie persönlich zugeordnet hat"),
    ),
    (
        "ihre_rueckmeldungen_als_champion",
        "reviews_you_wrote",
        _l("Ihre Rückmeldungen zu Abgaben als KI-Champion (ohne Namen)"),
    ),
    (
        "ihre_aktionen_im_protokoll",
        "your_actions_in_the_audit_log",
        _l("Ihre eigenen Aktionen im Protokoll"),
    ),
)

# English attribute name → German key, for the fields inside the sections. A column without an
# entry keeps its English name (tests/privacy/test_export.py asks for one).
FIELDS = {
    "id": "id",
    "action": "aktion",
    "active": "aktiv",
    "actor_id": "handelnde_person_id",
    "answered_at": "beantwortet_am",
    "answers": "antworten",
    "assessment_hash": "fragebogen_version",
    "assessment_key": "fragebogen",
    "assigned_by_id": "zugewiesen_von_id",
    "at": "zeitpunkt",
    "attempt_id": "selbsteinschaetzung_id",
    "attempts": "versuche",
    "base_role": "grundrolle",
    "body": "inhalt",
    "champion": "champion",
    "champion_choice": "champion_entscheidung",
    "champion_id": "champion_id",
    "client": "geraet_oder_adresse",
    "completed_at": "abgeschlossen_am",
    "completed_modules": "abgeschlossene_module",
    "contact": "kontakt",
    "correct": "richtig",
    "created_at": "erstellt_am",
    "created_by_id": "erstellt_von_id",
    "current_result_id": "aktuelles_ergebnis_id",
    "department": "abteilung",
    "department_id": "abteilung_id",
    "digest": "wochenuebersicht",
    "details": "details",
    "details_digest": "pruefsumme_details",
    "prev_hash": "pruefsumme_vorgaenger",
    "seq": "platz_in_der_kette",
    "hash": "pruefsumme",
    "due_on": "faellig_am",
    "email": "e_mail",
    "expected_benefit": "erwarteter_nutzen",
    "feedback": "rueckmeldung",
    "group_changed_at": "gruppenzugehoerigkeit_geaendert_am",
    "held_on": "stattgefunden_am",
    "hours": "stunden_pro_woche",
    "job_function": "funktion",
    "kpi_baseline": "kennzahl_ausgangswert",
    "kpi_measured": "kennzahl_gemessen",
    "kpi_name": "kennzahl",
    "key": "bezug",
    "kind": "art",
    "kpi_target": "kennzahl_zielwert",
    "last_error": "letzter_fehler",
    "last_login_at": "letzte_anmeldung_am",
    "levels": "stufen",
    "link_args": "link_angaben",
    "link_endpoint": "link_ziel",
    "locale": "sprache",
    "manager_id": "fuehrungskraft_id",
    "mentee_id": "mentee_id",
    "minutes": "minuten",
    "module_id": "modul_id",
    "name": "name",
    "next_attempt_at": "naechster_versuch_am",
    "next_step": "naechster_schritt",
    "nominated_champion": "als_champion_nominiert",
    "office_hours": "sprechzeiten",
    "passed": "bestanden",
    "params": "angaben",
    "path_role": "lernpfad_rolle",
    "person_id": "person_id",
    "problem": "problem",
    "process": "prozess",
    "quiz_attempts": "quizversuche",
    "quiz_passed": "quiz_bestanden",
    "quiz_passed_at": "quiz_bestanden_am",
    "read_at": "gelesen_am",
    "recipient": "empfaenger",
    "reminders": "erinnerungen",
    "returned_at": "zurueckgegeben_am",
    "reviewed_at": "geprueft_am",
    "reviewer_id": "pruefende_person_id",
    "role": "rolle",
    "roles": "rollen",
    "round": "runde",
    "score_feasibility": "bewertung_machbarkeit",
    "score_strategic": "bewertung_strategische_relevanz",
    "score_value": "bewertung_nutzen",
    "sent_at": "gesendet_am",
    "source": "quelle",
    "started_at": "begonnen_am",
    "state": "zustand",
    "status": "status",
    "subject": "betreff",
    "subject_id": "betroffene_person_id",
    "submitted_at": "eingereicht_am",
    "task_accepted": "aufgabe_angenommen",
    "tested_out": "per_quiz_abgeschlossen",
    "text": "text",
    "title": "titel",
    "topic": "thema",
    "total": "gesamt",
    "trusted": "bekanntes_geraet",
    "updated_at": "geaendert_am",
    "use_case_id": "anwendungsfall_id",
    "version_id": "version_id",
    "volunteered": "freiwillig_gemeldet",
}


def german(english: str) -> str:
    """The German key of a field (its English name where none is set)."""
    return FIELDS.get(english, english)


def legend() -> dict[str, str]:
    """German key → English key, for every section and field of the export."""
    return {
        **{key: english for key, english, _description in SECTIONS},
        **{key: english for english, key in FIELDS.items()},
    }
