"""Fixtures of the agencies tests: the two-agency region plus a platform admin."""

from __future__ import annotations

import time
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests import factories


@pytest.fixture
def people(region: dict[str, Any]) -> dict[str, Any]:
    """``region`` (JCA and DIRAN, each with analyst, liaison, agency_admin) + ``platform_admin``."""
    region["platform_admin"] = factories.platform_admin()
    region["operator"] = region["platform_admin"].membership.agency
    return region


def code_for(device: TOTPDevice, offset_steps: int = 0) -> str:
    """The authenticator code of ``device`` now (or ``offset_steps`` steps away)."""
    device.refresh_from_db()
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + offset_steps * device.step
    return f"{totp.token():06d}"


def password_step(client: Client, username: str, password: str = factories.PASSWORD) -> Any:
    return client.post("/accounts/login/", {"username": username, "password": password})


def enrolled(user: User) -> TOTPDevice:
    device, _ = TOTPDevice.objects.get_or_create(
        user=user, name="authenticator", defaults={"confirmed": True}
    )
    return device
