"""The demo company's toolbox: realistic, following its own rules, built through the audit log."""

import sqlalchemy as sa

from lernpfad.audit.models import AuditEvent
from lernpfad.auth.models import Role
from lernpfad.extensions import db
from lernpfad.toolbox import rules
from lernpfad.toolbox.demo import load_demo_toolbox
from lernpfad.toolbox.models import Tool
from lernpfad.usecases.demo import USE_CASES, load_demo_use_cases
from tests.helpers import department, make_person


def test_the_demo_toolbox(app):
    with app.app_context():
        coordinator = make_person("koordination@example.org", roles={Role.AI_COORDINATION})
        departments = {name: department(name) for name in USE_CASES}
        load_demo_use_cases(departments, dict.fromkeys(USE_CASES, coordinator))
        load_demo_toolbox(coordinator)
        tools = {tool.name: tool for tool in db.session.scalars(sa.select(Tool))}
        statuses = sorted(tool.status for tool in tools.values())
        assert statuses.count(rules.APPROVED) >= 2
        assert {rules.IN_REVIEW, rules.RESTRICTED, rules.REFUSED} <= set(statuses)
        for tool in tools.values():
            assert (
                rules.approval_problem(
                    tool.status, tool.data_class, tool.has_dpa, tool.hosting_region
                )
                is None
            ), tool.name
            assert (tool.status == rules.REFUSED) <= (tool.use_cases == []), tool.name
        assistant = tools["Muster-Assistent"]
        assert assistant.has_dpa and assistant.data_class == rules.YELLOW
        assert len(assistant.use_cases) >= 5
        assert any(
            tool.review_on < tool.created_at.date() for tool in tools.values() if tool.review_on
        )
        actions = db.session.scalars(
            sa.select(AuditEvent.action).where(AuditEvent.actor_id == coordinator.id)
        ).all()
        assert actions.count("toolbox.tool_created") == len(tools)
        assert actions.count("toolbox.tool_updated") == statuses.count(rules.APPROVED) + 1
