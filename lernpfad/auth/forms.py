from flask import current_app
from flask_babel import lazy_gettext as _l
from wtforms import EmailField, PasswordField
from wtforms.validators import DataRequired, EqualTo, Length, ValidationError

from lernpfad.auth.passwords import MAX_LENGTH, password_problems
from lernpfad.forms import Form


class LoginForm(Form):
    email = EmailField(
        _l("E-Mail-Adresse"),
        validators=[DataRequired(_l("Bitte geben Sie Ihre E-Mail-Adresse ein.")), Length(max=254)],
    )
    password = PasswordField(
        _l("Passwort"),
        validators=[DataRequired(_l("Bitte geben Sie Ihr Passwort ein.")), Length(max=1024)],
    )


class NewPasswordMixin:
    """A new password twice, checked against the password rules."""

    new_password = PasswordField(
        _l("Neues Passwort"),
        validators=[DataRequired(_l("Bitte geben Sie ein neues Passwort ein."))],
        description=_l(
            "Mindestens 12 Zeichen, höchstens %(n)d. Eine lange Passphrase aus mehreren Wörtern ist ideal.",
            n=MAX_LENGTH,
        ),
    )
    confirm = PasswordField(
        _l("Neues Passwort wiederholen"),
        validators=[
            DataRequired(_l("Bitte wiederholen Sie das neue Passwort.")),
            EqualTo("new_password", _l("Die beiden Passwörter stimmen nicht überein.")),
        ],
    )

    # Set by the view so that name and e-mail cannot be (most of) the password, nor can the
    # current one (None: the person has none yet).
    person_email = ""
    person_name = ""
    current_password_hash = None

    def validate_new_password(self, field):
        problems = password_problems(
            field.data or "",
            email=self.person_email,
            name=self.person_name,
            company=current_app.config.get("COMPANY_NAME", ""),
            current_hash=self.current_password_hash,
        )
        if problems:
            raise ValidationError(" ".join(problems))


class SetPasswordForm(NewPasswordMixin, Form):
    pass


class ChangePasswordForm(NewPasswordMixin, Form):
    current_password = PasswordField(
        _l("Aktuelles Passwort"),
        validators=[
            DataRequired(_l("Bitte geben Sie Ihr aktuelles Passwort ein.")),
            Length(max=1024),
        ],
    )


class ResetRequestForm(Form):
    email = EmailField(
        _l("E-Mail-Adresse"),
        validators=[DataRequired(_l("Bitte geben Sie Ihre E-Mail-Adresse ein.")), Length(max=254)],
    )
