from flask_babel import lazy_gettext as _l
from wtforms import DateField
from wtforms.validators import DataRequired, InputRequired, ValidationError

from lernpfad.db import local_today
from lernpfad.forms import CheckboxListField, ChoiceField, Form
from lernpfad.modules.rules import due_date_problem
from lernpfad.modules.services import DUE_DATE_MESSAGES


class AssignForm(Form):
    module_id = ChoiceField(
        _l("Modul"), validators=[DataRequired(_l("Bitte wählen Sie ein Modul."))]
    )
    due_on = DateField(
        _l("Fällig am"),
        validators=[InputRequired(_l("Bitte geben Sie ein gültiges Datum an."))],
        format="%Y-%m-%d",
    )
    people = CheckboxListField(_l("Personen"), coerce=int)

    def validate_due_on(self, field):
        problem = due_date_problem(field.data, local_today()) if field.data else None
        if problem:
            raise ValidationError(DUE_DATE_MESSAGES[problem])
