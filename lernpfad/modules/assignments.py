"""Department heads assign modules with due dates to people of their department, see what became
of them (done, open, overdue) and withdraw them. Callers commit."""

from dataclasses import dataclass, field
from datetime import date

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from lernpfad.audit.services import record_audit
from lernpfad.auth.models import Person
from lernpfad.content.models import ModuleVersion
from lernpfad.extensions import db
from lernpfad.modules import rules
from lernpfad.modules.models import ModuleAssignment, ModuleProgress
from lernpfad.modules.services import current_version

NO_PEOPLE = _l("Bitte wählen Sie mindestens eine Person.")
DUE_DATE_MESSAGES = {
    "past": _l("Das Fälligkeitsdatum darf nicht in der Vergangenheit liegen."),
    "too_far": _l("Das Fälligkeitsdatum darf höchstens zwei Jahre in der Zukunft liegen."),
}


class AssignmentRefused(ValueError):
    """The reason is a German message for the department head; ``field`` is the form field it
    belongs to."""

    def __init__(self, message: str, field: str = "people"):
        super().__init__(message)
        self.field = field


def assignable_people(head: Person) -> list[Person]:
    """Active people of the head's own department."""
    if head.department_id is None:
        return []
    return list(
        db.session.scalars(
            sa.select(Person)
            .where(Person.department_id == head.department_id, Person.active)
            .order_by(Person.name)
        )
    )


def assign_module(head: Person, person_ids: list[int], module_id: str, due_on, today) -> int:
    """Assign a module with a due date to people of the head's department; returns how many.

    An existing assignment of the same module gets the new due date.
    """
    if current_version(module_id) is None:
        raise AssignmentRefused(_("Dieses Modul gibt es nicht."), field="module_id")
    problem = rules.due_date_problem(due_on, today)
    if problem:
        raise AssignmentRefused(str(DUE_DATE_MESSAGES[problem]), field="due_on")
    allowed = {p.id: p for p in assignable_people(head)}
    if not person_ids:
        raise AssignmentRefused(str(NO_PEOPLE))
    if any(pid not in allowed for pid in person_ids):
        raise AssignmentRefused(
            _("Sie können nur Personen Ihrer eigenen Abteilung Module zuweisen.")
        )
    for pid in person_ids:
        existing = db.session.scalar(
            sa.select(ModuleAssignment).where(
                ModuleAssignment.person_id == pid, ModuleAssignment.module_id == module_id
            )
        )
        if existing is None:
            db.session.add(
                ModuleAssignment(
                    person_id=pid, module_id=module_id, due_on=due_on, assigned_by_id=head.id
                )
            )
        else:
            existing.due_on = due_on
            existing.assigned_by_id = head.id
    db.session.flush()
    return len(person_ids)


# The groups of an assignment, in the order the department head reads them.
ASSIGNMENT_STATUSES = (rules.ASSIGNMENT_OVERDUE, rules.ASSIGNMENT_OPEN, rules.ASSIGNMENT_DONE)


@dataclass(frozen=True)
class AssignedPerson:
    assignment_id: int
    name: str


@dataclass
class AssignmentGroup:
    """One module assigned with one due date in a department: who is done, open, overdue.

    Names only — completing an assigned module is a training record; levels, answers and
    hand-ins are not part of it."""

    module_id: str
    title: str
    due_on: date
    people: dict[str, list[AssignedPerson]] = field(
        default_factory=lambda: {status: [] for status in ASSIGNMENT_STATUSES}
    )

    @property
    def count(self) -> int:
        return sum(len(names) for names in self.people.values())


def department_assignments(
    head: Person, today: date, *, module_id: str | None = None, due_on: date | None = None
) -> list[AssignmentGroup]:
    """The assignments to active people of the head's own department, grouped by module and
    due date, soonest first; optionally only one module and due date."""
    if head.department_id is None:
        return []
    query = (
        sa.select(
            ModuleAssignment.id,
            ModuleAssignment.module_id,
            ModuleAssignment.due_on,
            Person.name,
            ModuleProgress.state,
        )
        .join(Person, Person.id == ModuleAssignment.person_id)
        .outerjoin(
            ModuleProgress,
            sa.and_(
                ModuleProgress.person_id == ModuleAssignment.person_id,
                ModuleProgress.module_id == ModuleAssignment.module_id,
            ),
        )
        .where(Person.department_id == head.department_id, Person.active)
        .order_by(ModuleAssignment.due_on, ModuleAssignment.module_id, Person.name, Person.id)
    )
    if module_id is not None:
        query = query.where(
            ModuleAssignment.module_id == module_id, ModuleAssignment.due_on == due_on
        )
    rows = db.session.execute(query).all()
    titles = dict(
        db.session.execute(
            sa.select(ModuleVersion.module_id, ModuleVersion.title).where(
                ModuleVersion.is_current,
                ModuleVersion.module_id.in_({row.module_id for row in rows}),
            )
        ).all()
    )
    groups: dict[tuple[str, date], AssignmentGroup] = {}
    for row in rows:
        key = (row.module_id, row.due_on)
        if key not in groups:
            groups[key] = AssignmentGroup(
                row.module_id, titles.get(row.module_id, row.module_id), row.due_on
            )
        status = rules.assignment_status(row.state, row.due_on, today)
        groups[key].people[status].append(AssignedPerson(row.id, row.name))
    return list(groups.values())


def department_assignment(head: Person, assignment_id: int) -> ModuleAssignment | None:
    """One assignment to an active person of the head's own department, else None."""
    if head.department_id is None:
        return None
    return db.session.scalar(
        sa.select(ModuleAssignment)
        .join(Person, Person.id == ModuleAssignment.person_id)
        .where(
            ModuleAssignment.id == assignment_id,
            Person.department_id == head.department_id,
            Person.active,
        )
    )


def withdraw_assignments(head: Person, assignment_ids: list[int]) -> int:
    """Withdraw assignments of the head's department (deleted, each one audited); what the
    people did in the module stays. Returns how many were withdrawn."""
    withdrawn = 0
    for assignment_id in assignment_ids:
        assignment = department_assignment(head, assignment_id)
        if assignment is None:
            continue  # withdrawn meanwhile, or not the head's to withdraw
        record_audit(
            actor=head,
            action="module_assignment.withdrawn",
            subject=assignment.person,
            module=assignment.module_id,
            due_on=assignment.due_on.isoformat(),
        )
        db.session.delete(assignment)
        withdrawn += 1
    db.session.flush()
    return withdrawn
