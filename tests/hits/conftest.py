from __future__ import annotations

from typing import Any

import pytest

from tests import factories


@pytest.fixture
def secret_case(region: dict[str, Any]) -> Any:
    """JCA's case whose title is a sentinel (its reports live in it)."""
    return factories.case(region["jca"], title="Operation Halcyon-Q7", tlp="AMBER")
