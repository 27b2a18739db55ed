"""Signing in: Argon2, mandatory TOTP with enrolment and recovery codes, lockout, idle end,
notifications on security changes, API tokens only after the second factor."""

from __future__ import annotations

import base64
import re
import time
from datetime import timedelta
from io import StringIO
from typing import Any

import psycopg2
import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.core.cache import cache
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.authtoken.models import Token

from agencies.middleware import LAST_SEEN_KEY, clock_key
from agencies.models import Membership, SignInFailure
from audit.models import AuditEntry
from notifications.models import Event
from tests import factories
from tests.agencies.conftest import code_for, enrolled, password_step

pytestmark = pytest.mark.django_db


def set_clock(client: Client, when: float) -> None:
    cache.set(clock_key(client.session.session_key), when)


def clock(client: Client) -> float:
    return float(cache.get(clock_key(client.session.session_key)))


def actions_of(user: User) -> list[str]:
    return list(
        AuditEntry.objects.filter(object_type="auth.user", object_id=str(user.pk))
        .order_by("id")
        .values_list("action", flat=True)
    )


def events_for(user: User, kind: str) -> int:
    return Event.objects.filter(kind=kind, users=user).count()


# --- passwords ------------------------------------------------------------------------------------


def test_passwords_are_hashed_with_argon2(people: dict[str, Any]) -> None:
    assert people["jca_analyst"].password.startswith("argon2$")


# --- the second factor is mandatory ---------------------------------------------------------------


def test_a_password_alone_opens_no_page_and_no_api(people: dict[str, Any]) -> None:
    # given a user who typed the right password but not yet a code
    analyst = people["jca_analyst"]
    enrolled(analyst)
    client = Client()
    response = password_step(client, analyst.username)
    assert response.status_code == 302 and response["Location"] == "/accounts/two-factor/"
    # when they try pages, they are sent to the second factor
    for path in ("/", "/agencies/", "/agencies/teams/", "/accounts/api-token/"):
        page = client.get(path)
        assert page.status_code == 302, path
        assert page["Location"].startswith("/accounts/two-factor/"), path
    # and the API does not count the session at all
    assert client.get("/api/v1/agencies/").status_code in (401, 403)
    assert client.get("/api/v1/users/").status_code in (401, 403)


def test_an_anonymous_visitor_is_sent_to_sign_in(db: Any) -> None:
    response = Client().get("/agencies/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=%2Fagencies%2F"
    # htmx requests are redirected as a whole page
    htmx = Client().get("/agencies/", HTTP_HX_REQUEST="true")
    assert htmx["HX-Redirect"].startswith("/accounts/login/")
    assert Client().get("/api/v1/agencies/").status_code == 401


def test_first_sign_in_enrols_an_authenticator_from_a_qr_code(people: dict[str, Any]) -> None:
    # given a new user without any device
    analyst = people["jca_analyst"]
    client = Client()
    assert password_step(client, analyst.username)["Location"] == "/accounts/two-factor/"
    assert client.get("/accounts/two-factor/")["Location"] == "/accounts/two-factor/setup/"
    # when they open the enrolment page
    page = client.get("/accounts/two-factor/setup/")
    html = page.content.decode()
    # then a QR code is served inline as an image, with the key for typing
    match = re.search(r'src="data:image/svg\+xml;base64,([A-Za-z0-9+/=]+)"', html)
    assert match is not None
    assert b"<svg" in base64.b64decode(match.group(1))
    device = TOTPDevice.objects.get(user=analyst, confirmed=False)
    secret = base64.b32encode(device.bin_key).decode()
    assert secret[:4] in html
    # a wrong code is refused and the device stays unconfirmed
    wrong = client.post("/accounts/two-factor/setup/", {"code": "000000"})
    assert wrong.status_code == 200 and not TOTPDevice.objects.get(pk=device.pk).confirmed
    device.throttling_failure_count = 0
    device.throttling_failure_timestamp = None
    device.save()
    # when they confirm with the app's code
    done = client.post("/accounts/two-factor/setup/", {"code": code_for(device)})
    # then the device is confirmed, ten recovery codes are shown once, and pages open
    assert done.status_code == 200
    codes = re.findall(r"<li>([a-z2-7]{8})</li>", done.content.decode())
    assert len(codes) == 10
    assert set(codes) == set(
        StaticToken.objects.filter(device__user=analyst).values_list("token", flat=True)
    )
    assert TOTPDevice.objects.get(pk=device.pk).confirmed
    assert client.get("/agencies/").status_code == 200
    assert client.get("/api/v1/agencies/").status_code == 200
    assert actions_of(analyst)[-2:] == ["auth.login", "auth.otp_verified"] or (
        "auth.otp_verified" in actions_of(analyst)
    )
    assert events_for(analyst, "security.otp_changed") == 1


def test_a_second_sign_in_asks_for_the_code(people: dict[str, Any]) -> None:
    analyst = people["jca_analyst"]
    device = enrolled(analyst)
    client = Client()
    password_step(client, analyst.username)
    assert client.get("/accounts/two-factor/")["Location"] == "/accounts/two-factor/verify/"
    # the enrolment page is closed to a password-only session of an enrolled user
    assert client.get("/accounts/two-factor/setup/")["Location"] == "/accounts/two-factor/verify/"
    response = client.post("/accounts/two-factor/verify/", {"code": code_for(device)})
    assert response.status_code == 302 and response["Location"] == "/"
    assert client.get("/agencies/").status_code == 200
    assert "auth.otp_verified" in actions_of(analyst)


def test_sign_in_returns_to_the_page_asked_for(people: dict[str, Any]) -> None:
    analyst = people["jca_analyst"]
    device = enrolled(analyst)
    client = Client()
    client.post(
        "/accounts/login/?next=/agencies/teams/",
        {"username": analyst.username, "password": factories.PASSWORD},
    )
    response = client.post("/accounts/two-factor/verify/", {"code": code_for(device)})
    assert response["Location"] == "/agencies/teams/"


def test_a_code_cannot_be_replayed(people: dict[str, Any]) -> None:
    analyst = people["jca_analyst"]
    device = enrolled(analyst)
    code = code_for(device)
    first = Client()
    password_step(first, analyst.username)
    assert first.post("/accounts/two-factor/verify/", {"code": code}).status_code == 302
    second = Client()
    password_step(second, analyst.username)
    replay = second.post("/accounts/two-factor/verify/", {"code": code})
    assert replay.status_code == 200
    assert second.get("/agencies/").status_code == 302
    assert AuditEntry.objects.filter(action="auth.otp_failed", actor=analyst).count() == 1


def test_a_recovery_code_works_once(people: dict[str, Any]) -> None:
    from agencies import signin

    analyst = people["jca_analyst"]
    enrolled(analyst)
    codes = signin.new_recovery_codes(analyst)
    client = Client()
    password_step(client, analyst.username)
    assert client.post("/accounts/two-factor/verify/", {"code": codes[0]}).status_code == 302
    assert client.get("/agencies/").status_code == 200
    assert signin.remaining_recovery_codes(analyst) == 9
    assert events_for(analyst, "security.otp_changed") == 1  # told a recovery code was used
    again = Client()
    password_step(again, analyst.username)
    assert again.post("/accounts/two-factor/verify/", {"code": codes[0]}).status_code == 200
    assert again.get("/agencies/").status_code == 302


# --- lockout --------------------------------------------------------------------------------------


def test_five_failed_passwords_in_15_minutes_lock_the_account(people: dict[str, Any]) -> None:
    analyst = people["jca_analyst"]
    device = enrolled(analyst)
    client = Client()
    for _ in range(4):
        password_step(client, analyst.username, "wrong-password-123")
    assert Membership.objects.get(user=analyst).locked_at is None
    # the fifth failure locks
    response = password_step(client, analyst.username, "wrong-password-123")
    assert response.status_code == 200
    assert Membership.objects.get(user=analyst).locked_at is not None
    assert AuditEntry.objects.filter(action="auth.login_failed", actor=analyst).count() == 5
    assert AuditEntry.objects.filter(action="auth.locked", actor=analyst).count() == 1
    assert events_for(analyst, "security.locked") == 1
    # now even the right password is refused, with the same message as a wrong one
    refused = password_step(Client(), analyst.username)
    assert refused.status_code == 200
    assert "locked until an admin unlocks it" in refused.content.decode()
    assert "_auth_user_id" not in refused.wsgi_request.session
    # until the agency admin unlocks
    admin_client = Client()
    from tests.conftest import verify

    verify(admin_client, people["jca_agency_admin"])
    unlock = admin_client.post(f"/agencies/people/{analyst.pk}/unlock/")
    assert unlock.status_code == 302
    assert Membership.objects.get(user=analyst).locked_at is None
    assert not SignInFailure.objects.filter(user=analyst).exists()
    fresh = Client()
    assert password_step(fresh, analyst.username)["Location"] == "/accounts/two-factor/"
    assert fresh.post("/accounts/two-factor/verify/", {"code": code_for(device)}).status_code == 302


def test_failures_older_than_the_window_do_not_count(people: dict[str, Any]) -> None:
    analyst = people["jca_analyst"]
    old = timezone.now() - timedelta(seconds=settings.LOGIN_FAILURE_WINDOW_SECONDS + 60)
    SignInFailure.objects.bulk_create(
        [SignInFailure(username=analyst.username, user=analyst, stage="password", at=old)] * 4
    )
    password_step(Client(), analyst.username, "wrong-password-123")
    assert Membership.objects.get(user=analyst).locked_at is None


def test_failed_second_factor_codes_count_towards_the_lock(people: dict[str, Any]) -> None:
    analyst = people["jca_analyst"]
    enrolled(analyst)
    client = Client()
    password_step(client, analyst.username)
    for _ in range(4):
        client.post("/accounts/two-factor/verify/", {"code": "not-a-code"})
    response = client.post("/accounts/two-factor/verify/", {"code": "not-a-code"})
    assert Membership.objects.get(user=analyst).locked_at is not None
    assert response["Location"] == "/accounts/login/"
    assert "_auth_user_id" not in client.session  # signed out
    assert AuditEntry.objects.filter(action="auth.otp_failed", actor=analyst).count() == 5


def test_an_unknown_username_fails_like_a_wrong_password(people: dict[str, Any]) -> None:
    unknown = password_step(Client(), "nobody-here", "whatever-password-1")
    wrong = password_step(Client(), people["jca_analyst"].username, "whatever-password-1")
    assert unknown.status_code == wrong.status_code == 200
    message = "Wrong username or password"
    assert message in unknown.content.decode() and message in wrong.content.decode()
    entry = AuditEntry.objects.filter(action="auth.login_failed").order_by("id").first()
    assert entry is not None and entry.actor_username == "nobody-here"
    assert entry.outcome == "failure"


def test_a_locked_account_cannot_use_its_api_token_or_session(people: dict[str, Any]) -> None:
    from tests.conftest import verify

    analyst = people["jca_analyst"]
    token = Token.objects.create(user=analyst)
    session = verify(Client(), analyst)
    assert session.get("/agencies/").status_code == 200
    Membership.objects.filter(user=analyst).update(locked_at=timezone.now())
    api = Client(HTTP_AUTHORIZATION=f"Token {token.key}")
    assert api.get("/api/v1/agencies/").status_code in (401, 403)
    page = session.get("/agencies/")
    assert page.status_code == 302 and page["Location"].startswith("/accounts/login/")


def test_a_platform_admin_may_unlock_anyone_but_an_analyst_nobody(
    people: dict[str, Any], signed_in: Any
) -> None:
    locked = people["diran_liaison"]
    Membership.objects.filter(user=locked).update(locked_at=timezone.now())
    # another agency's admin does not even see the account
    other_admin = signed_in(people["jca_agency_admin"])
    assert other_admin.post(f"/agencies/people/{locked.pk}/unlock/").status_code == 404
    analyst = signed_in(people["diran_analyst"])
    assert analyst.post(f"/agencies/people/{locked.pk}/unlock/").status_code == 403
    assert Membership.objects.get(user=locked).locked_at is not None
    platform = signed_in(people["platform_admin"])
    assert platform.post(f"/agencies/people/{locked.pk}/unlock/").status_code == 302
    assert Membership.objects.get(user=locked).locked_at is None


@pytest.mark.django_db(transaction=True)
def test_a_failed_sign_in_is_committed_although_the_sign_in_fails(
    region: dict[str, Any],
) -> None:
    # given a failed sign-in
    analyst = region["jca_analyst"]
    password_step(Client(), analyst.username, "wrong-password-123")
    # then another connection (another process) sees the audit entry and the failure row
    db = connection.settings_dict
    other = psycopg2.connect(
        dbname=db["NAME"], user=db["USER"], host=db["HOST"], port=db["PORT"] or 5432
    )
    try:
        with other.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM audit_auditentry WHERE action = 'auth.login_failed' "
                "AND actor_id = %s",
                [analyst.pk],
            )
            assert cursor.fetchone()[0] == 1
            cursor.execute(
                "SELECT count(*) FROM agencies_signinfailure WHERE user_id = %s", [analyst.pk]
            )
            assert cursor.fetchone()[0] == 1
    finally:
        other.close()


# --- sessions -------------------------------------------------------------------------------------


def test_an_idle_session_ends_after_30_minutes(people: dict[str, Any], signed_in: Any) -> None:
    analyst = people["jca_analyst"]
    client = signed_in(analyst)
    assert client.get("/agencies/").status_code == 200
    set_clock(client, time.time() - settings.SESSION_IDLE_TIMEOUT_SECONDS - 1)
    response = client.get("/agencies/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert client.get("/agencies/").status_code == 302  # the session is gone
    entry = AuditEntry.objects.filter(action="auth.logout", actor=analyst).get()
    assert entry.details["reason"] == "idle"


def test_a_session_active_within_30_minutes_stays(people: dict[str, Any], signed_in: Any) -> None:
    client = signed_in(people["jca_analyst"])
    set_clock(client, time.time() - settings.SESSION_IDLE_TIMEOUT_SECONDS + 60)
    assert client.get("/agencies/").status_code == 200
    assert time.time() - clock(client) < 5  # the clock was refreshed


def test_background_polls_do_not_keep_a_session_alive(
    people: dict[str, Any], signed_in: Any
) -> None:
    client = signed_in(people["jca_analyst"])
    idle_since = time.time() - 600
    set_clock(client, idle_since)
    with override_settings(SESSION_IDLE_EXEMPT_PATHS=["/agencies/teams/"]):
        assert client.get("/agencies/teams/").status_code == 200
        assert clock(client) == idle_since
        assert client.get("/agencies/").status_code == 200
        assert clock(client) > idle_since


def test_a_lost_idle_clock_counts_from_the_sign_in(people: dict[str, Any]) -> None:
    # given a session signed in 31 minutes ago whose Redis clock was lost
    analyst = people["jca_analyst"]
    device = enrolled(analyst)
    client = Client()
    password_step(client, analyst.username)
    client.post("/accounts/two-factor/verify/", {"code": code_for(device)})
    session = client.session
    session[LAST_SEEN_KEY] = time.time() - settings.SESSION_IDLE_TIMEOUT_SECONDS - 60
    session.save()
    cache.delete(clock_key(session.session_key))
    # then it ends: losing Redis never extends a session
    assert client.get("/agencies/").status_code == 302


def test_every_page_costs_the_same_queries_whenever_it_is_asked(
    people: dict[str, Any], signed_in: Any
) -> None:
    client = signed_in(people["jca_analyst"])
    client.get("/agencies/")
    with CaptureQueriesContext(connection) as first:
        client.get("/agencies/")
    set_clock(client, time.time() - 600)  # ten minutes later: the clock moves, no DB write
    with CaptureQueriesContext(connection) as later:
        client.get("/agencies/")
    assert len(first) == len(later)
    assert not [
        q for q in later.captured_queries if "django_session" in q["sql"] and "UPDATE" in q["sql"]
    ]


def test_signing_out_is_audited_and_ends_the_session(
    people: dict[str, Any], signed_in: Any
) -> None:
    analyst = people["jca_analyst"]
    client = signed_in(analyst)
    assert client.get("/accounts/logout/").status_code == 405  # POST only (CSRF-protected)
    assert client.post("/accounts/logout/").status_code == 302
    assert client.get("/agencies/").status_code == 302
    assert AuditEntry.objects.filter(action="auth.logout", actor=analyst).exists()


# --- password and second-factor changes notify the user ----------------------------------------


def test_changing_the_password_notifies_and_audits(people: dict[str, Any], signed_in: Any) -> None:
    analyst = people["jca_analyst"]
    other_session = signed_in(analyst)
    client = signed_in(analyst)
    new = "a-much-longer-new-passphrase-7"
    response = client.post(
        "/accounts/password/",
        {"old_password": factories.PASSWORD, "new_password1": new, "new_password2": new},
    )
    assert response.status_code == 302
    analyst.refresh_from_db()
    assert analyst.check_password(new)
    assert events_for(analyst, "security.password_changed") == 1
    assert AuditEntry.objects.filter(action="auth.password_changed", actor=analyst).exists()
    assert client.get("/agencies/").status_code == 200  # this session stays
    assert other_session.get("/agencies/").status_code == 302  # the others end


def test_a_weak_new_password_is_refused_and_nothing_changes(
    people: dict[str, Any], signed_in: Any
) -> None:
    analyst = people["jca_analyst"]
    client = signed_in(analyst)
    response = client.post(
        "/accounts/password/",
        {"old_password": factories.PASSWORD, "new_password1": "short", "new_password2": "short"},
    )
    assert response.status_code == 200
    analyst.refresh_from_db()
    assert analyst.check_password(factories.PASSWORD)
    assert events_for(analyst, "security.password_changed") == 0


def test_new_recovery_codes_notify_the_user(people: dict[str, Any], signed_in: Any) -> None:
    analyst = people["jca_analyst"]
    client = signed_in(analyst)
    response = client.post("/accounts/recovery-codes/")
    assert response.status_code == 200
    assert len(re.findall(r"<li>([a-z2-7]{8})</li>", response.content.decode())) == 10
    assert events_for(analyst, "security.otp_changed") == 1


def test_replacing_the_authenticator_from_a_verified_session(
    people: dict[str, Any], signed_in: Any
) -> None:
    analyst = people["jca_analyst"]
    client = signed_in(analyst)
    old = TOTPDevice.objects.get(user=analyst, confirmed=True)
    page = client.get("/accounts/two-factor/setup/")
    assert page.status_code == 200 and b"Replace your authenticator" in page.content
    new = TOTPDevice.objects.get(user=analyst, confirmed=False)
    assert client.post("/accounts/two-factor/setup/", {"code": code_for(new)}).status_code == 200
    assert list(TOTPDevice.objects.filter(user=analyst).values_list("pk", flat=True)) == [new.pk]
    assert not TOTPDevice.objects.filter(pk=old.pk).exists()
    event = Event.objects.get(kind="security.otp_changed", users=analyst)
    assert event.data["change"] == "replaced"


def test_an_admin_reset_of_the_second_factor_makes_the_user_enrol_again(
    people: dict[str, Any], signed_in: Any
) -> None:
    analyst = people["jca_analyst"]
    session = signed_in(analyst)
    admin = signed_in(people["jca_agency_admin"])
    assert admin.post(f"/agencies/people/{analyst.pk}/reset-second-factor/").status_code == 302
    assert not TOTPDevice.objects.filter(user=analyst).exists()
    assert session.get("/agencies/").status_code == 302
    assert events_for(analyst, "security.otp_changed") == 1
    client = Client()
    password_step(client, analyst.username)
    assert client.get("/accounts/two-factor/")["Location"] == "/accounts/two-factor/setup/"


# --- API tokens -----------------------------------------------------------------------------------


def test_an_api_token_is_created_after_two_factor_and_revoked(
    people: dict[str, Any], signed_in: Any
) -> None:
    analyst = people["jca_analyst"]
    client = signed_in(analyst)
    created = client.post("/accounts/api-token/", {"action": "create"})
    token = Token.objects.get(user=analyst)
    assert token.key in created.content.decode()
    # shown once: a later visit does not show the key
    assert token.key not in client.get("/accounts/api-token/").content.decode()
    api = Client(HTTP_AUTHORIZATION=f"Token {token.key}")
    assert api.get("/api/v1/agencies/").status_code == 200
    assert AuditEntry.objects.filter(action="auth.token_created", actor=analyst).exists()
    client.post("/accounts/api-token/", {"action": "revoke"})
    assert not Token.objects.filter(user=analyst).exists()
    assert api.get("/api/v1/agencies/").status_code == 401
    assert AuditEntry.objects.filter(action="auth.token_revoked", actor=analyst).exists()


def test_a_password_only_session_cannot_create_a_token(people: dict[str, Any]) -> None:
    analyst = people["jca_analyst"]
    enrolled(analyst)
    client = Client()
    password_step(client, analyst.username)
    response = client.post("/accounts/api-token/", {"action": "create"})
    assert response.status_code == 302
    assert not Token.objects.filter(user=analyst).exists()


def test_drf_create_token_works_for_automation_and_is_audited(people: dict[str, Any]) -> None:
    analyst = people["jca_analyst"]
    out = StringIO()
    call_command("drf_create_token", analyst.username, stdout=out)
    token = Token.objects.get(user=analyst)
    assert token.key in out.getvalue()
    entry = AuditEntry.objects.get(action="auth.token_created")
    assert entry.object_id == str(analyst.pk) and entry.details["via"] == "command"
    assert (
        Client(HTTP_AUTHORIZATION=f"Token {token.key}").get("/api/v1/agencies/").status_code == 200
    )


# --- demo second factor ---------------------------------------------------------------------------


def test_demo_otp_is_refused_outside_demo_mode(people: dict[str, Any]) -> None:
    with pytest.raises(CommandError, match="ENLACE_ENV=demo"):
        call_command("demo_otp", people["jca_analyst"].username)


def test_demo_otp_prints_a_code_that_signs_in(people: dict[str, Any]) -> None:
    analyst = people["jca_analyst"]
    enrolled(analyst)
    out = StringIO()
    with override_settings(DEMO_MODE=True, ENLACE_ENV="demo"):
        call_command("demo_otp", analyst.username, stdout=out, stderr=StringIO())
    code = out.getvalue().strip()
    assert re.fullmatch(r"\d{6}", code)
    client = Client()
    password_step(client, analyst.username)
    assert client.post("/accounts/two-factor/verify/", {"code": code}).status_code == 302
    assert client.get("/agencies/").status_code == 200


# --- operator commands ---------------------------------------------------------------------------


def test_an_operator_unlocks_an_account_from_the_console(people: dict[str, Any]) -> None:
    admin = people["platform_admin"]
    Membership.objects.filter(user=admin).update(locked_at=timezone.now())
    call_command("unlock_user", admin.username, stdout=StringIO())
    assert Membership.objects.get(user=admin).locked_at is None
    entry = AuditEntry.objects.get(action="user.changed", object_id=str(admin.pk))
    assert entry.actor is None and entry.details["unlocked"] is True


def test_the_first_platform_admin_is_created_from_the_console(db: Any, monkeypatch: Any) -> None:
    from agencies import roles

    monkeypatch.setattr("sys.stdin", StringIO("a-long-enough-passphrase-91\n"))
    call_command(
        "create_platform_admin",
        "root.admin",
        email="ops@example.org",
        password_stdin=True,
        stdout=StringIO(),
    )
    admin = User.objects.get(username="root.admin")
    assert roles.is_platform_admin(admin)
    assert admin.membership.agency.kind == "operator" and admin.check_password(
        "a-long-enough-passphrase-91"
    )
    # a second one joins the same operator agency; a weak password is refused
    monkeypatch.setattr("sys.stdin", StringIO("short\n"))
    with pytest.raises(CommandError, match="password"):
        call_command(
            "create_platform_admin", "weak.admin", email="w@example.org", password_stdin=True
        )
    assert not User.objects.filter(username="weak.admin").exists()


def test_a_password_only_session_is_shown_no_navigation(people: dict[str, Any]) -> None:
    analyst = people["jca_analyst"]
    enrolled(analyst)
    client = Client()
    password_step(client, analyst.username)
    page = client.get("/accounts/two-factor/verify/").content.decode()
    assert 'href="/agencies/"' not in page and "Cancel and sign out" in page


@pytest.mark.django_db(transaction=True)
def test_concurrent_failures_are_all_counted_and_lock_once(region: dict[str, Any]) -> None:
    from concurrent.futures import ThreadPoolExecutor

    from django.db import connections

    analyst = region["jca_analyst"]

    def attempt(_: int) -> int:
        try:
            return password_step(Client(), analyst.username, "wrong-password-123").status_code
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=8) as pool:
        statuses = list(pool.map(attempt, range(8)))
    assert statuses == [200] * 8
    assert SignInFailure.objects.filter(user=analyst).count() == 8
    assert Membership.objects.get(user=analyst).locked_at is not None
    assert AuditEntry.objects.filter(action="auth.locked", actor=analyst).count() == 1
    assert Event.objects.filter(kind="security.locked", users=analyst).count() == 1


def test_people_of_a_deactivated_agency_lose_pages_and_api(
    people: dict[str, Any], signed_in: Any
) -> None:
    from agencies import actions

    analyst = people["jca_analyst"]
    token = Token.objects.create(user=analyst)
    session = signed_in(analyst)
    actions.update_agency(people["platform_admin"], people["jca"], active=False)
    assert session.get("/agencies/").status_code == 302
    assert (
        Client(HTTP_AUTHORIZATION=f"Token {token.key}").get("/api/v1/agencies/").status_code == 403
    )
    refused = password_step(Client(), analyst.username)
    assert refused.status_code == 200 and "_auth_user_id" not in refused.wsgi_request.session
