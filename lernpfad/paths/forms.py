from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, TextAreaField
from wtforms.fields import SelectChoice
from wtforms.validators import DataRequired, Length

from lernpfad.forms import ChoiceField, Form

BASE_ROLE_LABELS = {
    "fuehrungsebene": _l("Führungsebene"),
    "fachbereichsleitung": _l("Fachbereichsleitung"),
    "anwender": _l("Anwender"),
}


class OverrideForm(Form):
    role = ChoiceField(
        _l("Rolle im Lernprogramm"),
        choices=[SelectChoice("", _l("— bitte wählen —"))]
        + [SelectChoice(key, label) for key, label in BASE_ROLE_LABELS.items()],
        validators=[DataRequired(_l("Bitte wählen Sie eine Rolle."))],
    )
    nominated = BooleanField(_l("Als KI-Champion nominieren (Champion-Lernpfad)"))
    reason = TextAreaField(
        _l("Begründung"),
        validators=[
            DataRequired(_l("Bitte geben Sie eine Begründung an.")),
            Length(
                min=10, max=1000, message=_l("Die Begründung muss 10 bis 1.000 Zeichen lang sein.")
            ),
        ],
        description=_l("Wird im Audit-Protokoll gespeichert."),
    )
