"""The OpenAPI schema is complete enough for a generated client: no warnings, named enums."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from django.core.management import call_command


@pytest.mark.django_db
def test_the_schema_generates_without_warnings_and_names_every_enum(tmp_path: Path) -> None:
    target = tmp_path / "schema.yaml"
    # --fail-on-warn turns any warning (unresolvable field, enum collision, ...) into an error
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target))
    schema = yaml.safe_load(target.read_text())
    components = schema["components"]["schemas"]
    hashed = [name for name in components if re.fullmatch(r".*[0-9a-f]{3}Enum", name)]
    assert hashed == []
    for name in ("TlpEnum", "CountryEnum", "SubstanceEnum", "UnitEnum", "SeizureItemKindEnum",
                 "TransportModeEnum", "CaseStatusEnum", "AccessLevelEnum"):  # fmt: skip
        assert name in components
    paths = schema["paths"]
    for path in ("/api/v1/cases/", "/api/v1/cases/{id}/", "/api/v1/cases/{id}/messages/",
                 "/api/v1/cases/{id}/attachments/", "/api/v1/seizures/",
                 "/api/v1/seizures/{id}/", "/api/v1/attachments/{id}/download/"):  # fmt: skip
        assert path in paths
    seizures = paths["/api/v1/seizures/"]["get"]
    assert {p["name"] for p in seizures["parameters"]} >= {
        "country", "seized_from", "seized_to", "transport_mode", "substance", "status", "page",
    }  # fmt: skip
    listed = components["PaginatedSeizureReportListList"]["properties"]
    assert {"count", "count_capped", "next", "previous", "results"} <= set(listed)
    nested = components["SeizureReportRequest"]["properties"]
    assert {"items", "persons", "vessels", "containers", "flights", "vehicles"} <= set(nested)
