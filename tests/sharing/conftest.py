"""A sharing region: JCA owns records; DIRAN and SENAN are partners with different trust."""

from __future__ import annotations

from typing import Any

import pytest

from tests import factories


@pytest.fixture(autouse=True)
def _fast_passwords(settings: Any) -> None:
    """These tests sign people in with force_login; hashing their passwords slowly buys nothing."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def sharing(region: dict[str, Any]) -> dict[str, Any]:
    """``region`` plus a second JCA liaison officer (four-eyes), a third agency SENAN, trust
    JCA→DIRAN 2 (trusted) and JCA→SENAN 1 (basic), and a JCA case and seizure report."""
    people = dict(region)
    jca, diran = people["jca"], people["diran"]
    senan = factories.agency("SENAN", country="PA", kind="coast_guard")
    people["senan"] = senan
    people["jca_liaison2"] = factories.user(jca, "liaison", username="jca-liaison2")
    for role in ("analyst", "liaison"):
        people[f"senan_{role}"] = factories.user(senan, role, username=f"senan-{role}")
    factories.trust(jca, diran, 2)
    factories.trust(jca, senan, 1)
    people["case"] = factories.case(jca, by=people["jca_analyst"], tlp="AMBER")
    people["seizure"] = factories.seizure(jca, case=people["case"], tlp="AMBER")
    return people
