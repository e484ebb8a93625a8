"""The documentation's three parts as blocks (blocks.py), built once from
``services.documentation()`` and drawn by both the page's template and the PDF: what one says,
the other says. Part C, the DPIA screening, is in screening.py."""

from flask_babel import gettext as _
from flask_babel import ngettext

from lernpfad.documentation import screening, texts
from lernpfad.documentation.blocks import (
    Bullets,
    Facts,
    Matrix,
    MatrixArea,
    MatrixCell,
    MatrixLine,
    Paragraph,
    Part,
    Section,
    Table,
    mode_label,
    when,
)
from lernpfad.documentation.services import Documentation
from lernpfad.privacy.mode import INDIVIDUAL


def role_labels() -> dict:
    from lernpfad.people.forms import ROLE_LABELS

    return ROLE_LABELS


def matrix_block(doc: Documentation) -> Matrix:
    """The role matrix for display: labels from texts, the ✓/– from the access rules."""
    labels = role_labels()
    areas = []
    for area in doc.matrix:
        lines = []
        for row in area.rows:
            label = texts.ENDPOINT_LABELS.get(row.endpoint)
            condition = texts.EXTRA_RIGHT_ENDPOINTS.get(row.endpoint)
            lines.append(
                MatrixLine(
                    endpoint=row.endpoint,
                    label=str(label) if label else "",
                    address=", ".join(row.rules),
                    public=row.public,
                    cells=[
                        MatrixCell(allowed, str(condition) if condition and allowed else "")
                        for allowed in row.allowed
                    ],
                )
            )
        blueprint_label = texts.BLUEPRINT_LABELS.get(area.blueprint)
        scope = texts.SCOPE_NOTES.get(area.blueprint)
        areas.append(
            MatrixArea(
                blueprint=area.blueprint,
                label=str(blueprint_label) if blueprint_label else area.blueprint,
                scope=str(scope) if scope else "",
                lines=lines,
            )
        )
    return Matrix(roles=[str(labels.get(role, role.value)) for role in doc.roles], areas=areas)


def cookie_flags(facts) -> str:
    """The session cookie's attributes as configured (Secure on HTTPS requests in any case)."""
    flags = ["HttpOnly"] if facts.cookie_httponly else []
    flags.append(f"SameSite={facts.cookie_samesite}")
    flags.append("Secure" if facts.cookie_secure else _("Secure bei HTTPS"))
    return ", ".join(flags)


def _not_set_up() -> str:
    return _("nicht eingerichtet")


def _mail_text(doc: Documentation) -> str:
    mail = doc.facts.mail
    if not mail.server:
        return _(
            "Kein Mailserver eingerichtet: Es werden keine Mails versendet; Einladungslinks gibt HR selbst weiter."
        )
    encryption = {
        "tls": _("verschlüsselt (TLS)"),
        "starttls": _("verschlüsselt (STARTTLS)"),
        "none": _("unverschlüsselt"),
    }[mail.encryption]
    text = _(
        "SMTP-Server %(host)s, Port %(port)s, %(encryption)s",
        host=mail.server,
        port=mail.port,
        encryption=encryption,
    )
    if mail.login:
        text += _(", mit Anmeldung")
    return text


def _mode_block(doc: Documentation) -> list:
    state = doc.facts.mode
    items = [(_("Modus"), mode_label(state.mode))]
    if state.since:
        items.append((_("Gilt seit"), when(state.since)))
        items.append((_("Gewechselt von"), state.changed_by or _("unbekannt")))
        items.append((_("Begründung"), state.reason))
    else:
        items.append(
            (_("Herkunft"), _("Einstellung bei der Installation (nie in der Anwendung gewechselt)"))
        )
    items.append(
        (
            _("Mindestgruppengröße"),
            ngettext("%(num)d Person", "%(num)d Personen", doc.facts.min_group),
        )
    )
    if state.mode == INDIVIDUAL:
        explanation = _(
            "Im Modus „Einzelwerte für HR“ sieht HR im Schulungsnachweis einer Person auch ihre aktuellen Kompetenzstufen. Jeder Abruf wird protokolliert und ist für die Person unter „Meine Daten“ sichtbar. Antworten und Abgabetexte bleiben auch in diesem Modus verborgen; Berichte zeigen weiterhin nur zusammengefasste Zahlen."
        )
    else:
        explanation = _(
            "Im Modus „Zusammengefasst“ erscheinen Kompetenzstufen nur als Zusammenfassung über Gruppen von mindestens %(num)d Personen; kleinere Gruppen werden ausgeblendet, Zahlen ändern sich erst, wenn sich so viele Ergebnisse geändert haben. HR sieht einzelne Schulungsnachweise (abgeschlossene Module mit Datum, Zertifikate), weil Art. 4 KI-Verordnung diesen Nachweis verlangt — jeder Abruf wird protokolliert.",
            num=doc.facts.min_group,
        )
    return [
        Facts(items),
        Paragraph(explanation),
        Paragraph(
            _(
                "Nur die Administration kann den Modus wechseln, mit Begründung; jeder Wechsel steht im Protokoll und in dieser Dokumentation."
            )
        ),
    ]


def _matrix_notes() -> list:
    return [
        Paragraph(
            _(
                "✓ = eine Person mit (nur) dieser Rolle kann die Funktion aufrufen; – = sie wird abgewiesen. Die Tabelle wird aus den Zugriffsregeln des Programms erzeugt, nicht von Hand gepflegt; ein automatischer Test vergleicht sie mit den tatsächlichen Antworten der Anwendung. Wer mehrere Rollen hat, hat die Rechte aller seiner Rollen."
            ),
            note=True,
        ),
        Paragraph(
            _(
                "Zusätzlich zur Rolle prüft die Anwendung den Bezug zum einzelnen Datensatz (eigene Abteilung, eigene Abgaben, betreute Personen); dies ist je Bereich genannt. Ein mit * markiertes ✓ gilt nur unter der genannten Bedingung. „Öffentlich“: auch ohne Anmeldung erreichbar."
            ),
            note=True,
        ),
    ]


def _table_sections(doc: Documentation, matrix: Matrix) -> list[Section]:
    area_labels = {area.blueprint: area.label for area in matrix.areas}
    sections = []
    for table in doc.tables:
        areas = [area_labels[a] for a in table.areas if a in area_labels]
        audience = table.audience
        if areas:
            audience += " — " + _("Rollenmatrix: %(areas)s", areas=", ".join(areas))
        sections.append(
            Section(
                anchor=f"tabelle-{table.name}",
                title=_("%(title)s – Tabelle %(name)s", title=table.title, name=table.name),
                level=3,
                blocks=[
                    Facts(
                        [
                            (_("Gespeichert"), table.stored),
                            (_("Zweck"), table.purpose),
                            (_("Rechtsgrundlage (Vorschlag)"), table.legal_basis),
                            (_("Sichtbar für"), audience),
                            (_("Aufbewahrung"), table.retention),
                        ]
                    )
                ],
            )
        )
    return sections


def parts(doc: Documentation) -> list[Part]:
    """The three parts: annex to the works agreement, record of processing, DPIA screening."""
    facts = doc.facts
    matrix = matrix_block(doc)
    company = facts.company or _("(nicht eingetragen — Einstellung LERNPFAD_COMPANY_NAME)")
    annex = Part(
        "teil-a",
        _("Teil A: Anlage zur Betriebsvereinbarung"),
        [
            Section(
                "a-zweck",
                _("Zweck des Systems"),
                [
                    Paragraph(
                        _(
                            "Lernpfad unterstützt den Aufbau von KI-Kompetenz der Beschäftigten (Art. 4 KI-Verordnung): Selbsteinschätzung, persönlicher Lernpfad, Lernmodule mit Quiz und praktischen Aufgaben, Mentoring durch KI-Champions, Zertifizierung und ein Register der KI-Anwendungsfälle. HR erhält die Nachweise, die Art. 4 KI-Verordnung verlangt, und zusammengefasste Berichte."
                        )
                    )
                ],
            ),
            Section(
                "a-nicht",
                _("Was das System nicht tut"),
                [
                    Bullets(
                        [
                            _(
                                "Keine Leistungs- oder Verhaltenskontrolle über den Schulungsnachweis hinaus (abgeschlossene Module mit Datum und Inhaltsversion, Zertifikate)."
                            ),
                            _("Keine Messung von Lernzeiten oder Verweildauer, keine Ranglisten."),
                            _(
                                "Antworten der Selbsteinschätzung und Texte von Abgaben sieht nie HR oder eine Führungskraft."
                            ),
                            ngettext(
                                "Kompetenzstufen in Berichten nur für Gruppen ab %(num)d Person.",
                                "Kompetenzstufen in Berichten nur für Gruppen ab %(num)d Personen.",
                                facts.min_group,
                            ),
                            _(
                                "Seiten laden nichts von Dritten: Schriften, Skripte und Grafiken werden von Lernpfad selbst ausgeliefert."
                            ),
                            _("Keine Entscheidung über Personen allein durch die Anwendung."),
                        ]
                    )
                ],
            ),
            Section("a-modus", _("Datenschutzmodus und Mindestgruppengröße"), _mode_block(doc)),
            Section("a-rollen", _("Wer sieht was: Rollenmatrix"), [matrix, *_matrix_notes()]),
            Section(
                "a-protokoll",
                _("Protokoll"),
                [
                    Paragraph(
                        _(
                            "Jede Einsicht in den Schulungsnachweis einer Person, jeder Export von Schulungsnachweisen und des Protokolls, jede Rollenänderung, jede Anonymisierung, jeder abgewiesene Zugriff auf geschützte Personenseiten und jeder Wechsel des Datenschutzmodus wird protokolliert (wer, wann, wessen Daten). Einträge lassen sich in der Anwendung weder ändern noch löschen. Jeder Eintrag enthält den Hash seines Vorgängers (SHA-256); eine Änderung oder Löschung in der Datenbank findet der Befehl %(command)s. Die Person, um die es geht, sieht die Einträge über sich unter „Meine Daten“.",
                            command="flask --app lernpfad lernpfad audit verify",
                        )
                    ),
                    Facts(
                        [(_("Einträge im Protokoll"), str(facts.audit_entries))],
                    ),
                ],
            ),
            Section(
                "a-rechte",
                _("Rechte der Beschäftigten"),
                [
                    Bullets(
                        [
                            _(
                                "„Meine Daten“: Einsicht in alle gespeicherten Daten zur eigenen Person und Download als JSON-Datei (Art. 15 und 20 DSGVO)."
                            ),
                            _(
                                "Einsicht in die Protokolleinträge, die die eigene Person betreffen."
                            ),
                            _(
                                "Nach dem Ausscheiden: Deaktivierung und Anonymisierung durch HR; es bleiben nur namenlose Zahlen für zusammengefasste Berichte und den Nachweis nach Art. 4 KI-Verordnung."
                            ),
                            _("Erinnerungen und Wochenübersicht per Mail lassen sich abbestellen."),
                            _("Berichtigung von Name, Abteilung und Funktion über HR."),
                        ]
                    )
                ],
            ),
        ],
    )
    transfers = []
    if facts.mail.server:
        transfers.append(_mail_text(doc))
    if facts.lrs:
        transfers.append(_("Learning Record Store %(url)s", url=facts.lrs))
    if facts.sso:
        transfers.append(_("Identitätsanbieter %(url)s", url=facts.sso))
    record = Part(
        "teil-b",
        _("Teil B: Verzeichnis von Verarbeitungstätigkeiten (Art. 30 DSGVO)"),
        [
            Section(
                "b-verantwortlich",
                _("Verantwortlicher und Bezeichnung"),
                [
                    Facts(
                        [
                            (_("Verantwortlicher"), company),
                            (
                                _("Verarbeitungstätigkeit"),
                                _(
                                    "Lernplattform Lernpfad: Aufbau und Nachweis von KI-Kompetenz der Beschäftigten"
                                ),
                            ),
                            (_("Adresse der Anwendung"), facts.base_url),
                            (
                                _("Datenschutzbeauftragte/r"),
                                _("Name und Kontakt vom Verantwortlichen zu ergänzen"),
                            ),
                        ]
                    )
                ],
            ),
            Section(
                "b-zwecke",
                _("Zwecke der Verarbeitung"),
                [
                    Bullets(
                        [
                            _("Vermittlung von KI-Kompetenz und persönliche Lernpfade"),
                            _("Nachweis der Maßnahmen nach Art. 4 KI-Verordnung"),
                            _("Mentoring, Prüfung praktischer Aufgaben und Zertifizierung"),
                            _("Register der KI-Anwendungsfälle"),
                            _(
                                "Zusammengefasste Berichte für HR, Fachbereichsleitungen und Führungsebene"
                            ),
                            _("Sicherheit des Systems und Nachvollziehbarkeit von Zugriffen"),
                        ]
                    )
                ],
            ),
            Section(
                "b-betroffene",
                _("Kategorien betroffener Personen"),
                [
                    Bullets(
                        [
                            _(
                                "Beschäftigte mit Konto (aktive und ausgeschiedene; Ausgeschiedene nach der Anonymisierung ohne Namen)"
                            ),
                            _(
                                "Personen, die sich anzumelden versuchen oder ein Passwort zurücksetzen lassen (eingegebene Adresse, IP-Adresse)"
                            ),
                            _(
                                "Personen, die die öffentliche Prüfseite eines Zertifikats aufrufen (IP-Adresse)"
                            ),
                        ]
                    )
                ],
            ),
            Section(
                "b-daten",
                _("Kategorien personenbezogener Daten, je Tabelle"),
                [
                    Paragraph(
                        _(
                            "Jede Tabelle der Datenbank, die sich auf eine Person bezieht, ist hier beschrieben; ein automatischer Test schlägt fehl, wenn eine fehlt. Die Rechtsgrundlagen sind Vorschläge, von der/dem Datenschutzbeauftragten zu prüfen."
                        ),
                        note=True,
                    )
                ],
            ),
            *_table_sections(doc, matrix),
            Section(
                "b-ohne",
                _("Tabellen ohne Personenbezug"),
                [
                    Table(
                        [_("Tabelle"), _("Inhalt")], [list(row) for row in doc.other_tables], (1, 3)
                    )
                ],
            ),
            Section(
                "b-empfaenger",
                _("Empfänger und Datenflüsse"),
                [
                    Facts(
                        [
                            (_("Intern"), _("nach der Rollenmatrix in Teil A")),
                            (_("Mailversand"), _mail_text(doc)),
                            (_("Learning Record Store (xAPI)"), facts.lrs or _not_set_up()),
                            (
                                _("Anmeldung über Identitätsanbieter (SSO)"),
                                facts.sso or _not_set_up(),
                            ),
                            (
                                _("Datenbank"),
                                {"sqlite": "SQLite", "postgresql": "PostgreSQL"}.get(
                                    facts.database, _("andere")
                                )
                                + " — "
                                + _(
                                    "Betrieb durch den Verantwortlichen oder dessen Auftragsverarbeiter"
                                ),
                            ),
                        ]
                    )
                ],
            ),
            Section(
                "b-drittland",
                _("Übermittlung in Drittländer"),
                [
                    Paragraph(
                        _(
                            "Keine durch die Anwendung. Sie übermittelt Daten nur an diese eingerichteten Stellen: %(list)s. Deren Standort ist vom Verantwortlichen zu prüfen.",
                            list="; ".join(transfers),
                        )
                        if transfers
                        else _(
                            "Keine: Es ist kein Mailserver, kein Learning Record Store und kein Identitätsanbieter eingerichtet; die Anwendung sendet keine Daten an Dritte."
                        )
                    )
                ],
            ),
            Section(
                "b-fristen",
                _("Löschfristen"),
                [
                    Table(
                        [_("Was"), _("Frist"), _("Einstellung")],
                        [
                            [
                                _(
                                    "Antworten der Selbsteinschätzung und der Quizze (die Stufen bleiben)"
                                ),
                                ngettext(
                                    "%(num)d Monat",
                                    "%(num)d Monate",
                                    facts.retention_answers_months,
                                ),
                                "LERNPFAD_RETENTION_ANSWERS_MONTHS",
                            ],
                            [
                                _("Versendete Mails"),
                                ngettext(
                                    "%(num)d Tag", "%(num)d Tage", facts.retention_sent_mail_days
                                ),
                                "LERNPFAD_RETENTION_SENT_MAIL_DAYS",
                            ],
                            [
                                _("Gelesene Mitteilungen"),
                                ngettext(
                                    "%(num)d Tag", "%(num)d Tage", facts.retention_read_notices_days
                                ),
                                "LERNPFAD_RETENTION_READ_NOTICES_DAYS",
                            ],
                            [
                                _("Fehlgeschlagene Anmeldungen"),
                                ngettext(
                                    "%(num)d Minute", "%(num)d Minuten", facts.login_window_minutes
                                ),
                                "LERNPFAD_LOGIN_FAILURE_WINDOW_MINUTES",
                            ],
                            [
                                _("Alles andere zur Person"),
                                _("bis zur Anonymisierung nach dem Ausscheiden (siehe je Tabelle)"),
                                "—",
                            ],
                        ],
                        (3, 1.4, 2.4),
                    ),
                    Paragraph(
                        _("Die Löschung läuft täglich (geplante Aufgabe „retention“)."), note=True
                    ),
                ],
            ),
            Section(
                "b-tom",
                _("Technische und organisatorische Maßnahmen (Art. 32 DSGVO)"),
                [
                    Facts(
                        [
                            (
                                _("Passwörter"),
                                _(
                                    "nur als Hash (argon2id, %(memory)s KiB Speicher, %(passes)s Durchläufe, %(lanes)s Spur); mindestens %(length)s Zeichen, verbreitete und erratbare Passwörter abgelehnt",
                                    memory=facts.hash_memory_kib,
                                    passes=facts.hash_passes,
                                    lanes=facts.hash_lanes,
                                    length=facts.password_min_length,
                                ),
                            ),
                            (
                                _("Anmeldeschutz"),
                                _(
                                    "nach %(free)s Fehlversuchen Wartezeit ab %(base)s s, verdoppelt bis %(max)s s; gezählt über %(window)s Minuten",
                                    free=facts.login_free_failures,
                                    base=facts.login_delay_base_seconds,
                                    max=facts.login_delay_max_seconds,
                                    window=facts.login_window_minutes,
                                ),
                            ),
                            (
                                _("Sitzungen"),
                                _(
                                    "Ende nach %(idle)s Minuten ohne Aktivität und spätestens nach %(hours)s Stunden; Sitzungs-Cookie %(flags)s",
                                    idle=facts.session_idle_minutes,
                                    hours=facts.session_absolute_hours,
                                    flags=cookie_flags(facts),
                                ),
                            ),
                            (
                                _("Einmal-Links"),
                                _(
                                    "nur der SHA-256-Hash gespeichert, zeitlich begrenzt, einmal verwendbar"
                                ),
                            ),
                            (
                                _("Zugriffsschutz"),
                                _(
                                    "jede Seite verlangt eine Anmeldung, sofern sie nicht ausdrücklich öffentlich ist; Rollen und Datensatzbezug werden bei jeder Anfrage geprüft"
                                ),
                            ),
                            (
                                _("Protokoll"),
                                _(
                                    "Hash-Kette (SHA-256), Prüfung mit %(command)s",
                                    command="lernpfad audit verify",
                                ),
                            ),
                            (
                                _("Transportverschlüsselung"),
                                _("HTTPS (laut BASE_URL)")
                                if facts.base_url.lower().startswith("https://")
                                else _(
                                    "BASE_URL ist keine HTTPS-Adresse — vor dem Betrieb mit echten Daten einrichten"
                                ),
                            ),
                            (
                                _("Dritte"),
                                _(
                                    "keine Anfragen an Dritte aus den Seiten; keine Analyse- oder Tracking-Dienste"
                                ),
                            ),
                        ]
                    )
                ],
            ),
        ],
    )
    return [annex, record, screening.screening_part(doc)]


def intro_text() -> str:
    return _(
        "Diese Dokumentation wird bei jedem Abruf aus den laufenden Einstellungen, der Datenbankstruktur und den Zugriffsregeln der Anwendung erzeugt. Sie ersetzt keine Rechtsberatung; Rechtsgrundlagen und Bewertungen sind Vorschläge, die die/der Datenschutzbeauftragte prüft. Geheime Werte (Schlüssel, Passwörter, Verbindungsdaten der Datenbank) enthält sie nicht."
    )
