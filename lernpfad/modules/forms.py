from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField
from wtforms.validators import DataRequired, InputRequired

from lernpfad.forms import CheckboxListField, ChoiceField


class AssignForm(FlaskForm):
    module_id = ChoiceField(
        _l("Modul"), validators=[DataRequired(_l("Bitte wählen Sie ein Modul."))]
    )
    due_on = DateField(
        _l("Fällig am"),
        validators=[InputRequired(_l("Bitte geben Sie ein gültiges Datum an."))],
        format="%Y-%m-%d",
    )
    people = CheckboxListField(_l("Personen"), coerce=int)
