from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, DateField
from wtforms.validators import DataRequired, InputRequired, ValidationError

from lernpfad.db import local_today
from lernpfad.forms import CheckboxListField, ChoiceField, Form
from lernpfad.modules.assignments import DUE_DATE_MESSAGES, NO_PEOPLE
from lernpfad.modules.rules import due_date_problem


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

    def validate_people(self, field):
        # Checked here, not only in the service, so that it is reported with the other fields.
        if not field.data and not field.errors:
            raise ValidationError(NO_PEOPLE)


class WithdrawForm(Form):
    confirmed = BooleanField(
        _l("Ja, die Zuweisung zurücknehmen."),
        validators=[
            DataRequired(_l("Bitte bestätigen Sie, dass Sie die Zuweisung zurücknehmen möchten."))
        ],
    )
