"""The demo region's trust matrix and teams, and signing in as a demo user without a phone."""

from __future__ import annotations

import re
from io import StringIO

import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command
from django.test import Client, override_settings
from django_otp.plugins.otp_totp.models import TOTPDevice

from agencies import actions
from agencies.models import Agency, Team, TrustLevel, TrustLevelChange
from portal.demo.password import demo_password
from tests import factories

pytestmark = pytest.mark.django_db


def by(acronym: str) -> Agency:
    return Agency.objects.get(acronym=acronym)


def test_the_demo_trust_matrix_is_realistic() -> None:
    call_command("load_demo", stdout=StringIO())
    levels = set(TrustLevel.objects.values_list("level", flat=True))
    assert {1, 2, 3} <= levels
    # close partners, basic partners, strangers, and trust that is not symmetric
    assert actions.trust_level(by("JCA"), by("JCF-NIB")) == 3
    assert actions.trust_level(by("JCA"), by("TTPS-OCNFB")) == 1
    assert actions.trust_level(by("JCA"), by("SENAD")) == 0
    assert actions.trust_level(by("SENAD"), by("JCA")) == 0
    assert actions.trust_level(by("DIRAN"), by("AMERIPOL")) == 2
    assert actions.trust_level(by("AMERIPOL"), by("DIRAN")) == 1
    # a pair lowered after an incident shows its history, with reasons
    history = TrustLevelChange.objects.filter(from_agency=by("SENAN"), to_agency=by("DNCD"))
    assert [c.new_level for c in history] == [1, 2]
    assert "review" in history.first().reason  # type: ignore[union-attr]
    # teams: a port control unit, an airport task force, a time-bound operation
    teams = {t.name: t for t in Team.objects.all()}
    assert len(teams) >= 2
    port = teams["Kingston Port Control Unit"]
    assert set(port.agencies.values_list("acronym", flat=True)) == {"JCA", "JCF-NIB"}
    assert port.managing_agency == by("JCA") and port.is_active_on()
    assert any("Airport" in name for name in teams)


def test_every_demo_user_passes_the_second_factor_without_a_phone() -> None:
    call_command("load_demo", stdout=StringIO())
    people = User.objects.filter(membership__isnull=False)
    assert people.count() >= 20
    for person in people:
        assert TOTPDevice.objects.filter(user=person, confirmed=True).exists(), person
    out = StringIO()
    with override_settings(DEMO_MODE=True, ENLACE_ENV="demo"):
        call_command("demo_otp", "lucia.enlace", stdout=out, stderr=StringIO())
    code = out.getvalue().strip()
    assert re.fullmatch(r"\d{6}", code)
    client = Client()
    client.post("/accounts/login/", {"username": "lucia.enlace", "password": demo_password()})
    assert client.post("/accounts/two-factor/verify/", {"code": code}).status_code == 302
    assert client.get("/agencies/").status_code == 200


def test_demo_otp_does_not_exist_outside_demo_mode() -> None:
    person = factories.user(factories.agency("JCA"), "analyst")
    TOTPDevice.objects.create(user=person, name="demo", confirmed=True)
    for env in ("production", "test", "dev"):
        with override_settings(DEMO_MODE=False, ENLACE_ENV=env), pytest.raises(CommandError):
            call_command("demo_otp", person.username, stdout=StringIO())


def test_the_demo_platform_admin_sees_the_matrix(signed_in: object) -> None:
    call_command("load_demo", stdout=StringIO())
    client = signed_in(User.objects.get(username="admin"))  # type: ignore[operator]
    html = client.get("/agencies/trust/").content.decode()
    jca, nib = by("JCA"), by("JCF-NIB")
    assert f'id="trust-{jca.pk}-{nib.pk}" class="trust-cell trust-3' in html
