"""What the audit page shows in German: the kinds of entries and the names of their details."""

from flask_babel import lazy_gettext as _l

# action → label; a test checks that every action the code writes has one.
ACTION_LABELS = {
    "access.denied": _l("Zugriff verweigert"),
    "anonymised": _l("Person anonymisiert"),
    "audit.exported": _l("Protokoll exportiert"),
    "certification.certificate_pdf": _l("Zertifikat als PDF geladen"),
    "certification.certifier_granted": _l("Recht zum Zertifizieren erteilt"),
    "certification.certifier_removed": _l("Recht zum Zertifizieren entzogen"),
    "certification.issued": _l("Zertifikat ausgestellt"),
    "certification.project_approved": _l("Projekt bestätigt"),
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
    "path.override": _l("Lernpfad festgelegt"),
    "person.deactivated": _l("Person deaktiviert"),
    "person.reactivated": _l("Person reaktiviert"),
    "person.updated": _l("Angaben zur Person geändert"),
    "privacy_mode.switched": _l("Datenschutzmodus umgestellt"),
    "role.granted": _l("Rolle erteilt"),
    "role.removed": _l("Rolle entzogen"),
    "self_export": _l("Eigene Daten heruntergeladen"),
    "training_record.viewed": _l("Schulungsnachweis angesehen"),
    "training_records_export": _l("Schulungsnachweise exportiert"),
}

DETAIL_LABELS = {
    "after": _l("nachher"),
    "before": _l("vorher"),
    "endpoint": _l("Seite"),
    "fields": _l("Felder"),
    "kind": _l("Art"),
    "period": _l("Zeitraum"),
    "format": _l("Format"),
    "levels": _l("mit Kompetenzstufen"),
    "reason": _l("Begründung"),
    "role": _l("Rolle"),
    "rows": _l("Zeilen"),
    "via": _l("Weg"),
}


def detail_text(details: dict | None) -> str:
    """The entry's details in one line for people: "Rolle: HR · Weg: form"."""
    from lernpfad.people.forms import ROLE_LABELS

    parts = []
    for key, value in sorted((details or {}).items()):
        if key == "role" and value in ROLE_LABELS:
            value = ROLE_LABELS[value]
        elif isinstance(value, list):
            value = ", ".join(str(item) for item in value)
        elif isinstance(value, bool):
            value = _l("ja") if value else _l("nein")
        parts.append(f"{DETAIL_LABELS.get(key, key)}: {value}")
    return " · ".join(parts)


def action_label(action: str) -> str:
    return str(ACTION_LABELS.get(action, action))
