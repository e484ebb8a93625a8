"""The API's pages for people: the OpenAPI document and its reference page (public: they
describe the interface, no data), and the administrators' token management under /betrieb."""

import json

from flask import Blueprint, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from wtforms import StringField
from wtforms.fields import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, ValidationError

from lernpfad.access import public, roles_required
from lernpfad.api import rules, tokens
from lernpfad.auth.models import Role
from lernpfad.db import utcnow
from lernpfad.extensions import db
from lernpfad.forms import AsciiIntegerField, CheckboxListField, Form

docs = Blueprint("api_docs", __name__, url_prefix="/api/v1", template_folder="templates")
tokens_bp = Blueprint(
    "api_tokens", __name__, url_prefix="/betrieb/api-zugaenge", template_folder="templates"
)


@docs.route("/openapi.json")
@public
def openapi_json():
    """The OpenAPI 3.1 document, generated from the API's views and schemas."""
    spec = current_app.extensions["lernpfad_api"].spec.to_dict()
    return current_app.response_class(
        json.dumps(spec, ensure_ascii=False, indent=1), mimetype="application/json"
    )


@docs.route("/referenz")
@public
def reference():
    """The document rendered by Swagger UI, from vendored files (no CDN; CSP unchanged)."""
    return render_template("api/reference.html")


SCOPE_LABELS = {
    rules.PEOPLE_READ: _l("Personen und Abteilungen lesen (people:read)"),
    rules.PEOPLE_WRITE: _l("Personen anlegen und ändern (people:write)"),
    rules.RECORDS_READ: _l("Schulungsnachweise lesen (records:read)"),
    rules.REPORTS_READ: _l("Zusammengefasste Kompetenz lesen (reports:read)"),
}
MAX_VALID_DAYS = 730


def at_least_one(form, field):
    # A plain function: unlike DataRequired it marks no single checkbox as required.
    if not field.data:
        raise ValidationError(_l("Bitte wählen Sie mindestens eine Berechtigung."))


class TokenForm(Form):
    name = StringField(
        _l("Name"),
        validators=[
            DataRequired(_l("Bitte geben Sie einen Namen an.")),
            Length(max=80, message=_l("Der Name darf höchstens 80 Zeichen lang sein.")),
        ],
        description=_l(
            "Zum Beispiel „Personio“ oder „SAP SuccessFactors“; steht im Audit-Protokoll."
        ),
    )
    scopes = CheckboxListField(
        _l("Berechtigungen"),
        choices=[SelectChoice(key, label) for key, label in SCOPE_LABELS.items()],
        validators=[at_least_one],
    )
    valid_days = AsciiIntegerField(
        _l("Gültig für (Tage)"),
        default=365,
        validators=[
            InputRequired(_l("Bitte geben Sie eine Zahl von 1 bis 730 ein.")),
            NumberRange(1, MAX_VALID_DAYS, _l("Bitte geben Sie eine Zahl von 1 bis 730 ein.")),
        ],
    )


@tokens_bp.route("/", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def index():
    """The tokens with their scopes, expiry and last use; a new one is shown once."""
    form = TokenForm()
    created = None
    if form.validate_on_submit():
        token, clear = tokens.create_token(
            name=form.name.data,
            scopes=form.scopes.data,
            valid_days=form.valid_days.data,
            actor=current_user._get_current_object(),
        )
        db.session.commit()
        created = (token, clear)
        form = TokenForm(formdata=None)
    status = 400 if form.errors else 200
    return render_template(
        "api/tokens.html",
        form=form,
        created=created,
        tokens=tokens.tokens(),
        now=utcnow(),
        scope_labels=SCOPE_LABELS,
    ), status


@tokens_bp.route("/<int:token_id>/widerrufen", methods=["POST"])
@roles_required(Role.ADMIN)
def revoke(token_id: int):
    token = tokens.revoke_token(token_id, actor=current_user._get_current_object())
    if token is None:
        flash(_("Dieses Token gibt es nicht."), "error")
    else:
        db.session.commit()
        flash(_("Das Token „%(name)s“ ist widerrufen.", name=token.name), "success")
    return redirect(url_for("api_tokens.index"))
