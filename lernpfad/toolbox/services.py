"""The toolbox: reading, saving with its rules and the audit entry, and what modules and
practical tasks show of it. Callers commit."""

import re
from dataclasses import dataclass

import sqlalchemy as sa
from flask import render_template
from markupsafe import Markup
from sqlalchemy.orm import joinedload, selectinload

from lernpfad.audit.services import record_audit
from lernpfad.db import utcnow
from lernpfad.extensions import db
from lernpfad.toolbox import rules
from lernpfad.toolbox.forms import DATA_CLASS_LABELS
from lernpfad.toolbox.models import Tool, tool_use_cases
from lernpfad.usecases.models import UseCase

FIELDS = (
    "name",
    "provider",
    "purpose",
    "status",
    "data_class",
    "hosting_region",
    "has_dpa",
    "licence_model",
    "monthly_cost_eur",
    "owner",
    "review_on",
)


class ToolRefused(ValueError):
    """``problems`` are (form field, message key) pairs, all of them at once."""

    def __init__(self, problems: list[tuple[str, str]]):
        super().__init__(", ".join(key for _field, key in problems))
        self.problems = problems


LIST_ORDER = {rules.APPROVED: 0, rules.RESTRICTED: 1, rules.IN_REVIEW: 2, rules.REFUSED: 3}


def all_tools() -> list[Tool]:
    """Every tool: approved, restricted, in review, refused; each by name."""
    tools = db.session.scalars(sa.select(Tool).options(selectinload(Tool.use_cases)))
    return sorted(tools, key=lambda t: (LIST_ORDER[t.status], t.name.casefold()))


def usable_tools(data_class: str | None = None) -> list[Tool]:
    """Approved and restricted tools (for ``data_class`` if given), as a module shows them."""
    tools = db.session.scalars(sa.select(Tool).where(Tool.status.in_(rules.USABLE))).all()
    return rules.usable_for(list(tools), data_class)


def linkable_use_cases(tool: Tool) -> list[UseCase]:
    """The use cases a tool may be said to serve: those not discarded, and any it serves now."""
    linked = {use_case.id for use_case in tool.use_cases} if tool.id else set()
    condition = UseCase.status != "verworfen"
    if linked:
        condition = sa.or_(condition, UseCase.id.in_(linked))
    return list(
        db.session.scalars(
            sa.select(UseCase)
            .options(joinedload(UseCase.department))
            .where(condition)
            .order_by(UseCase.title, UseCase.id)
        )
    )


def _problems(tool: Tool, values: dict, use_case_ids: list[int]) -> list[tuple[str, str]]:
    problems = []
    name = values["name"].strip()
    taken = db.session.scalar(
        sa.select(Tool.id).where(
            sa.func.lower(Tool.name) == name.lower(), Tool.id != (tool.id or 0)
        )
    )
    if taken is not None:
        problems.append(("name", "name_taken"))
    old = tool.status if tool.id is not None else None
    if not rules.status_change_allowed(old, values["status"]):
        problems.append(("status", "status_new" if old is None else "status_change"))
    problem = rules.approval_problem(
        values["status"], values["data_class"], values["has_dpa"], values["hosting_region"]
    )
    if problem:
        problems.append(("data_class", problem))
    problem = rules.link_problem(values["status"], bool(use_case_ids))
    if problem:
        problems.append(("use_cases", problem))
    return problems


def _shown(value):
    return value.isoformat() if hasattr(value, "isoformat") else value


def save_tool(tool: Tool, values: dict, use_case_ids: list[int], *, actor) -> Tool:
    """Create or change a tool with the use cases it serves, and write the audit entry; refused
    (ToolRefused) with every problem at once, changing nothing. ``use_case_ids`` must be ids the
    form offered (linkable_use_cases)."""
    problems = _problems(tool, values, use_case_ids)
    if problems:
        raise ToolRefused(problems)
    is_new = tool.id is None
    before = {name: _shown(getattr(tool, name)) for name in FIELDS}
    before_cases = sorted(use_case.id for use_case in tool.use_cases) if not is_new else []
    for name in FIELDS:
        value = values[name]
        setattr(tool, name, value.strip() if isinstance(value, str) else value)
    wanted = sorted(set(use_case_ids))
    if wanted != before_cases:
        tool.use_cases = list(
            db.session.scalars(sa.select(UseCase).where(UseCase.id.in_(wanted or [0])))
        )
    changed = [name for name in FIELDS if before[name] != _shown(getattr(tool, name))]
    if wanted != before_cases:
        changed.append("use_cases")
    if not is_new and not changed:
        return tool  # nothing to record
    tool.updated_at = utcnow()
    if is_new:
        db.session.add(tool)
    db.session.flush()
    details = {"tool": tool.name, "tool_id": tool.id}
    if is_new:
        details["status"] = tool.status
        action = "toolbox.tool_created"
    else:
        details["fields"] = changed
        if "status" in changed:
            details["before"], details["after"] = before["status"], tool.status
        action = "toolbox.tool_updated"
    if wanted != before_cases:
        details["use_cases"] = wanted
    record_audit(actor=actor, action=action, **details)
    return tool


@dataclass(frozen=True)
class FittingTools:
    """A use case and the usable tools that serve it."""

    use_case_id: int
    title: str
    tools: list[Tool]


def fitting_tools(use_case_ids) -> dict[int, FittingTools]:
    """Per use case (of those named), the approved or restricted tools that serve it; use cases
    without any are left out."""
    ids = sorted({i for i in use_case_ids if i is not None})
    if not ids:
        return {}
    rows = db.session.execute(
        sa.select(UseCase.id, UseCase.title, Tool)
        .join(tool_use_cases, tool_use_cases.c.use_case_id == UseCase.id)
        .join(Tool, Tool.id == tool_use_cases.c.tool_id)
        .where(UseCase.id.in_(ids), Tool.status.in_(rules.USABLE))
    ).all()
    found: dict[int, tuple[str, list[Tool]]] = {}
    for use_case_id, title, tool in rows:
        found.setdefault(use_case_id, (title, []))[1].append(tool)
    return {
        use_case_id: FittingTools(use_case_id, title, rules.usable_for(tools))
        for use_case_id, (title, tools) in found.items()
    }


def expand_lists(html: str) -> Markup:
    """Module HTML (already sanitised at import) with each toolbox shortcode's paragraph
    replaced by the company's current list of usable tools (templates/toolbox/_list.html)."""
    if "[[toolbox" not in html:
        return Markup(html)
    tools = usable_tools()

    def replace(match: re.Match) -> str:
        data_class = match.group(1)
        return render_template(
            "toolbox/_list.html",
            tools=rules.usable_for(tools, data_class),
            data_class=data_class,
            any_usable=bool(tools),
            class_labels=DATA_CLASS_LABELS,
        )

    return Markup(rules.RENDERED_SHORTCODE.sub(replace, html))


def tools_serving(use_case_id: int) -> list[Tool]:
    """Every tool said to serve the use case, usable ones first (as the toolbox lists them)."""
    tools = db.session.scalars(
        sa.select(Tool)
        .join(tool_use_cases, tool_use_cases.c.tool_id == Tool.id)
        .where(tool_use_cases.c.use_case_id == use_case_id)
    )
    return sorted(tools, key=lambda t: (LIST_ORDER[t.status], t.name.casefold()))
