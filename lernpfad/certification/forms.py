from flask_babel import lazy_gettext as _l
from wtforms import StringField, TextAreaField
from wtforms.validators import DataRequired, Length

from lernpfad.forms import ChoiceField, Form


class ProjectForm(Form):
    use_case_id = ChoiceField(
        _l("Anwendungsfall"),
        coerce=int,
        validators=[DataRequired(_l("Bitte wählen Sie den Anwendungsfall."))],
        description=_l(
            "Ein Anwendungsfall im Status Pilot oder im Einsatz, an dem Sie mitgewirkt haben."
        ),
    )
    title = StringField(
        _l("Titel des Projekts"),
        validators=[DataRequired(_l("Bitte geben Sie einen Titel ein.")), Length(max=200)],
    )
    what_was_done = TextAreaField(
        _l("Was wurde getan?"),
        validators=[
            DataRequired(_l("Bitte beschreiben Sie, was getan wurde.")),
            Length(
                min=40, max=8000, message=_l("Bitte beschreiben Sie es in 40 bis 8.000 Zeichen.")
            ),
        ],
        description=_l("Ihre Rolle, die Schritte, die eingesetzten Werkzeuge und Vorlagen."),
    )
    baseline = StringField(
        _l("Ausgangswert"),
        validators=[DataRequired(_l("Bitte nennen Sie den Ausgangswert.")), Length(max=200)],
        description=_l("z. B. 45 Minuten je Angebot vor dem Pilot"),
    )
    result = StringField(
        _l("Ergebnis"),
        validators=[DataRequired(_l("Bitte nennen Sie das gemessene Ergebnis.")), Length(max=200)],
        description=_l("z. B. 20 Minuten je Angebot nach sechs Wochen"),
    )
    effect = TextAreaField(
        _l("Gemessene Wirkung"),
        validators=[
            DataRequired(_l("Bitte beschreiben Sie die gemessene Wirkung.")),
            Length(max=4000),
        ],
        description=_l(
            "Wie gemessen wurde und was sich verändert hat – auch, was nicht geklappt hat."
        ),
    )


class ReviewForm(Form):
    feedback = TextAreaField(
        _l("Rückmeldung"),
        validators=[Length(max=4000)],
        description=_l("Beim Zurückgeben nötig: was fehlt oder anders sein sollte."),
    )


class RevokeForm(Form):
    reason = TextAreaField(
        _l("Grund des Widerrufs"),
        validators=[
            DataRequired(_l("Bitte geben Sie einen Grund an.")),
            Length(min=10, max=1000, message=_l("Der Grund muss 10 bis 1.000 Zeichen lang sein.")),
        ],
        description=_l(
            "Wird im Audit-Protokoll gespeichert; die Prüfseite zeigt nur „widerrufen“."
        ),
    )


class CertifierForm(Form):
    person_id = ChoiceField(
        _l("Zertifizierte:r KI-Champion"),
        coerce=int,
        validators=[DataRequired(_l("Bitte wählen Sie eine Person."))],
    )
