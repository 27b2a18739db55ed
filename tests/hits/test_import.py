"""A bulk import matches like the form: the imported report's container finds DIRAN's."""

from __future__ import annotations

from typing import Any

import pytest

from hits.models import Hit
from tests.hits.helpers import container_only, save
from tests.imports.helpers import GOOD, csv_file

pytestmark = pytest.mark.django_db


def test_an_imported_report_matches_and_tells_both_sides(region: dict[str, Any]) -> None:
    from imports import actions

    diran_record = save(region["diran_analyst"], container_only(country="CO", locode=""))
    other = [*GOOD[:6], "MSCU1234566", GOOD[7]]  # a container nobody else holds
    upload = actions.upload(region["jca_analyst"], csv_file([GOOD, other]))
    actions.commit(region["jca_analyst"], upload.pk, upload.mapping)
    rows = set(Hit.objects.values_list("our_agency__acronym", "their_agency__acronym", "kind"))
    assert rows == {("JCA", "DIRAN", "container"), ("DIRAN", "JCA", "container")}
    assert Hit.objects.get(our_agency=region["diran"]).our_seizure_id == diran_record.pk
