"""``make check`` runs the security scans over every application package (issue 8, point 7)."""

from __future__ import annotations

import re

from django.conf import settings

from tests.conftest import ROOT


def _our_packages() -> set[str]:
    """The portal's own packages: every installed app that lives in this repository."""
    names = {app.split(".")[0] for app in settings.INSTALLED_APPS}
    return {name for name in names if (ROOT / name / "__init__.py").exists()} | {"portal"}


def _check_recipe() -> str:
    makefile = (ROOT / "Makefile").read_text()
    found = re.search(r"^check:.*\n((?:\t.*\n|.*\\\n)+)", makefile, re.M)
    assert found, "make check has no recipe"
    return found.group(1)


def test_make_check_runs_bandit_on_every_app_and_pip_audit() -> None:
    recipe = _check_recipe()
    bandit = next(line for line in recipe.splitlines() if "bandit" in line)
    assert "-c pyproject.toml" in bandit
    assert _our_packages() <= set(bandit.split()), bandit
    assert "scripts/pip_audit.py" in recipe
    assert (ROOT / "SECURITY.md").read_text().count("## ") >= 3  # report, threats, protections
