"""Every night the audit log's hash chain is checked (audit.services.verify); when it is
broken, every administrator and data-protection officer gets a notice naming the first broken
entry, once per day until it is dealt with."""

from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from lernpfad.auth.models import Person, PersonRole, Role
from lernpfad.extensions import db
from lernpfad.jobs.services import Job, register


def check_audit_chain(now: datetime) -> dict:
    from lernpfad.audit.services import verify
    from lernpfad.notices.models import NoticeKind
    from lernpfad.notices.services import notify

    broken, read = verify()
    if broken is None:
        return {"entries": read, "broken": 0}
    readers = db.session.scalars(
        sa.select(Person)
        .join(PersonRole, PersonRole.person_id == Person.id)
        .where(Person.active, PersonRole.role.in_([Role.ADMIN.value, Role.DPO.value]))
        .distinct()
        .order_by(Person.id)
    ).all()
    for person in readers:
        notify(
            person,
            NoticeKind.AUDIT_CHAIN_BROKEN,
            {"entry": broken.entry_id, "reason": broken.reason},
            link="admin.index" if person.has_role(Role.ADMIN) else "audit.index",
            at=now,
        )
    return {"entries": read, "broken": 1, "notified": len(readers)}


register(
    Job(
        "audit_chain", _l("Protokoll auf Änderungen prüfen"), "day", "15 3 * * *", check_audit_chain
    )
)
