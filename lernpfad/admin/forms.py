"""The operations area's one form: switching the privacy mode."""

from flask_babel import lazy_gettext as _l
from wtforms import StringField
from wtforms.fields import SelectChoice
from wtforms.validators import DataRequired, Length

from lernpfad.forms import ChoiceField, Form
from lernpfad.privacy.mode import AGGREGATE, INDIVIDUAL

MODE_LABELS = {
    AGGREGATE: _l("Zusammengefasst"),
    INDIVIDUAL: _l("Einzelwerte für HR"),
}
REASON_MAX = 1000


class PrivacyModeForm(Form):
    mode = ChoiceField(
        _l("Neuer Datenschutzmodus"),
        choices=[SelectChoice(key, label) for key, label in MODE_LABELS.items()],
        validators=[DataRequired(_l("Bitte wählen Sie einen Modus."))],
    )
    reason = StringField(
        _l("Begründung"),
        validators=[
            DataRequired(_l("Bitte geben Sie eine Begründung an.")),
            Length(
                max=REASON_MAX, message=_l("Die Begründung darf höchstens 1.000 Zeichen lang sein.")
            ),
        ],
        description=_l(
            "Zum Beispiel: „Betriebsvereinbarung vom 12.03.2027, § 4“. Wird im Audit-Protokoll gespeichert."
        ),
    )
