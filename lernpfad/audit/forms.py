"""What the audit page shows in German: the kinds of entries and the names of their details."""

from flask_babel import lazy_gettext as _l

# action → label; a test checks that every action the code writes has one.
ACTION_LABELS = {
    "access.denied": _l("Zugriff verweigert"),
    "anonymised": _l("Person anonymisiert"),
    "api.people_read": _l("Personenliste über die API abgerufen"),
    "api.person_read": _l("Angaben zur Person über die API abgerufen"),
    "api.person_written": _l("Person über die API angelegt oder geändert"),
    "api.records_read": _l("Schulungsnachweise über die API abgerufen"),
    "api_token.created": _l("API-Token erstellt"),
    "api_token.revoked": _l("API-Token widerrufen"),
    "audit.exported": _l("Protokoll exportiert"),
    "auth.sso_account_created": _l("Konto bei der Anmeldung mit Firmenkonto angelegt"),
    "auth.sso_login": _l("Mit Firmenkonto angemeldet"),
    "auth.sso_refused": _l("Anmeldung mit Firmenkonto abgelehnt"),
    "certification.certificate_pdf": _l("Zertifikat als PDF geladen"),
    "certification.certifier_granted": _l("Recht zum Zertifizieren erteilt"),
    "certification.certifier_removed": _l("Recht zum Zertifizieren entzogen"),
    "certification.issued": _l("Zertifikat ausgestellt"),
    "certification.project_approved": _l("Projekt bestätigt"),
    "certification.project_returned": _l("Projekt zurückgegeben"),
    "certification.renewed": _l("Zertifikat verlängert"),
    "certification.revoked": _l("Zertifikat widerrufen"),
    "evidence.pdf": _l("Art.-4-Nachweis als PDF erstellt"),
    "job.requested": _l("Geplante Aufgabe angestoßen"),
    "mentee.assigned": _l("Mentee zugeordnet"),
    "mentee.removed": _l("Mentee-Zuordnung beendet"),
    "module_assignment.withdrawn": _l("Modulzuweisung zurückgenommen"),
    "outbox.retry": _l("E-Mail erneut gesendet"),
    "outbox.retry_failed": _l("Fehlgeschlagene E-Mails erneut gesendet"),
    "path.champion_confirmed": _l("Champion-Pfad bestätigt"),
    "path.champion_declined": _l("Champion-Pfad abgelehnt"),  # only under "Meine Daten"
    "path.override": _l("Lernpfad festgelegt"),
    "person.deactivated": _l("Person deaktiviert"),
    "person.reactivated": _l("Person reaktiviert"),
    "person.updated": _l("Angaben zur Person geändert"),
    "privacy_mode.switched": _l("Datenschutzmodus umgestellt"),
    "role.granted": _l("Rolle erteilt"),
    "role.removed": _l("Rolle entzogen"),
    "self_export": _l("Eigene Daten heruntergeladen"),
    "toolbox.tool_created": _l("Werkzeug in die KI-Toolbox aufgenommen"),
    "toolbox.tool_updated": _l("Werkzeug der KI-Toolbox geändert"),
    "training_record.viewed": _l("Schulungsnachweis angesehen"),
    "training_records_export": _l("Schulungsnachweise exportiert"),
    "use_case.decided": _l("Über einen Piloten entschieden"),
    "use_case.measured": _l("Messwert eines Piloten erfasst"),
    "xapi.company_export": _l("Lernaktivitäten des Unternehmens exportiert (xAPI)"),
    "xapi.person_export": _l("Lernaktivitäten einer Person exportiert (xAPI)"),
    "xapi.retry_failed": _l("Fehlgeschlagene xAPI-Aussagen erneut gesendet"),
    "xapi.self_export": _l("Eigene Lernaktivitäten heruntergeladen (xAPI)"),
}

DETAIL_LABELS = {
    "after": _l("nachher"),
    "before": _l("vorher"),
    "bound": _l("erstmals verbunden"),
    "certificate": _l("Zertifikat Nr."),
    "certificate_id": _l("Zertifikat Nr."),
    "certificates": _l("Zertifikate Nr."),
    "champion_id": _l("KI-Champion Nr."),
    "department": _l("Abteilung"),
    "department_id": _l("Abteilung Nr."),
    "decision": _l("Entscheidung"),
    "due_on": _l("fällig am"),
    "expires_at": _l("gültig bis"),
    "endpoint": _l("Seite"),
    "fields": _l("Felder"),
    "format": _l("Format"),
    "job": _l("Aufgabe"),
    "kind": _l("Art"),
    "levels": _l("mit Kompetenzstufen"),
    "measured_on": _l("gemessen am"),
    "mail_id": _l("E-Mail Nr."),
    "mails": _l("E-Mails"),
    "module": _l("Modul"),
    "nominated": _l("nominiert"),
    "people": _l("Personen Nr."),
    "period": _l("Zeitraum"),
    "project": _l("Projekt Nr."),
    "reason": _l("Begründung"),
    "refusal": _l("Grund"),
    "role": _l("Rolle"),
    "rows": _l("Zeilen"),
    "scope": _l("Umfang"),
    "scopes": _l("Berechtigungen"),
    "statements": _l("Aussagen"),
    "status": _l("Status"),
    "stichtag": _l("Stichtag"),
    "tool": _l("Werkzeug"),
    "tool_id": _l("Werkzeug Nr."),
    "use_case_id": _l("Anwendungsfall Nr."),
    "use_cases": _l("Anwendungsfälle Nr."),
    "value": _l("Wert"),
    "token": _l("API-Token"),
    "token_id": _l("API-Token Nr."),
    "via": _l("Weg"),
}
VIA_LABELS = {
    "anonymisation": _l("Anonymisierung"),
    "api": _l("API"),
    "cli": _l("Befehlszeile"),
    "demo": _l("Demo-Daten"),
    "form": _l("Formular"),
    "import": _l("CSV-Import"),
    "sso": _l("Anmeldung mit Firmenkonto"),
}
# Why an SSO login was refused (lernpfad/sso/rules.py Refusal, and the protocol's reasons).
REFUSAL_LABELS = {
    "anonymised": _l("Person anonymisiert"),
    "concurrent": _l("zweite Anmeldung zur selben Zeit"),
    "expired": _l("Anmeldung abgelaufen"),
    "inactive": _l("Person deaktiviert"),
    "missing_code": _l("Antwort des Anbieters unvollständig"),
    "other_identity": _l("Konto mit anderem Firmenkonto verbunden"),
    "provider_error": _l("vom Anbieter abgebrochen oder abgelehnt"),
    "token": _l("Anmeldebestätigung ungültig"),
    "token_exchange": _l("Code vom Anbieter nicht bestätigt"),
    "unknown": _l("kein Konto zu dieser E-Mail-Adresse"),
    "unverified_email": _l("E-Mail-Adresse nicht bestätigt"),
}


def _value_text(key: str, value) -> str:
    from lernpfad.people.forms import ROLE_LABELS

    if key == "role" and value in ROLE_LABELS:
        return str(ROLE_LABELS[value])
    if key == "via" and value in VIA_LABELS:
        return str(VIA_LABELS[value])
    if key == "refusal" and value in REFUSAL_LABELS:
        return str(REFUSAL_LABELS[value])
    if isinstance(value, bool):
        return str(_l("ja") if value else _l("nein"))
    if isinstance(value, list):
        return ", ".join(str(item) for item in value)
    if isinstance(value, dict):
        return ", ".join(
            f"{DETAIL_LABELS.get(k, k)} {_value_text(k, v)}" for k, v in sorted(value.items())
        )
    return "–" if value is None or value == "" else str(value)


def detail_text(details: dict | None) -> str:
    """The entry's details in one line for people: "Rolle: HR · Weg: Formular"."""
    return " · ".join(
        f"{DETAIL_LABELS.get(key, key)}: {_value_text(key, value)}"
        for key, value in sorted((details or {}).items())
    )


def action_label(action: str) -> str:
    return str(ACTION_LABELS.get(action, action))
