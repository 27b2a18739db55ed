from __future__ import annotations

import re
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, transaction

_ROLE = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")


def role_sql(app_role: str, database: str, schema: str) -> list[str]:
    """Statements that give ``app_role`` what the portal needs, and on the audit log only
    INSERT and SELECT, UPDATE of the three chain columns (which the trigger allows once per
    entry), and the purge function, which itself refuses young entries."""
    q = connection.ops.quote_name
    role, db, sch = q(app_role), q(database), q(schema)
    return [
        # app_role matched _ROLE: a plain identifier, safe inside the literal.
        f"DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{app_role}') "  # noqa: S608  # nosec B608
        f"THEN CREATE ROLE {role} LOGIN; END IF; END $$",
        f"GRANT CONNECT ON DATABASE {db} TO {role}",
        f"GRANT USAGE ON SCHEMA {sch} TO {role}",
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA {sch} TO {role}",
        f"GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA {sch} TO {role}",
        f"ALTER DEFAULT PRIVILEGES IN SCHEMA {sch} "
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {role}",
        f"ALTER DEFAULT PRIVILEGES IN SCHEMA {sch} "
        f"GRANT USAGE, SELECT, UPDATE ON SEQUENCES TO {role}",
        "REVOKE ALL ON audit_auditentry FROM PUBLIC",
        f"REVOKE ALL ON audit_auditentry FROM {role}",
        f"GRANT SELECT, INSERT ON audit_auditentry TO {role}",
        # the chainer's columns only; the trigger lets each entry be chained once
        f"GRANT UPDATE (chain_seq, prev_hash, entry_hash) ON audit_auditentry TO {role}",
        f"GRANT EXECUTE ON FUNCTION enlace_audit_purge(timestamptz) TO {role}",
    ]


class Command(BaseCommand):
    help = (
        "Print (or, with --execute, run) the SQL that sets up the production application role: "
        "full use of the portal's tables, but only INSERT and SELECT on the audit log. Run it as "
        "the role that owns the tables (the one that runs migrations), after every migrate."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--app-role", default="enlace_app", help="role web/worker log in as")
        parser.add_argument("--execute", action="store_true", help="run the statements now")

    def handle(self, *args: Any, **options: Any) -> None:
        app_role: str = options["app_role"]
        if not _ROLE.match(app_role):
            raise CommandError("--app-role must be a plain lower-case PostgreSQL identifier")
        with connection.cursor() as cursor:
            cursor.execute("SELECT current_database(), current_schema()")
            database, schema = cursor.fetchone()
        statements = role_sql(app_role, database, schema)
        if not options["execute"]:
            self.stdout.write(";\n".join(statements) + ";")
            return
        with transaction.atomic(), connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)
        self.stdout.write(
            f"role {app_role}: portal tables read/write; "
            "audit_auditentry INSERT, SELECT and chaining only"
        )
