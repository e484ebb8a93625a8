from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, EmailField, HiddenField, StringField
from wtforms.fields import SelectChoice
from wtforms.validators import DataRequired, Email, Length

from lernpfad.auth.models import Role
from lernpfad.forms import CheckboxListField, ChoiceField, Form

ROLE_LABELS = {
    Role.LEARNER: _l("Lernende/r"),
    Role.CHAMPION: _l("KI-Champion"),
    Role.DEPARTMENT_HEAD: _l("Fachbereichsleitung"),
    Role.LEADERSHIP: _l("Führungsebene"),
    Role.HR: _l("HR / Personalentwicklung"),
    Role.ADMIN: _l("Administration"),
    Role.DPO: _l("Datenschutzbeauftragte/r"),
    Role.AI_COORDINATION: _l("KI-Koordination"),
}


class InviteForm(Form):
    name = StringField(
        _l("Name"),
        validators=[DataRequired(_l("Bitte geben Sie einen Namen ein.")), Length(max=200)],
    )
    email = EmailField(
        _l("E-Mail-Adresse"),
        validators=[
            DataRequired(_l("Bitte geben Sie eine E-Mail-Adresse ein.")),
            Email(
                _l("Bitte geben Sie eine gültige E-Mail-Adresse ein."), check_deliverability=False
            ),
            Length(max=254),
        ],
    )
    department_id = ChoiceField(_l("Abteilung"), coerce=int)
    job_function = StringField(_l("Funktion / Stellenbezeichnung"), validators=[Length(max=200)])
    roles = CheckboxListField(
        _l("Rollen"),
        choices=[
            SelectChoice(role.value, label)
            for role, label in ROLE_LABELS.items()
            if role != Role.LEARNER
        ],
    )


class PersonForm(InviteForm):
    """HR's edit of a person: the invitation's fields plus the manager."""

    manager_id = ChoiceField(_l("Vorgesetzte Person"), coerce=int)


class ImportForm(Form):
    file = FileField(
        _l("CSV-Datei"),
        validators=[FileRequired(_l("Bitte wählen Sie eine CSV-Datei."))],
        description=_l(
            "Spalten: Name; E-Mail; Abteilung; Funktion; Rollen (z. B. „KI-Champion, Fachbereichsleitung“). "
            "Trennzeichen Semikolon oder Komma, UTF-8 – so, wie Excel „CSV UTF-8“ speichert."
        ),
    )
    invite = BooleanField(_l("Neue Personen per E-Mail einladen"), default=True)
    full_sync = BooleanField(
        _l("Vollabgleich: aktive Personen, die nicht in der Datei stehen, deaktivieren"),
        description=_l(
            "Sie sehen vorher, wer deaktiviert würde; deaktiviert wird erst nach Ihrer Bestätigung."
        ),
    )


class ImportConfirmForm(Form):
    """The confirmation of a previewed import: the signed preview (file, options, fingerprint)."""

    preview = HiddenField(validators=[DataRequired()])
