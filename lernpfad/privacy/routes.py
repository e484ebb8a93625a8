"""My data: what Lernpfad stores about me, and the download of all of it."""

import json

from flask import Blueprint, Response, render_template
from flask_login import current_user

from lernpfad.audit.forms import action_label, detail_text
from lernpfad.audit.services import events_about, record_audit
from lernpfad.db import local_today
from lernpfad.extensions import db
from lernpfad.privacy import services
from lernpfad.privacy.keys import SECTIONS
from lernpfad.privacy.mode import individual_levels_allowed

bp = Blueprint("privacy", __name__, url_prefix="/meine-daten", template_folder="templates")


@bp.route("/")
def mine():
    """What is stored, who sees what, the download, and every audit entry about me (who looked
    at my training record, who changed my roles, when)."""
    me = current_user._get_current_object()
    return render_template(
        "privacy/mine.html",
        sections=SECTIONS,
        events=events_about(me),
        action_label=action_label,
        detail_text=detail_text,
        individual=individual_levels_allowed(),
    )


@bp.route("/export.json")
def export():
    me = current_user._get_current_object()
    data = services.export_for(me)
    record_audit(actor=me, action="self_export", subject=me)
    db.session.commit()
    filename = f"lernpfad-meine-daten-{local_today().isoformat()}.json"
    return Response(
        json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True),
        mimetype="application/json",
        headers={
            "Content-Disposition": f'attachment; filename="{filename}"',
            "Cache-Control": "no-store",
        },
    )
