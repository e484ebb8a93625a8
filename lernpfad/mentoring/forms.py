from flask_babel import lazy_gettext as _l
from wtforms import DateField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length

from lernpfad.forms import AsciiIntegerField, ChoiceField, Form
from lernpfad.mentoring.rules import PROFILE_MAX_CHARS


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


class MenteeForm(Form):
    """HR asks a champion to look after one person individually (besides whole departments)."""

    champion_id = ChoiceField(
        _l("KI-Champion"),
        coerce=int,
        validators=[DataRequired(_l("Bitte wählen Sie einen KI-Champion."))],
    )
    mentee_id = ChoiceField(
        _l("Person"),
        coerce=int,
        validators=[DataRequired(_l("Bitte wählen Sie die Person."))],
    )


def _strip(value):
    return value.strip() if isinstance(value, str) else value


_TOO_LONG = _l("Bitte kürzen Sie den Text auf höchstens %(max)d Zeichen (jetzt: %(length)d).")


class ProfileForm(Form):
    """A champion's office hours and contact note for the directory; both optional, one line."""

    office_hours = StringField(
        _l("Sprechzeiten"),
        filters=[_strip],
        validators=[Length(max=PROFILE_MAX_CHARS, message=_TOO_LONG)],
        description=_l("Optional, z. B. „Di und Do 14–15 Uhr, Raum 2.14 oder Teams“."),
    )
    contact = StringField(
        _l("Kontakt"),
        filters=[_strip],
        validators=[Length(max=PROFILE_MAX_CHARS, message=_TOO_LONG)],
        description=_l(
            "Optional: Telefon oder Raum. Ihre E-Mail-Adresse steht ohnehin im Verzeichnis."
        ),
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
