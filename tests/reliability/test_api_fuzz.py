"""Bad input over the whole API: schemathesis reads the OpenAPI schema the portal serves and sends
generated requests — valid ones, boundary values and deliberately wrong ones — to every
operation, as an analyst signed in with a token, against the portal under gunicorn with the
real PostgreSQL and Redis. No answer may be a 5xx, and none may break the schema it documents
(body, content type). Sized for CI: a few examples per operation, one time budget.

Reproduce by hand against any running portal (``make demo``):
    st run http://127.0.0.1:8000/api/schema/ -H "Authorization: Token KEY" \\
        --checks not_a_server_error,response_schema_conformance,content_type_conformance
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import requests

from tests.reliability.conftest import Started
from tests.reliability.servers import Portal

pytestmark = [pytest.mark.slow]

CHECKS = "not_a_server_error,response_schema_conformance,content_type_conformance"
MAX_EXAMPLES = 6
MAX_SECONDS = 150
STATEFUL_SECONDS = 100
SEED = 20260311


@pytest.fixture
def portal(started: Started, _isolated_queue: str) -> Portal:
    # The fuzzer's requests all come from one token: lift the per-user rate so 429s do not
    # hide what it is testing (the limit itself: tests/security/test_headers_and_limits.py).
    return started.portal(_isolated_queue, API_THROTTLE_USER="100000/min")


def _schema(portal: Portal, token: str, tmp_path: Path) -> Path:
    schema = requests.get(
        f"{portal.url}/api/schema/?format=json",
        headers={"Authorization": f"Token {token}"},
        timeout=30,
    )
    assert schema.status_code == 200, schema.text[:500]
    operations = sum(
        1
        for item in schema.json()["paths"].values()
        for method in item
        if method in {"get", "post", "put", "patch", "delete"}
    )
    assert operations > 40  # the whole API, not an empty or partial schema
    schema_file = tmp_path / "schema.json"
    schema_file.write_text(schema.text)
    return schema_file


def _run(portal: Portal, token: str, tmp_path: Path, phases: str, seconds: int) -> str:
    st = Path(sys.executable).parent / "st"
    done = subprocess.run(
        [
            str(st),
            "run",
            str(_schema(portal, token, tmp_path)),
            "--url",
            portal.url,
            "--header",
            f"Authorization: Token {token}",
            "--checks",
            CHECKS,
            "--phases",
            phases,
            "--max-examples",
            str(MAX_EXAMPLES),
            "--max-time",
            str(seconds),
            "--seed",
            str(SEED),
            "--workers",
            "2",
            "--request-timeout",
            "30",
            "--no-shrink",
            "--suppress-health-check",
            "all",
            "--report",
            "junit",
            "--report-dir",
            str(tmp_path),
        ],
        cwd=tmp_path,  # schemathesis keeps a cache folder in its working directory
        capture_output=True,
        text=True,
        timeout=seconds + 240,
    )
    output = done.stdout + done.stderr
    assert done.returncode == 0, output[-20000:] + "\n--- portal log ---\n" + portal.log()[-6000:]
    return output


def test_every_operation_survives_generated_input_without_5xx_or_schema_breaks(
    portal: Portal, world: dict[str, Any], tmp_path: Path
) -> None:
    output = _run(
        portal, world["tokens"]["jca_analyst"], tmp_path, "examples,coverage,fuzzing", MAX_SECONDS
    )
    assert "operations" in output.lower() or "passed" in output.lower(), output[-3000:]


def test_chains_of_operations_through_their_identifiers_survive_without_5xx_or_schema_breaks(
    portal: Portal, world: dict[str, Any], tmp_path: Path
) -> None:
    """The stateful phase: schemathesis infers which operation's answer feeds which other's
    parameters (an id in a created record's body, a ``Location`` header) and runs chains of
    calls — create a case, read it, change it, attach to it, share it — with generated values at
    every step. The schema declares no links; the inferred ones are enough."""
    output = _run(portal, world["tokens"]["jca_analyst"], tmp_path, "stateful", STATEFUL_SECONDS)
    print(output[-4000:])
    links = re.search(r"API Links:\s+(\d+) covered / (\d+)", output)
    assert links, output[-3000:]
    covered, inferred = int(links[1]), int(links[2])
    assert inferred > 40 and covered > 0, output[-3000:]  # chains ran, not a skipped phase
