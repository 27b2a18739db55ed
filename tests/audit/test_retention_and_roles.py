"""Audit retention (purge older than a year, through the one path the database allows) and
the production role that may only INSERT and SELECT the audit log, and chain its entries."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction
from django.db.utils import DatabaseError
from django.utils import timezone

from audit.log import _append, build_entry, chain_pending, record
from audit.models import AuditEntry


def _sql(statement: str, params: list[Any] | None = None) -> Any:
    with connection.cursor() as cursor:
        cursor.execute(statement, params or [])
        return cursor.fetchall() if cursor.description else None


def _old_entry(days: int, n: int) -> AuditEntry:
    entry = build_entry("case.viewed", object_type="cases.case", object_id=n)
    entry.at = timezone.now() - timedelta(days=days)
    return _append(entry)


@pytest.fixture
def history(db: Any) -> dict[str, list[AuditEntry]]:
    old = [_old_entry(800 - n, n) for n in range(3)]
    young = [_old_entry(30, 100 + n) for n in range(2)]
    chain_pending(wait=True)
    for entry in old + young:
        entry.refresh_from_db()
    return {"old": old, "young": young}


def test_purge_removes_entries_older_than_the_date_and_keeps_the_chain_verifiable(
    history: dict[str, list[AuditEntry]], capsys: Any
) -> None:
    before = (timezone.now() - timedelta(days=400)).date().isoformat()
    call_command("purge_audit", "--before", before)
    assert "purged 3 audit entries" in capsys.readouterr().out
    assert not AuditEntry.objects.filter(pk__in=[e.pk for e in history["old"]]).exists()
    assert AuditEntry.objects.filter(pk__in=[e.pk for e in history["young"]]).count() == 2
    anchor = AuditEntry.objects.get(action="audit.purged")
    assert anchor.details["purged"] == 3
    assert anchor.details["last_purged_hash"] == history["old"][-1].entry_hash
    call_command("verify_audit")


def test_purge_refuses_a_date_younger_than_a_year(history: dict[str, list[AuditEntry]]) -> None:
    before = (timezone.now() - timedelta(days=200)).date().isoformat()
    with pytest.raises(CommandError, match="refused"):
        call_command("purge_audit", "--before", before)
    assert AuditEntry.objects.count() == 5


def test_the_database_function_refuses_a_young_cutoff_itself(
    history: dict[str, list[AuditEntry]],
) -> None:
    with pytest.raises(DatabaseError, match="at least 365 days"), transaction.atomic():
        _sql("SELECT * FROM enlace_audit_purge(now() - interval '30 days')")
    assert AuditEntry.objects.count() == 5


def test_a_forged_purge_flag_still_cannot_delete_a_young_entry(
    history: dict[str, list[AuditEntry]],
) -> None:
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        _sql("SELECT set_config('enlace.audit_purge', 'on', true)")
        _sql("DELETE FROM audit_auditentry WHERE id = %s", [history["young"][0].pk])
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        _sql("DELETE FROM audit_auditentry WHERE id = %s", [history["old"][0].pk])  # no flag
    assert AuditEntry.objects.count() == 5


def test_verify_audit_notices_an_old_prefix_removed_without_an_anchor(
    history: dict[str, list[AuditEntry]],
) -> None:
    _sql("SET session_replication_role = replica")
    try:
        _sql("DELETE FROM audit_auditentry WHERE id = %s", [history["old"][0].pk])
    finally:
        _sql("SET session_replication_role = DEFAULT")
    with pytest.raises(CommandError, match=rf"BROKEN at entry {history['old'][1].pk}"):
        call_command("verify_audit")


def test_the_application_role_may_only_insert_and_read_the_audit_log(
    history: dict[str, list[AuditEntry]], capsys: Any
) -> None:
    # given the production role, made by the command (rolled back with the test)
    role = f"enlace_app_{uuid.uuid4().hex[:8]}"
    call_command("audit_db_roles", "--app-role", role, "--execute")
    _sql(f"SET ROLE {role}")
    try:
        # when the portal writes and reads through it
        entry = record("auth.login", object_type="auth.user", object_id=1)
        assert AuditEntry.objects.filter(pk=entry.pk).exists()
        # and the chainer gives it its place in the chain
        assert chain_pending(wait=True) == 1
        entry.refresh_from_db()
        newest = history["young"][-1].chain_seq
        assert newest is not None and entry.chain_seq == newest + 1
        assert entry.prev_hash == history["young"][-1].entry_hash
        # then changing or removing entries is refused by privileges or by the trigger
        for statement in (
            "UPDATE audit_auditentry SET outcome = 'failure'",
            "UPDATE audit_auditentry SET chain_seq = chain_seq + 1000",
            "UPDATE audit_auditentry SET entry_hash = NULL",
            "DELETE FROM audit_auditentry",
            "TRUNCATE audit_auditentry",
            "ALTER TABLE audit_auditentry DISABLE TRIGGER audit_no_change",
        ):
            with pytest.raises(DatabaseError), transaction.atomic():
                _sql(statement)
        # and the purge function is allowed but still keeps a year
        with pytest.raises(DatabaseError, match="365 days"), transaction.atomic():
            _sql("SELECT * FROM enlace_audit_purge(now())")
        purged = _sql("SELECT purged FROM enlace_audit_purge(now() - interval '400 days')")
        assert purged == [(3,)]
    finally:
        _sql("RESET ROLE")


def test_audit_db_roles_prints_the_sql_for_review(db: Any, capsys: Any) -> None:
    call_command("audit_db_roles", "--app-role", "enlace_app")
    out = capsys.readouterr().out
    assert 'GRANT SELECT, INSERT ON audit_auditentry TO "enlace_app"' in out
    assert (
        'GRANT UPDATE (chain_seq, prev_hash, entry_hash) ON audit_auditentry TO "enlace_app"' in out
    )
    assert 'REVOKE ALL ON audit_auditentry FROM "enlace_app"' in out
    with pytest.raises(CommandError):
        call_command("audit_db_roles", "--app-role", "x; DROP TABLE y")
