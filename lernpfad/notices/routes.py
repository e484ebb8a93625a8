"""The bell: the list of one's notices, the reminder settings, and the unsubscribe link from
mails (no login needed; a GET only asks, the POST switches off)."""

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from lernpfad.access import public
from lernpfad.auth.models import Role
from lernpfad.extensions import db
from lernpfad.forms import small_int
from lernpfad.notices import services
from lernpfad.notices.forms import OFF, ON, ConfirmForm, PreferencesForm

bp = Blueprint("notices", __name__, template_folder="templates")


def _me():
    return current_user._get_current_object()


def _unread_notices() -> int:
    """The bell's number: one COUNT per page, only when the page shows the bell."""
    if not current_user.is_authenticated:
        return 0
    if "unread_notices" not in g:
        g.unread_notices = services.unread_count(_me())
    return g.unread_notices


@bp.app_context_processor
def bell():
    return {"unread_notices": _unread_notices}


@bp.route("/mitteilungen/")
def index():
    """The person's notices, newest first; the ones shown are read from now on."""
    me = _me()
    view = services.notices_page(me, small_int(request.args.get("seite"), digits=6) or 1)
    if services.mark_read(me, [item.id for item in view.items if item.unread]):
        db.session.commit()
    return render_template("notices/index.html", view=view)


def _gets_digest(person) -> bool:
    return person.has_role(Role.DEPARTMENT_HEAD, Role.CHAMPION)


@bp.route("/einstellungen/mitteilungen", methods=["GET", "POST"])
def preferences():
    me = _me()
    form = PreferencesForm()
    if not _gets_digest(me):
        del form.digest  # nobody else gets one
    if not form.is_submitted():
        current = services.preference_of(me)
        form.reminders.data = ON if current.reminders else OFF
        if "digest" in form:
            form.digest.data = ON if current.digest else OFF
    if form.validate_on_submit():
        changes = {"reminders": form.reminders.data == ON}
        if "digest" in form:
            changes["digest"] = form.digest.data == ON
        services.set_preferences(me, **changes)
        db.session.commit()
        flash(_("Ihre Einstellungen sind gespeichert."), "success")
        return redirect(url_for("notices.preferences"))
    return render_template("notices/preferences.html", form=form), 400 if form.errors else 200


@bp.route("/einstellungen/mitteilungen/abbestellen/<slug>/<token>", methods=["GET", "POST"])
@public
def unsubscribe(slug: str, token: str):
    """One click from a mail, without logging in: the page asks, the button switches off."""
    category = services.CATEGORY_SLUGS.get(slug)
    if category is None:
        abort(404)
    person = services.person_for_token(category, token)
    if person is None:
        return render_template("notices/unsubscribe_invalid.html"), 400
    form = ConfirmForm()
    if form.validate_on_submit():
        services.set_preferences(person, **{category: False})
        db.session.commit()
        flash(_("Abbestellt."), "success")
        return redirect(url_for("notices.unsubscribe", slug=slug, token=token))
    return render_template(
        "notices/unsubscribe.html",
        form=form,
        category=category,
        active=getattr(services.preference_of(person), category),
    ), 400 if form.errors else 200
