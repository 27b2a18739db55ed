"""The hits page and API: one agency's side only (404 otherwise), status by its liaison
officers, and one click from a hit to an access request whose owner sees the hit behind it."""

from __future__ import annotations

from typing import Any

import pytest

from hits.models import Hit
from sharing.models import ShareRequest
from tests.hits.helpers import container_only, save

pytestmark = pytest.mark.django_db


@pytest.fixture
def hits(region: dict[str, Any]) -> dict[str, Any]:
    jca_record = save(region["jca_analyst"], container_only())
    diran_record = save(region["diran_analyst"], container_only(country="CO", locode=""))
    return {
        "jca": Hit.objects.get(our_agency=region["jca"]),
        "diran": Hit.objects.get(our_agency=region["diran"]),
        "jca_record": jca_record,
        "diran_record": diran_record,
    }


def test_each_agency_lists_only_its_own_side(
    region: dict[str, Any], hits: dict[str, Any], signed_in: Any
) -> None:
    body = signed_in(region["diran_analyst"]).get("/api/v1/hits/").json()
    assert [item["id"] for item in body["results"]] == [hits["diran"].pk]
    item = body["results"][0]
    assert item["record"] == {
        "type": "seizure", "id": hits["diran_record"].pk,
        "reference": hits["diran_record"].reference,
    }  # fmt: skip
    assert item["other_agency"]["acronym"] == "JCA" and item["kind"] == "container"
    page = signed_in(region["diran_analyst"]).get("/hits/").content.decode()
    assert f"/hits/{hits['diran'].pk}/" in page and f"/hits/{hits['jca'].pk}/" not in page


@pytest.mark.parametrize(
    "url",
    ["/api/v1/hits/{pk}/", "/hits/{pk}/"],
)
def test_the_other_sides_hit_does_not_exist(
    region: dict[str, Any], hits: dict[str, Any], signed_in: Any, url: str
) -> None:
    client = signed_in(region["diran_liaison"])
    assert client.get(url.format(pk=hits["jca"].pk)).status_code == 404
    assert client.post(f"/api/v1/hits/{hits['jca'].pk}/acknowledge/").status_code == 404
    assert (
        client.post(f"/hits/{hits['jca'].pk}/status/", {"status": "acknowledged"}).status_code
        == 404
    )
    assert Hit.objects.get(pk=hits["jca"].pk).status == "new"


def test_liaison_officers_follow_hits_up(
    region: dict[str, Any], hits: dict[str, Any], signed_in: Any
) -> None:
    pk = hits["diran"].pk
    analyst = signed_in(region["diran_analyst"])
    assert analyst.post(f"/api/v1/hits/{pk}/acknowledge/").status_code == 403
    liaison = signed_in(region["diran_liaison"])
    response = liaison.post(f"/api/v1/hits/{pk}/acknowledge/")
    assert response.status_code == 200 and response.json()["status"] == "acknowledged"
    assert liaison.post(f"/hits/{pk}/status/", {"status": "followed_up"}).status_code == 302
    assert Hit.objects.get(pk=pk).status == "followed_up"
    assert liaison.post(f"/hits/{pk}/status/", {"status": "closed"}).status_code == 302
    assert Hit.objects.get(pk=pk).status == "followed_up"  # refused, nothing changed
    listed = liaison.get("/api/v1/hits/?status=followed_up").json()
    assert [item["id"] for item in listed["results"]] == [pk]


def test_one_click_from_a_hit_asks_for_access_and_the_owner_sees_the_hit(
    region: dict[str, Any], hits: dict[str, Any], signed_in: Any
) -> None:
    hit = hits["diran"]
    page = signed_in(region["diran_analyst"]).get(f"/hits/{hit.pk}/").content.decode()
    assert f'action="/hits/{hit.pk}/request/"' in page and "Deconfliction hit" in page
    response = signed_in(region["diran_analyst"]).post(
        f"/hits/{hit.pk}/request/", {"level": "full", "justification": "Same container"}
    )
    assert response.status_code == 302
    request = ShareRequest.objects.get()
    assert (request.hit_id, request.seizure_id, request.owner_agency_id) == (
        hit.pk,
        hits["jca_record"].pk,
        region["jca"].pk,
    )
    # the owner's liaison officer sees that a hit lies behind it, and nothing of DIRAN's record
    shown = signed_in(region["jca_liaison"]).get(f"/api/v1/share-requests/{request.pk}/")
    assert shown.json()["hit"] == {"kind": "container", "kind_label": "container number"}
    assert hits["diran_record"].reference not in shown.content.decode()
    page = signed_in(region["jca_liaison"]).get(f"/sharing/requests/{request.pk}/").content.decode()
    assert "deconfliction hit on a container number" in page
    assert hits["diran_record"].reference not in page
    # the asker still sees nothing of JCA's record in its own copy of the request
    asked = signed_in(region["diran_analyst"]).get(f"/api/v1/share-requests/{request.pk}/")
    assert asked.json()["record"]["visible"] is False
    assert hits["jca_record"].reference not in asked.content.decode()


def test_a_hit_that_names_nobody_opens_nothing(region: dict[str, Any], signed_in: Any) -> None:
    save(region["jca_analyst"], container_only(do_not_reveal=True))
    save(region["diran_analyst"], container_only(country="CO", locode="", do_not_reveal=True))
    hit = Hit.objects.get(our_agency=region["diran"])
    client = signed_in(region["diran_analyst"])
    assert f"/hits/{hit.pk}/request/" not in client.get(f"/hits/{hit.pk}/").content.decode()
    response = client.post(f"/hits/{hit.pk}/request/", {"level": "full", "justification": "x"})
    assert response.status_code == 404
    api = client.post("/api/v1/share-requests/", {"kind": "access", "hit": hit.pk,
                                                  "level": "full", "justification": "x"},
                      content_type="application/json")  # fmt: skip
    assert api.status_code in (400, 404)
    assert not ShareRequest.objects.exists()
