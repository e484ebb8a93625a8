"""The KI-Toolbox: every logged-in person reads it; administrators and the KI-Koordination keep it."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.exc import IntegrityError
from wtforms.fields import SelectChoice

from lernpfad.access import roles_required
from lernpfad.auth.models import Role
from lernpfad.db import local_today
from lernpfad.extensions import db
from lernpfad.toolbox import rules, services
from lernpfad.toolbox.forms import (
    DATA_CLASS_LABELS,
    HOSTING_LABELS,
    LICENCE_LABELS,
    PROBLEM_MESSAGES,
    STATUS_LABELS,
    ToolForm,
)
from lernpfad.toolbox.models import Tool
from lernpfad.usecases.services import scope_of

bp = Blueprint("toolbox", __name__, url_prefix="/ki-toolbox", template_folder="templates")
EDITORS = (Role.ADMIN, Role.AI_COORDINATION)
LABELS = {
    "status_labels": STATUS_LABELS,
    "class_labels": DATA_CLASS_LABELS,
    "hosting_labels": HOSTING_LABELS,
    "licence_labels": LICENCE_LABELS,
}


def _me():
    return current_user._get_current_object()


@bp.app_template_filter("toolbox_lists")
def toolbox_lists(html: str):
    """Module HTML with its toolbox shortcodes replaced by the current lists."""
    return services.expand_lists(html)


@bp.route("/")
def index():
    data_class = request.args.get("datenklasse", "")
    if data_class not in rules.DATA_CLASSES:
        data_class = ""  # unknown: every tool
    tools = services.all_tools()
    if data_class:
        tools = rules.usable_for(tools, data_class)
    return render_template(
        "toolbox/index.html",
        tools=tools,
        data_class=data_class,
        may_edit=_me().has_role(*EDITORS),
        today=local_today(),
        review_due=rules.review_due,
        monthly_total=sum(t.monthly_cost_eur or 0 for t in tools if t.status in rules.USABLE),
        **LABELS,
    )


@bp.route("/<int:tool_id>")
def show(tool_id: int):
    tool = db.get_or_404(Tool, tool_id)
    scope = scope_of(_me())
    return render_template(
        "toolbox/show.html",
        tool=tool,
        may_edit=_me().has_role(*EDITORS),
        may_view_use_case=scope.may_view,
        review_due=rules.review_due(tool.review_on, local_today()),
        **LABELS,
    )


@bp.route("/neu", methods=["GET", "POST"])
@roles_required(*EDITORS)
def create():
    return _edit(Tool(status=rules.IN_REVIEW, data_class=rules.GREEN), is_new=True)


@bp.route("/<int:tool_id>/bearbeiten", methods=["GET", "POST"])
@roles_required(*EDITORS)
def edit(tool_id: int):
    return _edit(db.get_or_404(Tool, tool_id), is_new=False)


def _edit(tool: Tool, *, is_new: bool):
    form = ToolForm(obj=None if is_new else tool)
    offered = services.linkable_use_cases(tool)
    form.use_cases.choices = [
        SelectChoice(u.id, f"{u.title} ({u.department.name})") for u in offered
    ]
    if not form.is_submitted():
        if is_new:
            form.status.data, form.data_class.data = tool.status, tool.data_class
        else:
            form.use_cases.data = [u.id for u in tool.use_cases]
    if form.validate_on_submit():
        values = {name: getattr(form, name).data for name in services.FIELDS}
        try:
            services.save_tool(tool, values, form.use_cases.data, actor=_me())
            db.session.commit()
        except services.ToolRefused as refused:
            db.session.rollback()
            for field, key in refused.problems:
                form[field].errors.append(PROBLEM_MESSAGES[key])
        except IntegrityError:  # the same name saved a moment earlier by someone else
            db.session.rollback()
            form.name.errors.append(PROBLEM_MESSAGES["name_taken"])
        else:
            flash(_("Werkzeug gespeichert."), "success")
            return redirect(url_for("toolbox.show", tool_id=tool.id))
    return render_template(
        "toolbox/edit.html", form=form, tool=tool, is_new=is_new
    ), 400 if form.errors else 200
