from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import TextAreaField
from wtforms.validators import DataRequired

from lernpfad.forms import ChoiceField


class ReviewForm(FlaskForm):
    """Feedback and the decision (the button pressed: annehmen / zurueckgeben)."""

    feedback = TextAreaField(
        _l("Rückmeldung an die lernende Person"),
        description=_l(
            "Beim Zurückgeben nötig: was noch fehlt oder anders sein sollte. Beim Annehmen optional."
        ),
    )


class AssignForm(FlaskForm):
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
