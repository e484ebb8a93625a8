"""Imports every feature's models so that the metadata (and Alembic) sees all tables."""

from lernpfad.api.models import ApiToken  # noqa: F401
from lernpfad.assessments.models import AssessmentAttempt, AssessmentResult  # noqa: F401
from lernpfad.audit.models import AuditChainHead, AuditEvent  # noqa: F401
from lernpfad.auth.models import AccountToken, Department, LoginFailure, Person, PersonRole  # noqa: F401
from lernpfad.certification.credentials.models import VerificationLookup  # noqa: F401
from lernpfad.certification.models import Certificate, CertifierRight, ExamAttempt, Project  # noqa: F401
from lernpfad.content.models import ContentDocument, ContentImport, ModuleVersion  # noqa: F401
from lernpfad.jobs.models import JobRun, OutboxMail, ReminderLog  # noqa: F401
from lernpfad.mentoring.models import ChampionDepartment, MentoringSession  # noqa: F401
from lernpfad.modules.models import ModuleAssignment, ModuleProgress, QuizAttempt, Submission  # noqa: F401
from lernpfad.notices.models import Notice, NotificationPreference  # noqa: F401
from lernpfad.paths.models import PathAssignment  # noqa: F401
from lernpfad.privacy.models import PrivacyModeChange  # noqa: F401
from lernpfad.reports import tracking  # noqa: F401 (keeps the report columns of people)
from lernpfad.reports.models import PublicationMember, ReportPublication  # noqa: F401
from lernpfad.sso.models import SsoIdentity  # noqa: F401
from lernpfad.toolbox.models import Tool  # noqa: F401
from lernpfad.usecases.models import UseCase  # noqa: F401
from lernpfad.xapi.models import XapiActor, XapiScan, XapiStatement  # noqa: F401
