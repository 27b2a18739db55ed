"""What every browser test shares: Debian's Chromium launched headless with fixed flags, pages
signed in as a user, the vendored axe-core scan, CSP errors collected, screenshots kept in
test-artifacts/ (the ``chromium`` fixture in tests/conftest.py hands out a ``Chromium``)."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.test import Client

from tests.conftest import ROOT, verify

CHROMIUM = os.environ.get("PLAYWRIGHT_CHROMIUM", "/usr/bin/chromium")
# Debian's Chromium, never a downloaded one (`playwright install` cannot reach the network).
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ARTIFACTS = Path(os.environ.get("ENLACE_TEST_ARTIFACTS", ROOT / "test-artifacts"))

needs_chromium = pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="no Chromium here")

# Structure rules axe calls "moderate" that a screen-reader user still trips on: the page has
# one main landmark and a level-one heading. They fail the scan like serious ones.
STRUCTURE_RULES = {"landmark-one-main", "page-has-heading-one", "landmark-no-duplicate-main"}


def axe_violations(page: Any) -> list[str]:
    """Serious and critical violations (every axe rule but the experimental ones: WCAG 2.0,
    2.1, 2.2 A/AA and best practice) plus the structure rules, as ``rule: help (nodes)``."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(url="/static/vendor/axe-core/axe.min.js")
    result = page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{v['id']}: {v['help']} ({len(v['nodes'])}: {v['nodes'][0]['target']})"
        for v in result["violations"]
        if v["impact"] in ("serious", "critical") or v["id"] in STRUCTURE_RULES
    ]


def screenshot(page: Any, name: str, *, full_page: bool = True) -> Path:
    """Keep a picture of the page as a test artifact (test-artifacts/<name>.png)."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=full_page)
    return path


def session_cookie(user: User) -> str:
    """A session that passed the second factor, as the sign-in journey would leave it."""
    return str(verify(Client(), user).cookies[settings.SESSION_COOKIE_NAME].value)


@dataclass
class Chromium:
    """One headless Chromium for a test; ``page(user)`` opens a fresh context signed in as
    ``user`` (or anonymous). Console errors of every page are kept; the fixture fails the
    test on any Content Security Policy error."""

    browser: Any
    url: str
    console_errors: list[str] = field(default_factory=list)

    def context(self, user: User | None = None) -> Any:
        context = self.browser.new_context(base_url=self.url)
        if user is not None:
            context.add_cookies(
                [
                    {
                        "name": settings.SESSION_COOKIE_NAME,
                        "value": session_cookie(user),
                        "url": self.url,
                    }
                ]
            )
        context.on("page", self._watch)
        return context

    def page(self, user: User | None = None) -> Any:
        return self.context(user).new_page()

    def _watch(self, page: Any) -> None:
        page.on(
            "console",
            lambda message: (
                self.console_errors.append(message.text) if message.type == "error" else None
            ),
        )

    @property
    def csp_errors(self) -> list[str]:
        return [e for e in self.console_errors if re.search("Content.Security.Policy", e)]
