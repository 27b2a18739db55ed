"""What a caller gets when a request fails inside the portal: a store that is down is a 503
with Retry-After, a defect a 500; JSON on the API, a small page elsewhere; never a trace."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from tests.reliability.servers import traces_in

pytestmark = pytest.mark.urls("tests.reliability.failing_urls")


@pytest.fixture
def client(settings: Any, region: dict[str, Any], signed_in: Any) -> Client:
    settings.DEBUG = False
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    signed = signed_in(region["jca_analyst"])  # pages need a verified session
    signed.raise_request_exception = False
    return signed


@pytest.mark.parametrize("store", ["database", "redis"])
def test_a_store_that_is_down_is_a_503_with_retry_after_on_the_api(
    client: Client, store: str
) -> None:
    response = client.get(f"/api/v1/fail/{store}/")
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert response["Content-Type"] == "application/json"
    assert "briefly unavailable" in response.json()["detail"]
    assert not traces_in(response.content.decode())
    assert "5432" not in response.content.decode() and "6379" not in response.content.decode()


def test_a_page_gets_a_page_saying_to_try_again(client: Client) -> None:
    response = client.get("/fail/database/")
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert response["Content-Type"].startswith("text/html")
    assert "<h1" in response.content.decode()
    assert not traces_in(response.content.decode())


def test_a_defect_is_a_500_that_tells_nothing_of_it(client: Client) -> None:
    for path in ("/api/v1/fail/bug/", "/fail/bug/"):
        response = client.get(path)
        assert response.status_code == 500
        assert "Retry-After" not in response
        body = response.content.decode()
        assert "secret detail" not in body and "RuntimeError" not in body
        assert not traces_in(body)
