"""The seizure form's rows as a screen reader meets them: each row is a fieldset whose legend
says which one it is ("Item 2", in the reader's language), and every field of a row is named
after its label and its row ("Kind, Item 2"), so no two fields of the form share a name and
none is read as "items-1". Rows added by the "Add" button are numbered on from the last."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from django.test import Client

from tests.cases.builders import seizure_payload

pytestmark = pytest.mark.django_db

ROW = re.compile(r'<fieldset class="formset-row[^"]*"[^>]*>(.*?)</fieldset>', re.S)
LEGEND = re.compile(r"<legend[^>]*>(.*?)</legend>", re.S)
LABEL = re.compile(r'<label[^>]*\bfor="([^"]+)"[^>]*>(.*?)</label>', re.S)
CONTROL = re.compile(r"<(input|select|textarea)\b([^>]*)>", re.S)
HIDDEN_FROM_READERS = re.compile(r'<(\w+)[^>]*aria-hidden="true"[^>]*>.*?</\1>', re.S)


def _text(html: str) -> str:
    """What a screen reader reads of a label: its text, visually hidden parts included,
    ``aria-hidden`` parts left out."""
    return " ".join(re.sub(r"<[^>]+>", "", HIDDEN_FROM_READERS.sub("", html)).split())


def rows(page: str) -> list[tuple[str, dict[str, str]]]:
    """Each row of the page: its legend, and the accessible name of each visible control."""
    found = []
    for body in ROW.findall(page):
        legend = LEGEND.search(body)
        assert legend is not None, body[:300]
        labels = {for_id: _text(text) for for_id, text in LABEL.findall(body)}
        names: dict[str, str] = {}
        for _tag, attributes in CONTROL.findall(body):
            if 'type="hidden"' in attributes:
                continue
            control_id = re.search(r'\bid="([^"]+)"', attributes)
            assert control_id is not None, attributes
            assert control_id.group(1) in labels, f"{control_id.group(1)} has no label"
            names[control_id.group(1)] = labels[control_id.group(1)]
        found.append((_text(legend.group(1)), names))
    return found


def _post(client: Client, path: str, data: dict[str, Any]) -> Any:
    return client.post(path, data=json.dumps(data), content_type="application/json").json()


def test_a_new_reports_item_row_is_item_1_and_its_fields_say_so(
    signed_in: Any, jca_analyst: Any
) -> None:
    page = signed_in(jca_analyst).get("/cases/seizures/new/").content.decode()
    assert 'aria-label="items-' not in page
    [(legend, names)] = rows(page)
    assert legend == "Item 1"
    assert names["id_items-0-kind"] == "Kind, Item 1"
    assert names["id_items-0-quantity"] == "Quantity, Item 1"
    assert all(name.endswith(", Item 1") for name in names.values()), names


def test_every_field_of_a_stored_report_has_a_name_of_its_own(
    signed_in: Any, jca_analyst: Any
) -> None:
    client = signed_in(jca_analyst)
    seizure = _post(client, "/api/v1/seizures/", seizure_payload())
    page = client.get(f"/cases/seizures/{seizure['id']}/edit/").content.decode()
    found = rows(page)
    legends = [legend for legend, _names in found]
    assert legends == [
        "Item 1",
        "Item 2",
        "Item 3",
        "Person 1",
        "Organisation 1",
        "Vessel 1",
        "Container 1",
        "Vehicle 1",
    ]
    names = [name for _legend, row in found for name in row.values()]
    assert len(names) == len(set(names)), sorted(n for n in names if names.count(n) > 1)
    items = dict(found[:3])
    assert items["Item 2"]["id_items-1-kind"] == "Kind, Item 2"
    assert items["Item 3"]["id_items-2-DELETE"] == "Remove, Item 3"
    assert dict(found)["Container 1"]["id_containers-0-number"] == "Container number, Container 1"


def test_an_added_row_is_numbered_on_from_the_last(signed_in: Any, jca_analyst: Any) -> None:
    client = signed_in(jca_analyst)
    fragment = client.get("/cases/seizures/rows/items/?items-TOTAL_FORMS=2").content.decode()
    [(legend, names)] = rows(fragment)
    assert legend == "Item 3"
    assert names["id_items-2-kind"] == "Kind, Item 3"
    vehicles = client.get("/cases/seizures/rows/vehicles/?vehicles-TOTAL_FORMS=0").content.decode()
    assert rows(vehicles)[0][0] == "Vehicle 1"


def test_row_names_are_in_the_readers_language(signed_in: Any, jca_analyst: Any) -> None:
    client = signed_in(jca_analyst)
    client.post("/i18n/setlang/", {"language": "es", "next": "/"})
    [(legend, names)] = rows(client.get("/cases/seizures/new/").content.decode())
    assert legend == "Elemento 1"
    assert names["id_items-0-kind"].endswith(", Elemento 1")
    fragment = client.get("/cases/seizures/rows/persons/?persons-TOTAL_FORMS=1").content.decode()
    assert rows(fragment)[0][0] == "Persona 2"
