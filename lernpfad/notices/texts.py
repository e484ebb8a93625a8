"""A notice's text, written when it is shown, in the reader's language, from its kind and
parameters (nothing of it is stored as German text)."""

from datetime import date

from flask_babel import format_date, ngettext
from flask_babel import gettext as _

from lernpfad.notices.models import NoticeKind


def _date(value) -> str:
    """A stored ISO date in the reader's format; the raw value if it is not one."""
    try:
        return format_date(date.fromisoformat(str(value)))
    except ValueError:
        return str(value or "")


def notice_text(kind: str, params: dict) -> str:
    """The sentence the bell's list shows for a notice."""
    p = params or {}
    title, champion = p.get("title", ""), p.get("champion", "")
    if kind == NoticeKind.REVIEWED:
        return _(
            "%(champion)s hat Ihre Praxisaufgabe zum Modul „%(title)s“ angenommen.",
            champion=champion,
            title=title,
        )
    if kind == NoticeKind.RETURNED:
        return _(
            "%(champion)s hat Ihre Praxisaufgabe zum Modul „%(title)s“ mit einer Rückmeldung zurückgegeben. Sie können sie überarbeiten und erneut einreichen.",
            champion=champion,
            title=title,
        )
    if kind == NoticeKind.SESSION_TO_CONFIRM:
        return _(
            "%(champion)s hat eine Mentoring-Sitzung am %(date)s mit Ihnen eingetragen („%(topic)s“). Bitte bestätigen Sie, ob sie so stattgefunden hat.",
            champion=champion,
            date=_date(p.get("held_on")),
            topic=p.get("topic", ""),
        )
    if kind == NoticeKind.DUE_SOON:
        return _(
            "Das Modul „%(title)s“ ist Ihnen zugewiesen und bis %(date)s abzuschließen.",
            title=title,
            date=_date(p.get("due_on")),
        )
    if kind == NoticeKind.OVERDUE:
        return _(
            "Das Modul „%(title)s“ war bis %(date)s abzuschließen und ist noch offen.",
            title=title,
            date=_date(p.get("due_on")),
        )
    if kind == NoticeKind.CERTIFICATE_EXPIRING:
        return _(
            "Ihr Zertifikat „%(title)s“ ist noch bis %(date)s gültig. Denken Sie rechtzeitig an die Verlängerung.",
            title=title,
            date=_date(p.get("valid_until")),
        )
    if kind == NoticeKind.REASSESSMENT:
        return _(
            "Sie können Ihre Selbsteinschätzung jetzt wiederholen und sehen, was sich verändert hat. Die letzte haben Sie am %(date)s abgeschlossen.",
            date=_date(p.get("completed_on")),
        )
    if kind == NoticeKind.INACTIVITY:
        return ngettext(
            "In Ihrem Lernpfad ist noch %(num)d Pflichtmodul offen. Machen Sie dort weiter, wo Sie aufgehört haben.",
            "In Ihrem Lernpfad sind noch %(num)d Pflichtmodule offen. Machen Sie dort weiter, wo Sie aufgehört haben.",
            int(p.get("open", 0) or 0),
        )
    if kind == NoticeKind.AUDIT_CHAIN_BROKEN:
        if p.get("entry"):
            return _(
                "Die nächtliche Prüfung hat eine Veränderung im Protokoll gefunden: Die Kette bricht bei Eintrag %(entry)s. Bitte prüfen Sie die Datenbank und die Sicherungen.",
                entry=p.get("entry"),
            )
        return _(
            "Die nächtliche Prüfung hat eine Veränderung im Protokoll gefunden: Am Ende der Kette fehlen Einträge oder es wurden welche eingefügt. Bitte prüfen Sie die Datenbank und die Sicherungen."
        )
    return _("Neue Mitteilung")
