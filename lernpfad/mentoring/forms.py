from flask_babel import lazy_gettext as _l
from wtforms import DateField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired

from lernpfad.forms import AsciiIntegerField, ChoiceField, Form


class ReviewForm(Form):
    """Feedback and the decision (the button pressed: annehmen / zurueckgeben)."""

    feedback = TextAreaField(
        _l("Rückmeldung an die lernende Person"),
        description=_l(
            "Beim Zurückgeben nötig: was noch fehlt oder anders sein sollte. Beim Annehmen optional."
        ),
    )


class AssignForm(Form):
    champion_id = ChoiceField(
        _l("KI-Champion"),
        coerce=int,
        validators=[DataRequired(_l("Bitte wählen Sie einen KI-Champion."))],
    )
    department_id = ChoiceField(
        _l("Abteilung"),
        coerce=int,
        validators=[DataRequired(_l("Bitte wählen Sie eine Abteilung."))],
    )


class SessionForm(Form):
    mentee_id = ChoiceField(
        _l("Mit wem?"),
        coerce=int,
        validators=[DataRequired(_l("Bitte wählen Sie die Person."))],
    )
    held_on = DateField(
        _l("Datum"),
        validators=[InputRequired(_l("Bitte geben Sie ein gültiges Datum an."))],
        format="%Y-%m-%d",
    )
    minutes = AsciiIntegerField(
        _l("Dauer in Minuten"),
        validators=[InputRequired(_l("Bitte geben Sie die Dauer in Minuten an."))],
    )
    topic = StringField(
        _l("Thema"),
        description=_l(
            "Nur das Thema, z. B. „Prompt-Vorlage für Angebote“ – keine Inhalte über die Person."
        ),
    )
