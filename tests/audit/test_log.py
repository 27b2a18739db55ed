"""The audit log itself: sealed and chained entries, append-only in PostgreSQL, writers that
never wait for the chain, durable failures, sign-in."""

from __future__ import annotations

import threading
from datetime import timedelta
from typing import Any

import psycopg2
import pytest
from django.contrib.auth import authenticate
from django.contrib.auth.models import AnonymousUser
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction
from django.db.utils import DatabaseError
from django.http import HttpRequest, HttpResponse
from django.test import Client, RequestFactory

from audit.log import (
    CHAIN_LOCK,
    GENESIS,
    chain_pending,
    entry_hash,
    entry_seal,
    flush_pending,
    record,
    record_denied,
    record_list,
)
from audit.middleware import AuditFlushMiddleware
from audit.models import AuditEntry
from cases.models import Case
from tests import factories


def _sql(statement: str, params: list[Any] | None = None) -> None:
    with connection.cursor() as cursor:
        cursor.execute(statement, params or [])


def test_each_entry_links_to_the_one_before(region: dict[str, Any]) -> None:
    # given
    analyst = region["jca_analyst"]
    # when
    first = record("case.created", actor=analyst, object_type="cases.case", object_id=1)
    second = record("case.changed", actor=analyst, object_type="cases.case", object_id=1)
    # then each is sealed as written, and chained by the chainer
    assert first.seal == entry_seal(first) and first.chain_seq is None
    assert chain_pending(wait=True) == 2
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.chain_seq is not None and first.entry_hash is not None
    assert second.chain_seq == first.chain_seq + 1
    assert second.prev_hash == first.entry_hash
    assert second.entry_hash == entry_hash(first.entry_hash, second)
    assert first.agency == region["jca"]
    oldest = AuditEntry.objects.order_by("chain_seq").first()
    assert oldest is not None and oldest.prev_hash == GENESIS and oldest.chain_seq == 1
    assert chain_pending() == 0  # nothing left to chain


def test_an_entry_carries_who_agency_where_and_the_request_id(
    region: dict[str, Any], signed_in: Any
) -> None:
    factory = RequestFactory(REMOTE_ADDR="203.0.113.7")
    request = factory.get("/cases/1/")
    request.user = region["diran_liaison"]
    request.request_id = "req-0123456789"  # type: ignore[attr-defined]
    case = factories.case(region["jca"], tlp="CLEAR")

    entry = record("case.viewed", request=request, obj=case)

    entry.refresh_from_db()
    assert entry.actor == region["diran_liaison"]
    assert entry.actor_username == "diran-liaison"
    assert entry.agency == region["diran"]
    assert entry.object_agency == region["jca"]
    assert (entry.object_type, entry.object_id) == ("cases.case", str(case.pk))
    assert entry.source_ip == "203.0.113.7"
    assert entry.request_id == "req-0123456789"
    assert entry.outcome == "success"
    assert entry.at.utcoffset() == timedelta(0)


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE audit_auditentry SET outcome = 'success'",
        "DELETE FROM audit_auditentry",
        "TRUNCATE audit_auditentry",
    ],
)
def test_the_database_refuses_to_change_or_remove_entries(
    region: dict[str, Any], statement: str
) -> None:
    record("auth.login", actor=region["jca_analyst"])
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        _sql(statement)
    assert AuditEntry.objects.filter(action="auth.login").exists()


def test_the_orm_cannot_delete_or_edit_an_entry_either(region: dict[str, Any]) -> None:
    entry = record("auth.login", actor=region["jca_analyst"])
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEntry.objects.filter(pk=entry.pk).update(action="auth.logout")
    with pytest.raises(DatabaseError), transaction.atomic():
        entry.delete()


def test_verify_audit_accepts_an_intact_chain(region: dict[str, Any], capsys: Any) -> None:
    for n in range(3):
        record("case.viewed", actor=region["jca_analyst"], object_type="cases.case", object_id=n)
    call_command("verify_audit")
    assert "audit chain intact" in capsys.readouterr().out


def test_verify_audit_finds_a_row_edited_in_sql_by_someone_who_lifted_the_trigger(
    region: dict[str, Any],
) -> None:
    # given a chain, and an attacker with superuser access to the database
    entries = [
        record("case.viewed", actor=region["jca_analyst"], object_type="cases.case", object_id=n)
        for n in range(4)
    ]
    victim = entries[1]
    # when they lift the trigger and rewrite who looked at a case
    _sql("ALTER TABLE audit_auditentry DISABLE TRIGGER audit_no_change")
    _sql("UPDATE audit_auditentry SET actor_username = 'someone-else' WHERE id = %s", [victim.pk])
    _sql("ALTER TABLE audit_auditentry ENABLE TRIGGER audit_no_change")
    # then verify_audit names that entry and fails
    with pytest.raises(CommandError, match=rf"BROKEN at entry {victim.pk}: .*edited"):
        call_command("verify_audit")


def test_verify_audit_finds_a_chained_row_removed_in_sql(region: dict[str, Any]) -> None:
    entries = [
        record("case.viewed", actor=region["jca_analyst"], object_type="cases.case", object_id=n)
        for n in range(4)
    ]
    chain_pending(wait=True)
    _sql("SET session_replication_role = replica")  # superuser: triggers off for this session
    try:
        _sql("DELETE FROM audit_auditentry WHERE id = %s", [entries[2].pk])
    finally:
        _sql("SET session_replication_role = DEFAULT")
    with pytest.raises(CommandError, match=rf"BROKEN at entry {entries[3].pk}: .*removed"):
        call_command("verify_audit")


def test_verify_audit_finds_an_edited_entry_not_chained_yet_without_chaining_it(
    region: dict[str, Any],
) -> None:
    entry = record("auth.login", actor=region["jca_analyst"])
    _sql("ALTER TABLE audit_auditentry DISABLE TRIGGER audit_no_change")
    _sql("UPDATE audit_auditentry SET source_ip = '192.0.2.1' WHERE id = %s", [entry.pk])
    _sql("ALTER TABLE audit_auditentry ENABLE TRIGGER audit_no_change")
    with pytest.raises(CommandError, match=rf"BROKEN at entry {entry.pk}: not chained yet"):
        call_command("verify_audit", "--no-chain")
    assert AuditEntry.objects.get(pk=entry.pk).chain_seq is None


def test_the_database_lets_an_entry_be_chained_once_and_nothing_else_change_with_it(
    region: dict[str, Any],
) -> None:
    entry = record("auth.login", actor=region["jca_analyst"])
    chain = (
        "UPDATE audit_auditentry SET chain_seq = 10, prev_hash = repeat('0', 64), "
        "entry_hash = repeat('a', 64)"
    )
    # chaining and touching another field at once is refused
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        _sql(chain + ", outcome = 'failure' WHERE id = %s", [entry.pk])
    # chaining alone is allowed once
    _sql(chain + " WHERE id = %s", [entry.pk])
    # and never again
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        _sql("UPDATE audit_auditentry SET chain_seq = 11 WHERE id = %s", [entry.pk])
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        _sql("UPDATE audit_auditentry SET chain_seq = NULL WHERE id = %s", [entry.pk])
    assert AuditEntry.objects.get(pk=entry.pk).chain_seq == 10


def test_writing_an_entry_never_waits_for_the_chainer(region: dict[str, Any]) -> None:
    # given another session holding the chain lock (a chainer at work, a purge)
    db = connection.settings_dict
    chainer = psycopg2.connect(
        dbname=db["NAME"], user=db["USER"], host=db["HOST"], port=db["PORT"] or 5432
    )
    chainer.autocommit = True
    try:
        with chainer.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_lock(%s)", [CHAIN_LOCK])
        # when entries are written under a short lock timeout
        with transaction.atomic():
            _sql("SET LOCAL lock_timeout = '500ms'")
            entry = record("case.viewed", actor=region["jca_analyst"], object_id=1)
        # then they are written, and a chainer that does not wait leaves them for later
        assert AuditEntry.objects.filter(pk=entry.pk, chain_seq__isnull=True).exists()
        assert chain_pending() == 0
        # until the lock is free
        with chainer.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [CHAIN_LOCK])
        assert chain_pending() >= 1
    finally:
        chainer.close()


@pytest.mark.django_db(transaction=True)
def test_an_entry_that_commits_after_a_newer_one_is_chained_after_it() -> None:
    jca = factories.agency("JCA")
    analyst = factories.user(jca, "analyst", username="jca-analyst")
    started, release = threading.Event(), threading.Event()
    written: list[AuditEntry] = []

    def slow_writer() -> None:
        try:
            with transaction.atomic():
                written.append(record("case.changed", actor=analyst, object_id="slow"))
                started.set()
                release.wait(30)
        finally:
            connection.close()

    thread = threading.Thread(target=slow_writer)
    thread.start()
    assert started.wait(30)
    # a newer entry commits first and is chained first
    quick = record("case.changed", actor=analyst, object_id="quick")
    assert written[0].pk < quick.pk
    chain_pending(wait=True)
    release.set()
    thread.join(30)
    chain_pending(wait=True)
    slow = AuditEntry.objects.get(pk=written[0].pk)
    quick.refresh_from_db()
    assert quick.chain_seq is not None and slow.chain_seq == quick.chain_seq + 1
    assert slow.prev_hash == quick.entry_hash
    call_command("verify_audit")


def test_the_beat_task_chains_what_was_written(region: dict[str, Any]) -> None:
    from audit.tasks import chain_audit_log

    for n in range(3):
        record("case.viewed", actor=region["jca_analyst"], object_id=n)
    assert chain_audit_log() >= 3
    assert not AuditEntry.objects.filter(chain_seq__isnull=True).exists()


def test_verify_audit_exits_non_zero_from_the_command_line(region: dict[str, Any]) -> None:
    entry = record("auth.login", actor=region["jca_analyst"])
    _sql("ALTER TABLE audit_auditentry DISABLE TRIGGER audit_no_change")
    _sql("UPDATE audit_auditentry SET outcome = 'failure' WHERE id = %s", [entry.pk])
    _sql("ALTER TABLE audit_auditentry ENABLE TRIGGER audit_no_change")
    with pytest.raises(CommandError) as raised:
        call_command("verify_audit")
    # manage.py turns a CommandError into exit status 1
    assert raised.value.returncode == 1


@pytest.mark.django_db(transaction=True)
def test_a_durable_entry_survives_the_rollback_of_its_transaction() -> None:
    # given
    jca = factories.agency("JCA")
    analyst = factories.user(jca, "analyst", username="jca-analyst")
    # when an action records its change and a denial, then fails
    with pytest.raises(RuntimeError), transaction.atomic():
        record("case.changed", actor=analyst, object_type="cases.case", object_id=7)
        record(
            "case.deleted",
            actor=analyst,
            object_type="cases.case",
            object_id=7,
            outcome=AuditEntry.Outcome.DENIED,
            durable=True,
        )
        raise RuntimeError("the action failed")
    # then the change is gone with its transaction, the denial is written on the committed path
    assert flush_pending() == 1
    assert not AuditEntry.objects.filter(action="case.changed").exists()
    denied = AuditEntry.objects.get(action="case.deleted")
    assert denied.outcome == "denied"
    assert denied.actor == analyst
    assert denied.details["rolled_back_with_transaction"] is True
    call_command("verify_audit")


@pytest.mark.django_db(transaction=True)
def test_a_durable_entry_of_a_committed_transaction_is_written_once() -> None:
    jca = factories.agency("JCA")
    analyst = factories.user(jca, "analyst", username="jca-analyst")
    with transaction.atomic():
        record("case.deleted", actor=analyst, outcome="denied", durable=True, object_id=7)
    assert flush_pending() == 0
    assert AuditEntry.objects.filter(action="case.deleted").count() == 1


@pytest.mark.django_db(transaction=True)
def test_the_request_middleware_writes_denials_after_a_rolled_back_request() -> None:
    jca = factories.agency("JCA")
    analyst = factories.user(jca, "analyst", username="jca-analyst")

    def view(request: HttpRequest) -> HttpResponse:
        try:
            with transaction.atomic():
                record("case.changed", request=request, object_type="cases.case", object_id=3)
                record(
                    "case.changed",
                    request=request,
                    object_type="cases.case",
                    object_id=3,
                    outcome="denied",
                    durable=True,
                )
                raise PermissionError
        except PermissionError:
            return HttpResponse(status=404)

    request = RequestFactory().post("/cases/3/edit/")
    request.user = analyst
    request.request_id = "rolled-back-request"  # type: ignore[attr-defined]
    response = AuditFlushMiddleware(view)(request)

    assert response.status_code == 404
    entries = list(AuditEntry.objects.filter(action="case.changed"))
    assert [(e.outcome, e.request_id) for e in entries] == [("denied", "rolled-back-request")]


@pytest.mark.django_db(transaction=True)
def test_a_failed_sign_in_is_kept_even_if_its_transaction_rolls_back() -> None:
    jca = factories.agency("JCA")
    factories.user(jca, "analyst", username="jca-analyst")
    request = RequestFactory(REMOTE_ADDR="198.51.100.9").post("/accounts/login/")
    with pytest.raises(RuntimeError), transaction.atomic():
        assert authenticate(request, username="jca-analyst", password="wrong") is None
        raise RuntimeError
    flush_pending()
    failed = AuditEntry.objects.get(action="auth.login_failed")
    assert (failed.actor_username, failed.outcome, failed.source_ip) == (
        "jca-analyst",
        "failure",
        "198.51.100.9",
    )


def test_sign_in_failure_success_and_sign_out_are_recorded(region: dict[str, Any]) -> None:
    request = RequestFactory(REMOTE_ADDR="198.51.100.4").post("/accounts/login/")
    assert authenticate(request, username="jca-analyst", password="not-the-password") is None
    assert authenticate(request, username="nobody-here", password="x") is None
    client = Client()
    assert client.login(username="jca-analyst", password=factories.PASSWORD)
    client.logout()

    entries = list(
        AuditEntry.objects.order_by("id").values_list("action", "actor_username", "outcome")
    )
    assert entries[-4:] == [
        ("auth.login_failed", "jca-analyst", "failure"),
        ("auth.login_failed", "nobody-here", "failure"),
        ("auth.login", "jca-analyst", "success"),
        ("auth.logout", "jca-analyst", "success"),
    ]
    failed = AuditEntry.objects.filter(action="auth.login_failed").first()
    assert failed is not None and "not-the-password" not in str(failed.details)
    unknown = AuditEntry.objects.get(actor_username="nobody-here")
    assert unknown.actor_id is None and unknown.agency_id is None


def test_a_denied_read_names_the_owner_agency_but_nothing_of_the_record(
    region: dict[str, Any],
) -> None:
    case = factories.case(region["jca"], title="Operation secret name")
    request = RequestFactory().get(f"/cases/{case.pk}/")
    request.user = region["diran_analyst"]
    entry = record_denied(request, Case, case.pk)
    assert entry.outcome == "denied"
    assert entry.action == "case.viewed"
    assert entry.object_agency == region["jca"]
    assert "secret" not in str(entry.details)


def test_a_list_records_its_filters_and_row_count_but_digests_searched_identifiers(
    region: dict[str, Any],
) -> None:
    request = RequestFactory().get("/cases/?status=open&q=X1234567&page=2&tlp=")
    request.user = region["jca_analyst"]
    entry = record_list(request, Case, request.GET, 17, sensitive={"q"})
    assert entry.action == "case.listed"
    assert entry.details["rows"] == 17
    assert entry.details["filters"]["status"] == "open"
    assert entry.details["filters"]["q"].startswith("hmac:")
    assert "X1234567" not in str(entry.details)
    assert "page" not in entry.details["filters"] and "tlp" not in entry.details["filters"]


def _through_middleware(view: Any, request: HttpRequest) -> HttpResponse:
    return AuditFlushMiddleware(view)(request)


def test_a_sign_in_event_is_logged_once_when_the_view_also_records_it(
    region: dict[str, Any],
) -> None:
    def view(request: HttpRequest) -> HttpResponse:
        assert authenticate(request, username="jca-analyst", password="wrong") is None
        record(
            "auth.login_failed",
            request=request,
            actor=region["jca_analyst"],
            outcome="failure",
            reason="bad_credentials",
        )
        return HttpResponse()

    request = RequestFactory().post("/accounts/login/")
    request.user = AnonymousUser()
    _through_middleware(view, request)

    failed = list(AuditEntry.objects.filter(action="auth.login_failed"))
    assert len(failed) == 1
    assert failed[0].details == {"reason": "bad_credentials"}


def test_a_sign_in_event_is_logged_by_the_signal_when_the_view_does_not(
    region: dict[str, Any],
) -> None:
    def view(request: HttpRequest) -> HttpResponse:
        assert authenticate(request, username="jca-analyst", password="wrong") is None
        return HttpResponse()

    request = RequestFactory().post("/accounts/login/")
    request.user = AnonymousUser()
    _through_middleware(view, request)

    failed = AuditEntry.objects.get(action="auth.login_failed")
    assert (failed.actor, failed.outcome) == (region["jca_analyst"], "failure")


def test_several_entries_written_at_once_are_sealed_and_chained_like_single_ones(
    region: dict[str, Any],
) -> None:
    from audit.log import build_entry, record_many

    entries = record_many(
        [
            build_entry("hit.created", object_type="hits.hit", object_id=n, object_agency=agency)
            for n, agency in enumerate((region["jca"], region["diran"]))
        ]
    )
    stored = list(AuditEntry.objects.filter(action="hit.created").order_by("id"))
    assert [e.pk for e in stored] == [e.pk for e in entries]
    assert [e.object_agency_id for e in stored] == [region["jca"].pk, region["diran"].pk]
    assert all(e.seal == entry_seal(e) and e.chain_seq is None for e in stored)
    assert chain_pending(wait=True) == 2
    call_command("verify_audit")
