"""Lernpfad: KI-Kompetenz im Mittelstand aufbauen."""

import os
from pathlib import Path

import sqlalchemy as sa
from flask import Flask


def create_app(test_config: dict | None = None, instance_path: str | None = None) -> Flask:
    """Configuration → extensions → blueprints → CLI."""
    app = Flask(__name__, instance_relative_config=True, instance_path=instance_path)
    from lernpfad.core.security import BoundedIntegerConverter

    app.url_map.converters["int"] = BoundedIntegerConverter
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
    configure(app, test_config)
    configure_extensions(app)
    configure_blueprints(app)
    configure_cli(app)
    return app


def configure(app: Flask, test_config: dict | None) -> None:
    from lernpfad import config
    from lernpfad.core.links import trusted_hosts

    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    app.config.from_mapping(config.DEFAULTS)
    app.config.from_pyfile("config.py", silent=True)
    app.config.update(config.from_environment(os.environ))
    if test_config:
        app.config.update(test_config)
    app.config.setdefault("SQLALCHEMY_DATABASE_URI", config.default_database_url(app.instance_path))
    app.config["ALLOWED_HOSTS"] = trusted_hosts(
        app.config["BASE_URL"], app.config.get("ALLOWED_HOSTS")
    )
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = config.instance_secret_key(app.instance_path)
    if app.config.get("CREDENTIAL_KEY_FILE"):
        # Refuse to start rather than fail at the first credential (a 500) or make a second key.
        from lernpfad.certification.credentials.keys import require_key_file

        require_key_file(Path(app.config["CREDENTIAL_KEY_FILE"]))
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        engine_options = app.config.setdefault("SQLALCHEMY_ENGINE_OPTIONS", {})
        engine_options.setdefault("connect_args", {}).setdefault("timeout", 5)


def configure_extensions(app: Flask) -> None:
    from flask_babel import get_locale

    from lernpfad import access, models  # noqa: F401 (models: every table on the metadata)
    from lernpfad.auth.services import load_user
    from lernpfad.core.i18n import select_locale
    from lernpfad.db import sqlite_on_connect
    from lernpfad.extensions import babel, csrf, db, login_manager, migrate

    if not sa.event.contains(sa.engine.Engine, "connect", sqlite_on_connect):
        sa.event.listen(sa.engine.Engine, "connect", sqlite_on_connect)
    db.init_app(app)
    migrate.init_app(app, db, directory=str(Path(__file__).parent.parent / "migrations"))
    csrf.init_app(app)
    babel.init_app(app, locale_selector=select_locale)
    app.jinja_env.globals["get_locale"] = get_locale
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = None
    login_manager.session_protection = "strong"
    login_manager.user_loader(load_user)
    app.before_request(access.check_access)


def configure_blueprints(app: Flask) -> None:
    from flask_babel import format_date, format_decimal, format_number, format_time

    from lernpfad.admin.routes import bp as admin_bp
    from lernpfad.api.pages import docs as api_docs_bp
    from lernpfad.api.pages import tokens_bp as api_tokens_bp
    from lernpfad.api.routes import register_api
    from lernpfad.assessments.routes import bp as assessments_bp
    from lernpfad.audit.routes import bp as audit_bp
    from lernpfad.auth.routes import bp as auth_bp
    from lernpfad.certification.credentials.routes import bp as credentials_bp
    from lernpfad.certification.exam.routes import bp as exam_bp
    from lernpfad.certification.routes import bp as certification_bp
    from lernpfad.certification.routes import exam_url
    from lernpfad.content.render import option_order
    from lernpfad.core.navigation import inject_navigation, module_url
    from lernpfad.core.routes import bp as core_bp
    from lernpfad.core.security import register_security
    from lernpfad.documentation.routes import bp as documentation_bp
    from lernpfad.mentoring.routes import bp as mentoring_bp
    from lernpfad.modules.routes import bp as modules_bp
    from lernpfad.notices.routes import bp as notices_bp
    from lernpfad.paths.routes import bp as paths_bp
    from lernpfad.people.routes import bp as people_bp
    from lernpfad.privacy.routes import bp as privacy_bp
    from lernpfad.records.routes import bp as records_bp
    from lernpfad.reports.routes import bp as reports_bp
    from lernpfad.sso.routes import bp as sso_bp
    from lernpfad.toolbox.routes import bp as toolbox_bp
    from lernpfad.usecases.routes import bp as usecases_bp
    from lernpfad.xapi.routes import bp as xapi_bp

    app.register_blueprint(core_bp)
    app.register_blueprint(auth_bp)
    app.register_blueprint(sso_bp)
    app.register_blueprint(people_bp)
    app.register_blueprint(assessments_bp)
    app.register_blueprint(paths_bp)
    app.register_blueprint(modules_bp)
    app.register_blueprint(mentoring_bp)
    app.register_blueprint(reports_bp)
    app.register_blueprint(privacy_bp)
    app.register_blueprint(records_bp)
    app.register_blueprint(usecases_bp)
    app.register_blueprint(toolbox_bp)
    app.register_blueprint(certification_bp)
    app.register_blueprint(credentials_bp)
    app.register_blueprint(exam_bp)
    app.register_blueprint(admin_bp)
    app.register_blueprint(audit_bp)
    app.register_blueprint(notices_bp)
    app.register_blueprint(documentation_bp)
    app.register_blueprint(api_docs_bp)
    app.register_blueprint(api_tokens_bp)
    app.register_blueprint(xapi_bp)
    register_security(app)
    register_api(app)
    app.context_processor(inject_navigation)
    app.jinja_env.globals.update(
        module_url=module_url,
        format_date=format_date,
        format_time=format_time,
        format_number=format_number,
        format_decimal=format_decimal,
        option_order=option_order,
        exam_url=exam_url,
    )


def configure_cli(app: Flask) -> None:
    from lernpfad.cli import lernpfad_cli

    app.cli.add_command(lernpfad_cli)
