from flask_babel import lazy_gettext as _l
from wtforms import StringField, TextAreaField
from wtforms.fields import SelectChoice
from wtforms.validators import DataRequired, Length, Optional

from lernpfad.forms import ChoiceField, Form

STATUS_LABELS = {
    "idee": _l("Idee"),
    "bewertet": _l("bewertet"),
    "pilot": _l("Pilot"),
    "im_einsatz": _l("im Einsatz"),
    "verworfen": _l("verworfen"),
}
SCORE_CHOICES = [SelectChoice(str(n), f"{n}") for n in range(1, 6)]


def _required(message):
    return [DataRequired(message)]


class UseCaseForm(Form):
    # Only when a new use case could belong to several departments (a champion's); removed otherwise.
    department_id = ChoiceField(
        _l("Abteilung"),
        coerce=int,
        validators=[DataRequired(_l("Bitte wählen Sie eine Abteilung."))],
    )
    title = StringField(
        _l("Titel"),
        validators=[*_required(_l("Bitte geben Sie einen Titel ein.")), Length(max=200)],
    )
    # Not "process": that name belongs to the form itself.
    business_process = StringField(
        _l("Prozess"),
        validators=[*_required(_l("Bitte nennen Sie den Prozess.")), Length(max=300)],
        description=_l("In welchem bestehenden Arbeitsablauf soll KI helfen?"),
    )
    problem = TextAreaField(
        _l("Problem"),
        validators=[*_required(_l("Bitte beschreiben Sie das Problem.")), Length(max=4000)],
    )
    expected_benefit = TextAreaField(
        _l("Erwarteter Nutzen"),
        validators=[
            *_required(_l("Bitte beschreiben Sie den erwarteten Nutzen.")),
            Length(max=4000),
        ],
    )
    kpi_name = StringField(
        _l("Kennzahl (KPI)"),
        validators=[*_required(_l("Bitte nennen Sie eine Kennzahl.")), Length(max=200)],
        description=_l("z. B. Bearbeitungszeit je Anfrage in Minuten"),
    )
    kpi_baseline = StringField(
        _l("Ausgangswert"),
        validators=[*_required(_l("Bitte geben Sie den Ausgangswert an.")), Length(max=100)],
    )
    kpi_target = StringField(
        _l("Zielwert"),
        validators=[*_required(_l("Bitte geben Sie den Zielwert an.")), Length(max=100)],
    )
    kpi_measured = StringField(
        _l("Gemessener Wert (optional)"), validators=[Optional(), Length(max=100)]
    )
    score_value = ChoiceField(
        _l("Geschäftlicher Nutzen (1–5)"), choices=SCORE_CHOICES, validate_choice=True
    )
    score_feasibility = ChoiceField(_l("Machbarkeit (1–5)"), choices=SCORE_CHOICES)
    score_strategic = ChoiceField(_l("Strategische Relevanz (1–5)"), choices=SCORE_CHOICES)
    status = ChoiceField(
        _l("Status"), choices=[SelectChoice(k, v) for k, v in STATUS_LABELS.items()]
    )
