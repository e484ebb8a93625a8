"""The documentation's texts as data: every table with personal data in plain German, the
tables without, the areas of the role matrix and the retention rules.

tests/documentation checks these against the running application: a table with a person
reference that is not described here, a described table that no longer exists, or a blueprint
without a label makes the tests fail."""

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

# Tables that hold a person's e-mail address, network address or id without a foreign key to
# people (the others are found through their foreign keys, see rules.person_tables).
PERSON_KEYED_TABLES = frozenset(
    {
        "login_failures",  # email, client
        "reset_requests",  # email, client
        "outbox_mails",  # recipient
        "verification_lookups",  # client (network address)
        "report_publication_members",  # person_id, no foreign key
        "report_publications",  # drift: ids of people
    }
)

# Legal bases are suggestions only: the page says so next to every one.
LEGAL_EMPLOYMENT = _l(
    "Art. 6 Abs. 1 lit. b DSGVO (Beschäftigungsverhältnis), ggf. i. V. m. § 26 BDSG bzw. einer Betriebsvereinbarung (Art. 88 DSGVO)"
)
LEGAL_AI_LITERACY = _l(
    "Art. 6 Abs. 1 lit. c DSGVO i. V. m. Art. 4 KI-Verordnung (Nachweis der KI-Kompetenz); im Übrigen Art. 6 Abs. 1 lit. b DSGVO"
)
LEGAL_SECURITY = _l(
    "Art. 6 Abs. 1 lit. f DSGVO (berechtigtes Interesse: Sicherheit des Systems, Art. 32 DSGVO)"
)
LEGAL_ACCOUNTABILITY = _l(
    "Art. 6 Abs. 1 lit. c DSGVO i. V. m. Art. 5 Abs. 2 und Art. 32 DSGVO (Rechenschaft, Nachvollziehbarkeit)"
)
LEGAL_VOLUNTARY = _l(
    "Art. 6 Abs. 1 lit. b DSGVO bzw. Betriebsvereinbarung; freiwillige Angaben der Person"
)


@dataclass(frozen=True)
class TableText:
    title: object  # lazy string: the table in a few words
    stored: object  # the columns in words
    purpose: object
    legal_basis: object
    audience: object  # who sees it, in words
    areas: tuple[str, ...]  # blueprints of the role matrix through which it is seen
    retention: str  # a key of RETENTION


PERSONAL_TABLES: dict[str, TableText] = {
    "people": TableText(
        _l("Personen (Konten)"),
        _l(
            "Name, dienstliche E-Mail-Adresse, Abteilung, Funktion, Vorgesetzte/r, aktiv/ausgeschieden, Passwort-Hash (argon2id), Sitzungskennung, Sprache, Zeitpunkte von Anlage und letzter Anmeldung, Verweis auf die letzte Selbsteinschätzung, Zahl abgeschlossener Module"
        ),
        _l("Anmeldung, Zuordnung zu Abteilung und Lernpfad, Einladungen, Berichtsgruppen"),
        LEGAL_EMPLOYMENT,
        _l(
            "Die Person selbst (Meine Daten); HR und Administration (Personenliste); Name und Abteilung auch für KI-Champions und Fachbereichsleitungen in ihrem Bereich"
        ),
        ("privacy", "people", "mentoring"),
        "until_anonymised",
    ),
    "person_roles": TableText(
        _l("Rollen"),
        _l("Welche Rollen eine Person hat (z. B. KI-Champion, HR, Administration)"),
        _l("Zugriffsrechte (siehe Rollenmatrix)"),
        LEGAL_EMPLOYMENT,
        _l("Die Person selbst; HR und Administration"),
        ("privacy", "people"),
        "until_anonymised_roles",
    ),
    "account_tokens": TableText(
        _l("Einmal-Links"),
        _l(
            "Einladungs- und Passwort-Links einer Person: nur der SHA-256-Hash des Links, Zweck, Erstellung, Ablauf, Verwendung"
        ),
        _l("Erstes Passwort setzen, Passwort zurücksetzen"),
        LEGAL_EMPLOYMENT,
        _l("Niemand in der Oberfläche (nur der Hash wird gespeichert)"),
        (),
        "one_time_links",
    ),
    "login_failures": TableText(
        _l("Fehlgeschlagene Anmeldungen"),
        _l(
            "Eingegebene E-Mail-Adresse, Gerät (Gerätekennung oder IP-Adresse), Zeitpunkt eines fehlgeschlagenen Anmeldeversuchs"
        ),
        _l("Schutz vor dem Erraten von Passwörtern (Wartezeiten nach Fehlversuchen)"),
        LEGAL_SECURITY,
        _l("Niemand in der Oberfläche"),
        (),
        "failed_logins",
    ),
    "reset_requests": TableText(
        _l("Anfragen „Passwort vergessen“"),
        _l("Eingegebene E-Mail-Adresse, IP-Adresse, Zeitpunkt, Bearbeitungsstand"),
        _l("Versand des Links zum Zurücksetzen, Begrenzung der Anfragen"),
        LEGAL_SECURITY,
        _l("Niemand in der Oberfläche"),
        (),
        "reset_requests",
    ),
    "assessment_attempts": TableText(
        _l("Selbsteinschätzung (Antworten)"),
        _l("Die Antworten einer Person auf die Fragen der Selbsteinschätzung, Beginn und Ende"),
        _l("Ermittlung der Kompetenzstufen und des passenden Lernpfads"),
        LEGAL_EMPLOYMENT,
        _l(
            "Nur die Person selbst. HR, Führungskräfte und KI-Champions sehen Antworten in keinem Modus."
        ),
        ("assessments", "privacy"),
        "answers",
    ),
    "assessment_results": TableText(
        _l("Selbsteinschätzung (Ergebnisse)"),
        _l(
            "Kompetenzstufen je Dimension, abgeleitete Rolle für den Lernpfad, Zeitpunkt, freiwillige Angaben (Interesse an der Rolle KI-Champion, verfügbare Stunden)"
        ),
        _l("Lernpfad der Person; Berichte nur als Zusammenfassung über Gruppen"),
        LEGAL_EMPLOYMENT,
        _l(
            "Die Person selbst. In Berichten nur zusammengefasst über Gruppen ab der Mindestgruppengröße; im Modus „Einzelwerte“ sieht HR auch die Stufen einer Person (protokolliert)."
        ),
        ("assessments", "privacy", "reports"),
        "levels",
    ),
    "path_assignments": TableText(
        _l("Lernpfad-Zuordnung"),
        _l(
            "Die Rolle des Lernpfads einer Person, ihre Herkunft (Selbsteinschätzung oder HR), Wahl zum Champion-Pfad"
        ),
        _l("Passende Module anbieten"),
        LEGAL_EMPLOYMENT,
        _l("Die Person selbst; HR (Änderung der Rolle, protokolliert)"),
        ("paths", "privacy"),
        "until_anonymised",
    ),
    "module_progress": TableText(
        _l("Lernfortschritt"),
        _l(
            "Je Modul: Stand, Inhaltsversion, Quiz bestanden, Aufgabe angenommen, Zeitpunkte von Beginn, Abgabe und Abschluss, Zahl der Quiz-Versuche"
        ),
        _l(
            "Lernpfad der Person; Nachweis nach Art. 4 KI-Verordnung (wer hat was wann abgeschlossen)"
        ),
        LEGAL_AI_LITERACY,
        _l(
            "Die Person selbst; HR sieht abgeschlossene Module mit Datum (Schulungsnachweis); Fachbereichsleitungen und Führungsebene nur Zahlen"
        ),
        ("modules", "privacy", "reports"),
        "until_anonymised_kept",
    ),
    "quiz_attempts": TableText(
        _l("Quiz-Versuche"),
        _l("Antworten, Zahl richtiger Antworten, bestanden, Zeitpunkt"),
        _l("Quiz bewerten, Pausen nach wiederholtem Nichtbestehen"),
        LEGAL_EMPLOYMENT,
        _l("Nur die Person selbst"),
        ("modules", "privacy"),
        "answers",
    ),
    "submissions": TableText(
        _l("Abgaben praktischer Aufgaben"),
        _l(
            "Text der Abgabe, verknüpfter Anwendungsfall, Stand, Rückmeldung und Prüfende/r, Zeitpunkte"
        ),
        _l("Praktische Aufgabe prüfen und Rückmeldung geben"),
        LEGAL_EMPLOYMENT,
        _l(
            "Die Person selbst und der KI-Champion, der sie betreut (eigene Abteilung oder persönliche Zuordnung). Nie HR oder Führungskräfte."
        ),
        ("modules", "mentoring", "privacy"),
        "texts_until_anonymised",
    ),
    "module_assignments": TableText(
        _l("Zugewiesene Module"),
        _l("Modul, Fälligkeitsdatum, zuweisende Person"),
        _l("Pflichtmodule und Fristen einer Abteilung"),
        LEGAL_EMPLOYMENT,
        _l("Die Person selbst; die Fachbereichsleitung ihrer Abteilung"),
        ("modules", "privacy"),
        "until_anonymised",
    ),
    "exam_attempts": TableText(
        _l("Prüfungsversuche (Zertifizierung)"),
        _l("Gezogene Fragen, Antworten, Ergebnis, bestanden, Beginn, Frist, Abgabe"),
        _l("Zertifizierungsprüfung der KI-Champions"),
        LEGAL_EMPLOYMENT,
        _l("Die Person selbst; HR und Prüfende sehen nur, ob die Prüfung bestanden ist"),
        ("exam", "certification", "privacy"),
        "texts_until_anonymised",
    ),
    "certification_projects": TableText(
        _l("Praxisprojekte (Zertifizierung)"),
        _l(
            "Titel, Beschreibung, Ausgangslage, Ergebnis, Wirkung, Anwendungsfall, Stand, Prüfende/r, Rückmeldung"
        ),
        _l("Nachweis eines eigenen KI-Projekts für die Zertifizierung"),
        LEGAL_EMPLOYMENT,
        _l("Die Person selbst; HR und Prüfende mit Prüfrecht"),
        ("certification", "privacy"),
        "texts_until_anonymised",
    ),
    "certificates": TableText(
        _l("Zertifikate"),
        _l("Titel, Code, Gültigkeit, erfüllte Anforderungen, Freigebende/r, Widerruf mit Grund"),
        _l("Nachweis der Qualifikation; öffentliche Echtheitsprüfung über den Code"),
        LEGAL_AI_LITERACY,
        _l(
            "Die Person selbst; HR; wer den Code kennt, sieht auf der Prüfseite Name, Titel und Gültigkeit"
        ),
        ("certification", "credentials", "privacy"),
        "until_anonymised_kept",
    ),
    "certifier_rights": TableText(
        _l("Prüfrechte"),
        _l("Wer Zertifizierungen freigeben darf, von wem und seit wann erteilt"),
        _l("Vier-Augen-Prinzip bei der Zertifizierung"),
        LEGAL_EMPLOYMENT,
        _l("HR"),
        ("certification",),
        "until_anonymised",
    ),
    "champion_departments": TableText(
        _l("Betreute Abteilungen"),
        _l("Welche KI-Champions welche Abteilung betreuen"),
        _l("Zuständigkeit für Mentoring und Prüfung von Abgaben"),
        LEGAL_EMPLOYMENT,
        _l("Alle Beschäftigten (Verzeichnis der KI-Champions); HR und Administration ändern"),
        ("mentoring",),
        "until_anonymised",
    ),
    "champion_mentees": TableText(
        _l("Persönliche Betreuung"),
        _l("Welcher KI-Champion eine einzelne Person außerhalb seiner Abteilungen betreut"),
        _l("Zuständigkeit für Mentoring und Prüfung von Abgaben"),
        LEGAL_EMPLOYMENT,
        _l("Die beiden Beteiligten; HR und Administration"),
        ("mentoring",),
        "deleted_on_anonymisation",
    ),
    "champion_profiles": TableText(
        _l("Sprechzeiten der KI-Champions"),
        _l("Sprechzeiten und Kontaktangabe, die ein KI-Champion selbst einträgt"),
        _l("Verzeichnis der Ansprechpersonen"),
        LEGAL_VOLUNTARY,
        _l("Alle Beschäftigten (Verzeichnis der KI-Champions)"),
        ("mentoring",),
        "deleted_on_anonymisation",
    ),
    "mentoring_sessions": TableText(
        _l("Mentoring-Sitzungen"),
        _l(
            "KI-Champion, betreute Person, Datum, Dauer, Thema, Bestätigung durch die betreute Person"
        ),
        _l("Nachweis der Betreuung (Anzahl und Dauer)"),
        LEGAL_EMPLOYMENT,
        _l("Die beiden Beteiligten; in Berichten nur als Zahlen"),
        ("mentoring", "privacy"),
        "texts_until_anonymised",
    ),
    "use_cases": TableText(
        _l("Anwendungsfälle"),
        _l(
            "Beschreibung eines KI-Anwendungsfalls der Abteilung, Kennzahlen, Bewertung, anlegende Person"
        ),
        _l("Register der KI-Anwendungsfälle"),
        LEGAL_EMPLOYMENT,
        _l("KI-Champions und Fachbereichsleitung der Abteilung; HR und Führungsebene lesen"),
        ("usecases",),
        "until_anonymised",
    ),
    "pilot_measurements": TableText(
        _l("Messwerte von Piloten"),
        _l("Datum, Wert und Notiz einer Messung der Kennzahl eines Piloten, messende Person"),
        _l("Wirkung eines Piloten gegenüber Ausgangs- und Zielwert"),
        LEGAL_EMPLOYMENT,
        _l(
            "KI-Champions und Fachbereichsleitung der Abteilung; HR, Führungsebene und KI-Koordination lesen"
        ),
        ("usecases", "reports", "privacy"),
        "until_anonymised",
    ),
    "pilot_decisions": TableText(
        _l("Entscheidungen über Piloten"),
        _l("Ausrollen, Verlängern oder Stoppen mit Begründung, entscheidende Person, Zeitpunkt"),
        _l("Nachvollziehbarer Abschluss eines Piloten"),
        LEGAL_EMPLOYMENT,
        _l(
            "KI-Champions und Fachbereichsleitung der Abteilung; HR, Führungsebene und KI-Koordination lesen"
        ),
        ("usecases", "privacy"),
        "until_anonymised",
    ),
    "notices": TableText(
        _l("Mitteilungen in der App"),
        _l("Art und Inhalt einer Mitteilung an eine Person, Link, Zeitpunkt, gelesen"),
        _l("Hinweise auf Rückmeldungen, Fristen und Zertifikate"),
        LEGAL_EMPLOYMENT,
        _l("Nur die Person selbst"),
        ("notices", "privacy"),
        "read_notices",
    ),
    "notification_preferences": TableText(
        _l("Einstellungen für Erinnerungen"),
        _l("Ob eine Person Erinnerungen und die Wochenübersicht per Mail bekommen möchte"),
        _l("Wunsch der Person beachten"),
        LEGAL_VOLUNTARY,
        _l("Nur die Person selbst"),
        ("notices", "privacy"),
        "until_anonymised",
    ),
    "reminder_log": TableText(
        _l("Versandte Erinnerungen"),
        _l("Art der Erinnerung, Bezug (z. B. Modul und Frist), Zeitpunkt"),
        _l("Jede Erinnerung nur einmal senden"),
        LEGAL_EMPLOYMENT,
        _l("Niemand in der Oberfläche"),
        (),
        "reminder_records",
    ),
    "outbox_mails": TableText(
        _l("Mail-Ausgang"),
        _l(
            "Empfängeradresse, Betreff, Text (kann Einmal-Links enthalten), Versandversuche, Fehlermeldung"
        ),
        _l("Zuverlässiger Versand von Einladungen, Erinnerungen und Mitteilungen"),
        LEGAL_EMPLOYMENT,
        _l("Administration (Mail-Ausgang: Empfänger, Betreff, Stand)"),
        ("admin",),
        "sent_mails",
    ),
    "audit_events": TableText(
        _l("Protokoll (Audit-Log)"),
        _l(
            "Zeitpunkt, handelnde Person, betroffene Person, Aktion (z. B. Ansicht eines Schulungsnachweises, Rollenänderung, Moduswechsel), Einzelheiten, Hash-Kette"
        ),
        _l("Nachvollziehbarkeit jeder Einsicht in die Daten einer Person und jeder Rechteänderung"),
        LEGAL_ACCOUNTABILITY,
        _l(
            "HR und Datenschutzbeauftragte/r (lesend, mit Export); die betroffene Person sieht die Einträge über sich unter „Meine Daten“"
        ),
        ("audit", "privacy"),
        "audit",
    ),
    "privacy_mode_changes": TableText(
        _l("Wechsel des Datenschutzmodus"),
        _l("Neuer Modus, Begründung, Zeitpunkt, wer gewechselt hat"),
        _l("Nachvollziehbarkeit, ab wann Einzelwerte sichtbar waren"),
        LEGAL_ACCOUNTABILITY,
        _l("Administration; diese Dokumentation (HR, Datenschutzbeauftragte/r)"),
        ("admin", "documentation"),
        "audit",
    ),
    "report_publications": TableText(
        _l("Veröffentlichte Berichtszahlen"),
        _l(
            "Zusammengefasste Zahlen je Gruppe; Kennungen (keine Namen) der Personen, deren Ergebnis sich seit der letzten Veröffentlichung geändert hat"
        ),
        _l(
            "Zahlen erst ändern, wenn sich genug Ergebnisse geändert haben (Schutz vor Rückschlüssen auf Einzelne)"
        ),
        LEGAL_EMPLOYMENT,
        _l(
            "Die Zahlen: HR, Fachbereichsleitung (eigene Abteilung), Führungsebene; die Kennungen: niemand"
        ),
        ("reports",),
        "publication",
    ),
    "report_publication_members": TableText(
        _l("Grundlage veröffentlichter Zahlen"),
        _l(
            "Kennung einer Person und ihres Ergebnisses, das in die veröffentlichten Zahlen eingegangen ist"
        ),
        _l(
            "Zahlen erst ändern, wenn sich genug Ergebnisse geändert haben (Schutz vor Rückschlüssen auf Einzelne)"
        ),
        LEGAL_EMPLOYMENT,
        _l("Niemand in der Oberfläche"),
        (),
        "publication",
    ),
    "verification_lookups": TableText(
        _l("Abrufe der Zertifikatsprüfung"),
        _l(
            "IP-Adresse (IPv6 gekürzt auf das /64-Netz) und Zeitpunkt eines Abrufs der öffentlichen Prüfseite"
        ),
        _l("Schutz vor dem Durchprobieren von Zertifikatscodes"),
        LEGAL_SECURITY,
        _l("Niemand in der Oberfläche"),
        (),
        "verification_lookups",
    ),
    "api_tokens": TableText(
        _l("API-Zugänge"),
        _l(
            "Name und Rechte eines Zugangs für ein HR-System, nur der SHA-256-Hash des Tokens, wer ihn angelegt und widerrufen hat, Ablauf, letzte Nutzung, Zähler der Aufrufe je Minute"
        ),
        _l(
            "Zugriff von HR-Systemen auf Personen, Schulungsnachweise und zusammengefasste Zahlen; Begrenzung der Aufrufe"
        ),
        LEGAL_SECURITY,
        _l("Administration (API-Zugänge)"),
        ("api_tokens",),
        "api_tokens",
    ),
    "sso_identities": TableText(
        _l("Verbindung zum Firmenkonto (Single Sign-on)"),
        _l(
            "Aussteller (Issuer) und Kennung (sub) des Firmenkontos beim Anmeldedienst, Zeitpunkte der ersten und der letzten Anmeldung darüber"
        ),
        _l(
            "Anmeldung mit dem Firmenkonto; nach der ersten Anmeldung zählt nur diese Verbindung, nicht mehr die E-Mail-Adresse"
        ),
        LEGAL_SECURITY,
        _l("Niemand in der Oberfläche"),
        (),
        "deleted_on_anonymisation",
    ),
    "xapi_actors": TableText(
        _l("Pseudonym für Lernaktivitäten (xAPI)"),
        _l("Eine zufällige Kennung je Person, unter der ihre Lernaktivitäten ausgegeben werden"),
        _l(
            "Lernaktivitäten ohne Namen und Adresse an ein Learning Record Store geben oder exportieren"
        ),
        LEGAL_AI_LITERACY,
        _l(
            "Die Person selbst (Meine Daten); HR im Export der Lernaktivitäten; das angebundene Learning Record Store"
        ),
        ("privacy", "xapi"),
        "deleted_on_anonymisation",
    ),
    "xapi_outbox": TableText(
        _l("Ausgang der Lernaktivitäten (xAPI)"),
        _l(
            "Lernaktivitäten (Modul begonnen oder abgeschlossen, Quiz, Praxisaufgabe, Prüfung, Zertifikat mit Ergebnis und Zeitpunkt) unter dem Pseudonym, Versandversuche und Fehler"
        ),
        _l("Zuverlässige Übergabe an ein Learning Record Store mit Wiederholung nach Fehlern"),
        LEGAL_AI_LITERACY,
        _l(
            "Administration (Anzahlen und Fehler im Betrieb); das angebundene Learning Record Store"
        ),
        ("xapi",),
        "xapi_outbox",
    ),
}

# Every other table, with the reason it holds no personal data.
OTHER_TABLES = {
    "departments": _l("Namen der Abteilungen"),
    "content_documents": _l("Lehrplan und Kompetenzmodell (Inhalte)"),
    "content_imports": _l("Zeitpunkte und Prüfsummen der Inhaltsimporte"),
    "module_versions": _l("Versionen der Lernmodule (Inhalte)"),
    "job_runs": _l("Läufe der geplanten Aufgaben mit Anzahlen, ohne Personenbezug"),
    "report_snapshots": _l(
        "Monatliche Kennzahlen je Gruppe, nur zusammengefasst und unter Beachtung der Mindestgruppengröße"
    ),
    "audit_chain_head": _l(
        "Länge und letzter Hash der Protokollkette (erkennt ein gelöschtes letztes Protokoll)"
    ),
    "toolbox_tools": _l(
        "KI-Werkzeuge des Unternehmens (KI-Toolbox): Anbieter, Freigabe, Datenklasse, Hosting, Vertrag, Kosten, Verantwortliche als Text (Team oder Funktion); wer was geändert hat, steht im Protokoll"
    ),
    "toolbox_tool_use_cases": _l("Welche Werkzeuge welchen Anwendungsfällen dienen"),
    "xapi_scan": _l("Bis zu welchem Zeitpunkt nach neuen Lernaktivitäten gesucht wurde"),
}

# Retention: the text, and the settings whose values it names (as %(name)s).
RETENTION: dict[str, tuple[object, dict[str, str]]] = {
    "until_anonymised": (
        _l("Bis zur Anonymisierung nach dem Ausscheiden (durch HR oder Administration)"),
        {},
    ),
    "until_anonymised_roles": (
        _l("Bis zur Anonymisierung; dabei werden alle Rollen außer „Lernende/r“ entfernt"),
        {},
    ),
    "until_anonymised_kept": (
        _l(
            "Bleibt nach der Anonymisierung ohne Namen, Adresse und Abteilung für die zusammengefassten Zahlen und den Nachweis nach Art. 4 KI-Verordnung erhalten; keine automatische Löschfrist"
        ),
        {},
    ),
    "texts_until_anonymised": (
        _l(
            "Texte werden bei der Anonymisierung geleert; Anzahl und Zeitpunkte bleiben ohne Namen erhalten"
        ),
        {},
    ),
    "deleted_on_anonymisation": (_l("Wird bei der Anonymisierung gelöscht"), {}),
    "answers": (
        _l(
            "Antworten werden %(months)s Monate nach dem Abschluss geleert (täglicher Lauf) und sofort bei der Anonymisierung"
        ),
        {"months": "RETENTION_ANSWERS_MONTHS"},
    ),
    "levels": (
        _l(
            "Die Stufen bleiben nach der Anonymisierung ohne Namen für die zusammengefassten Zahlen erhalten; freiwillige Angaben werden dabei geleert"
        ),
        {},
    ),
    "one_time_links": (
        _l(
            "Nach Verwendung oder Ablauf gelöscht (Einladung %(invitation)s Stunden, Passwort-Link %(reset)s Stunden gültig)"
        ),
        {"invitation": "INVITATION_VALID_HOURS", "reset": "RESET_VALID_HOURS"},
    ),
    "failed_logins": (
        _l("Nach %(minutes)s Minuten gelöscht (täglicher Lauf); bei der Anonymisierung sofort"),
        {"minutes": "LOGIN_FAILURE_WINDOW_MINUTES"},
    ),
    "reset_requests": (_l("Einen Tag nach Eingang gelöscht (täglicher Lauf)"), {}),
    "sent_mails": (
        _l(
            "Versendete Mails nach %(days)s Tagen gelöscht; noch nicht versendete an eine anonymisierte Person sofort"
        ),
        {"days": "RETENTION_SENT_MAIL_DAYS"},
    ),
    "read_notices": (
        _l("Gelesene Mitteilungen nach %(days)s Tagen gelöscht"),
        {"days": "RETENTION_READ_NOTICES_DAYS"},
    ),
    "reminder_records": (
        _l(
            "Nach 400 Tagen gelöscht; Einladungen zur erneuten Selbsteinschätzung, solange das Ergebnis das aktuelle ist"
        ),
        {},
    ),
    "verification_lookups": (
        _l("Nach %(minutes)s Minuten gelöscht"),
        {"minutes": "VERIFY_LIMIT_WINDOW_MINUTES"},
    ),
    "publication": (_l("Bei der nächsten Veröffentlichung der Gruppe ersetzt"), {}),
    "api_tokens": (
        _l(
            "Keine automatische Löschfrist: widerrufene und abgelaufene Zugänge bleiben als Nachweis, welches System wann Zugriff hatte"
        ),
        {},
    ),
    "xapi_outbox": (
        _l(
            "Versendete Einträge nach 90 Tagen gelöscht; alle Einträge einer Person bei ihrer Anonymisierung"
        ),
        {},
    ),
    "audit": (
        _l(
            "Keine automatische Löschfrist (Nachweis); bei der Anonymisierung werden die Einzelheiten zur Person geleert, die Kette bleibt prüfbar. Eine Frist sollte in der Betriebsvereinbarung festgelegt werden."
        ),
        {},
    ),
}

# The role matrix: one label per blueprint (required, tested) and per endpoint (optional: an
# endpoint without one is shown with its address).
BLUEPRINT_LABELS = {
    "core": _l("Startseite und Sprache"),
    "auth": _l("Anmeldung und Passwort"),
    "people": _l("Personenverwaltung"),
    "assessments": _l("Selbsteinschätzung"),
    "paths": _l("Lernpfad"),
    "modules": _l("Lernmodule"),
    "mentoring": _l("Mentoring"),
    "reports": _l("Berichte"),
    "privacy": _l("Meine Daten"),
    "usecases": _l("Anwendungsfälle"),
    "toolbox": _l("KI-Toolbox"),
    "sso": _l("Anmeldung mit dem Firmenkonto"),
    "api": _l("JSON-API für HR-Systeme (nur mit Token, ohne Anmeldung)"),
    "api_docs": _l("API-Beschreibung (OpenAPI)"),
    "api_tokens": _l("API-Zugänge"),
    "xapi": _l("Lernaktivitäten (xAPI)"),
    "certification": _l("Zertifizierung"),
    "credentials": _l("Zertifikate und öffentliche Prüfung"),
    "exam": _l("Zertifizierungsprüfung"),
    "admin": _l("Betrieb"),
    "notices": _l("Mitteilungen"),
    "audit": _l("Protokoll"),
    "records": _l("Schulungsnachweis einer Person"),
    "documentation": _l("Datenschutz-Dokumentation"),
}

ENDPOINT_LABELS = {
    "core.dashboard": _l("Übersicht"),
    "core.health": _l("Betriebsprüfung (ohne Daten)"),
    "core.set_language": _l("Sprache wählen"),
    "auth.login": _l("Anmelden"),
    "auth.logout": _l("Abmelden"),
    "auth.change_password": _l("Eigenes Passwort ändern"),
    "auth.request_reset": _l("Passwort vergessen"),
    "auth.set_password": _l("Passwort über Einmal-Link setzen"),
    "people.index": _l("Personenliste"),
    "people.show": _l("Eine Person: Stammdaten und Rollen"),
    "people.invite": _l("Person anlegen und einladen"),
    "people.reinvite": _l("Erneut einladen"),
    "people.import_people": _l("Import aus CSV"),
    "people.deactivate": _l("Deaktivieren (Ausscheiden)"),
    "people.reactivate": _l("Reaktivieren"),
    "people.anonymise": _l("Anonymisieren"),
    "assessments.start": _l("Selbsteinschätzung beginnen"),
    "assessments.begin": _l("Neuen Durchgang starten"),
    "assessments.step": _l("Fragen beantworten"),
    "assessments.result": _l("Eigenes Ergebnis"),
    "assessments.history": _l("Eigener Verlauf"),
    "paths.mine": _l("Mein Lernpfad"),
    "paths.champion_choice": _l("Champion-Pfad wählen"),
    "paths.override": _l("Rolle des Lernpfads einer Person ändern"),
    "modules.show": _l("Modul lesen"),
    "modules.quiz": _l("Quiz beantworten"),
    "modules.submit": _l("Praktische Aufgabe abgeben"),
    "modules.assign": _l("Module zuweisen"),
    "modules.assignments": _l("Zuweisungen der Abteilung"),
    "modules.withdraw": _l("Zuweisung zurücknehmen"),
    "modules.withdraw_all": _l("Zuweisungen eines Moduls zurücknehmen"),
    "mentoring.index": _l("Prüfliste der Abgaben"),
    "mentoring.review": _l("Abgabe prüfen"),
    "mentoring.profile": _l("Eigene Sprechzeiten"),
    "mentoring.sessions": _l("Mentoring-Sitzungen erfassen"),
    "mentoring.my_sessions": _l("Eigene Mentoring-Sitzungen"),
    "mentoring.answer": _l("Sitzung bestätigen"),
    "mentoring.directory": _l("Verzeichnis der KI-Champions"),
    "mentoring.assignments": _l("Zuordnung Champions–Abteilungen"),
    "mentoring.assign_mentee": _l("Person einem Champion zuordnen"),
    "mentoring.unassign": _l("Zuordnung zu Abteilung entfernen"),
    "mentoring.unassign_mentee": _l("Persönliche Zuordnung entfernen"),
    "reports.hr": _l("HR-Berichte (zusammengefasst)"),
    "reports.department": _l("Bericht der eigenen Abteilung"),
    "reports.leadership": _l("Kennzahlen des Unternehmens"),
    "reports.evidence": _l("Nachweis nach Art. 4 KI-Verordnung"),
    "reports.training_csv": _l("Schulungsnachweise als CSV"),
    "privacy.mine": _l("Meine Daten"),
    "privacy.export": _l("Eigene Daten herunterladen (JSON)"),
    "usecases.index": _l("Register der Anwendungsfälle"),
    "usecases.show": _l("Anwendungsfall ansehen"),
    "usecases.create": _l("Anwendungsfall anlegen"),
    "usecases.edit": _l("Anwendungsfall bearbeiten"),
    "usecases.measure": _l("Messwert eines Piloten erfassen"),
    "usecases.decide": _l("Über einen Piloten entscheiden"),
    "usecases.similar": _l("Ähnliche Anwendungsfälle anderer Abteilungen (beim Erfassen)"),
    "usecases.duplicates": _l("Doppelarbeit vermeiden (ähnliche Anwendungsfälle)"),
    "toolbox.index": _l("KI-Toolbox lesen"),
    "toolbox.show": _l("Ein Werkzeug der KI-Toolbox"),
    "toolbox.create": _l("Werkzeug in die KI-Toolbox aufnehmen"),
    "toolbox.edit": _l("Werkzeug der KI-Toolbox bearbeiten"),
    "certification.mine": _l("Eigene Zertifizierung"),
    "certification.project_new": _l("Praxisprojekt anlegen"),
    "certification.project": _l("Eigenes Praxisprojekt"),
    "certification.candidates": _l("Kandidatinnen und Kandidaten"),
    "certification.candidate": _l("Stand einer Kandidatin / eines Kandidaten"),
    "certification.approve": _l("Zertifizierung freigeben"),
    "certification.certifier": _l("Prüfrecht vergeben"),
    "certification.revoke": _l("Zertifikat widerrufen"),
    "credentials.certificate_pdf": _l("Eigenes Zertifikat als PDF"),
    "credentials.credential_json": _l("Eigenes Zertifikat als digitaler Nachweis (JSON)"),
    "credentials.credential_jwt": _l("Eigenes Zertifikat als digitaler Nachweis (JWT)"),
    "credentials.verify": _l("Öffentliche Echtheitsprüfung"),
    "credentials.verify_status": _l("Öffentliche Echtheitsprüfung (maschinenlesbar)"),
    "credentials.issuer": _l("Angaben zum Aussteller"),
    "credentials.achievement": _l("Beschreibung eines Zertifikats"),
    "credentials.jwks": _l("Öffentliche Schlüssel"),
    "credentials.public_key": _l("Öffentlicher Schlüssel"),
    "credentials.status_list": _l("Widerrufsliste"),
    "exam.index": _l("Prüfung"),
    "exam.start": _l("Prüfung beginnen"),
    "exam.take": _l("Prüfung bearbeiten"),
    "exam.hand_in": _l("Prüfung abgeben"),
    "exam.result": _l("Eigenes Prüfungsergebnis"),
    "admin.index": _l("Betrieb: Übersicht"),
    "admin.settings": _l("Einstellungen (lesend)"),
    "admin.content": _l("Inhalte und Importe"),
    "admin.jobs": _l("Geplante Aufgaben"),
    "admin.run_job_now": _l("Aufgabe sofort ausführen"),
    "admin.mails": _l("Mail-Ausgang"),
    "admin.retry_mail": _l("Mail erneut senden"),
    "admin.retry_failed": _l("Fehlgeschlagene Mails erneut senden"),
    "notices.index": _l("Eigene Mitteilungen"),
    "notices.preferences": _l("Eigene Erinnerungen einstellen"),
    "notices.unsubscribe": _l("Erinnerungen per Link abbestellen"),
    "admin.privacy_mode": _l("Datenschutzmodus wechseln"),
    "audit.index": _l("Protokoll lesen und filtern"),
    "audit.export": _l("Protokoll exportieren (CSV, XLSX)"),
    "records.training_record": _l("Schulungsnachweis einer Person (protokolliert)"),
    "documentation.index": _l("Diese Dokumentation"),
    "documentation.pdf_file": _l("Diese Dokumentation als PDF"),
    "api.list_people": _l("Personen lesen"),
    "api.get_person": _l("Eine Person lesen"),
    "api.create_person": _l("Person anlegen"),
    "api.update_person": _l("Person ändern"),
    "api.list_departments": _l("Abteilungen lesen"),
    "api.training_record": _l("Schulungsnachweis einer Person lesen (protokolliert)"),
    "api.list_completions": _l("Abgeschlossene Module lesen"),
    "api.list_certificates": _l("Zertifikate lesen"),
    "api.competence": _l("Zusammengefasste Kompetenzstufen lesen"),
    "reports.evidence_pdf": _l("Nachweis nach Art. 4 KI-Verordnung als PDF"),
    "reports.training_xlsx": _l("Schulungsnachweise als XLSX"),
    "api_docs.openapi_json": _l("OpenAPI-Dokument der API"),
    "api_docs.reference": _l("API-Referenz"),
    "api_tokens.index": _l("API-Zugänge anlegen und ansehen"),
    "api_tokens.revoke": _l("API-Zugang widerrufen"),
    "sso.start": _l("Anmeldung mit dem Firmenkonto beginnen"),
    "sso.callback": _l("Rückkehr vom Anmeldedienst"),
    "xapi.mine": _l("Eigene Lernaktivitäten als JSON (xAPI)"),
    "xapi.person": _l("Lernaktivitäten einer Person als JSON (protokolliert)"),
    "xapi.company": _l("Lernaktivitäten des Unternehmens als JSON (protokolliert)"),
    "xapi.outbox": _l("Ausgang an das Learning Record Store"),
    "xapi.retry": _l("Fehlgeschlagene Lernaktivitäten erneut senden"),
}

# Object scope checked on top of the role (in the services), per area.
SCOPE_NOTES = {
    "people": _l(
        "Änderungen an Personen und Rollen werden protokolliert; die Rollen HR, Administration, Datenschutzbeauftragte/r und KI-Koordination vergibt nur die Administration."
    ),
    "assessments": _l("Jede Person sieht nur ihre eigenen Antworten und Ergebnisse."),
    "paths": _l(
        "Jede Person sieht nur ihren eigenen Lernpfad; Änderungen durch HR werden protokolliert."
    ),
    "modules": _l(
        "Eigene Abgaben und eigener Fortschritt; die Fachbereichsleitung weist nur in der eigenen Abteilung zu."
    ),
    "mentoring": _l(
        "Ein KI-Champion sieht nur Abgaben der Abteilungen und Personen, die er betreut, nie seine eigenen."
    ),
    "reports": _l(
        "Nur zusammengefasste Zahlen über Gruppen ab der Mindestgruppengröße; die Fachbereichsleitung nur für die eigene Abteilung."
    ),
    "privacy": _l("Jede Person sieht und exportiert nur ihre eigenen Daten."),
    "usecases": _l(
        "Fachbereichsleitung und KI-Champions bearbeiten nur Anwendungsfälle ihrer Abteilungen und erfassen nur dort Messwerte und Entscheidungen über Piloten; HR, Führungsebene und KI-Koordination lesen."
    ),
    "toolbox": _l(
        "Alle Angemeldeten lesen; Administration und KI-Koordination pflegen die Werkzeuge, jede Änderung wird protokolliert."
    ),
    "certification": _l(
        "Kandidatinnen und Kandidaten sehen KI-Champions nur mit Prüfrecht; niemand gibt die eigene Zertifizierung frei."
    ),
    "credentials": _l(
        "Zertifikate als Datei nur für die eigene Person; die öffentliche Prüfung zeigt nur Name, Titel und Gültigkeit."
    ),
    "exam": _l("Jede Person sieht nur ihre eigenen Prüfungsversuche."),
    "notices": _l("Jede Person sieht nur ihre eigenen Mitteilungen."),
    "records": _l(
        "Jedes Öffnen wird protokolliert und steht für die betroffene Person unter „Meine Daten“; Antworten und Abgabetexte nie, Stufen nur im Modus „Einzelwerte für HR“."
    ),
    "audit": _l("Nur lesen: Einträge können in der Anwendung weder geändert noch gelöscht werden."),
}

# Endpoints whose ✓ needs more than the role (an extra right the view checks): the matrix marks
# them, and the access test accepts a refusal for a person without that right.
EXTRA_RIGHT_ENDPOINTS = {
    "certification.candidates": _l("KI-Champions nur mit Prüfrecht"),
    "certification.candidate": _l("KI-Champions nur mit Prüfrecht"),
    "certification.approve": _l("KI-Champions nur mit Prüfrecht"),
    "certification.project_new": _l("nur wer zur Zertifizierung ansteht (KI-Champions)"),
    "exam.index": _l("nur wer zur Zertifizierung ansteht (KI-Champions)"),
    "exam.start": _l("nur wer zur Zertifizierung ansteht (KI-Champions)"),
    "usecases.create": _l("nur mit einer Abteilung, die man leitet oder betreut"),
}
