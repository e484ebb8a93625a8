"""The nightly check of the audit chain: quiet while intact; a notice to administrators and
data-protection officers when an entry was changed."""

import sqlalchemy as sa

from lernpfad.audit.services import record_audit
from lernpfad.auth.models import Person, Role
from lernpfad.db import utcnow
from lernpfad.extensions import db
from lernpfad.jobs.audit import check_audit_chain
from lernpfad.notices.models import Notice
from lernpfad.notices.texts import notice_text
from tests.helpers import make_person


def test_the_nightly_check(app, people):
    with app.app_context():
        dpo = make_person("dpo@example.org", roles={Role.DPO})
        hr = db.session.get(Person, people["hr"])
        for _ in range(3):
            record_audit(actor=hr, action="training_record.viewed", subject=dpo)
        db.session.commit()
        counts = check_audit_chain(utcnow())
        assert counts["broken"] == 0 and counts["entries"] >= 9
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Notice)) == 0

        target = db.session.scalar(
            sa.text("SELECT max(id) - 1 FROM audit_events WHERE action = 'training_record.viewed'")
        )
        db.session.execute(
            sa.text("UPDATE audit_events SET actor_id = NULL WHERE id = :id"), {"id": target}
        )
        db.session.commit()
        counts = check_audit_chain(utcnow())
        assert (counts["broken"], counts["notified"]) == (1, 2)
        notices = db.session.scalars(sa.select(Notice).order_by(Notice.person_id)).all()
        assert {n.person_id for n in notices} == {people["admin"], dpo.id}
        with app.test_request_context():
            assert f"bricht bei Eintrag {target}" in notice_text(notices[0].kind, notices[0].params)
