"""People using Enlace at once, for ``tests/reliability/test_load.py`` (and by hand:
``ENLACE_LOAD_PEOPLE=people.json locust -f tests/reliability/locustfile.py --host URL``).

Each simulated person is one analyst of a demo agency (API token and a verified browser
session), pausing 2 to 8 s between actions, as someone reading and typing would. Of their actions:
70 % read lists and records (API and pages), 20 % search (API and page), 10 % write: a new
seizure report, a new case, or a share (a liaison officer of the agency offers a new case to a
partner it trusts and a second liaison officer approves it: four-eyes). Any answer that is not
2xx is an error.
"""

from __future__ import annotations

import itertools
import json
import os
import random
import threading

from locust import HttpUser, between, events, task

PEOPLE = json.loads(open(os.environ["ENLACE_LOAD_PEOPLE"]).read())  # noqa: SIM115
_NEXT = itertools.cycle(range(len(PEOPLE["analysts"])))
_LOCK = threading.Lock()
SEARCHES = ["cocaine", "Cartagena", "Kingston", "container", "MSCU", "cannabis", "go-fast",
            "Buenaventura", "pistol", "courier", "Panamá", "precursor"]  # fmt: skip


@events.request.add_listener
def _why(response: object = None, exception: object = None, **_: object) -> None:
    """Print what a failed request got back, so a run's log says why (locust's own failure
    line has only the status)."""
    status = getattr(response, "status_code", 0)
    if exception is not None and status and status >= 400:
        print(
            f"failed: {status} {getattr(response, 'url', '')} {getattr(response, 'text', '')[:300]}"
        )


class Analyst(HttpUser):
    wait_time = between(2, 8)

    def on_start(self) -> None:
        with _LOCK:
            me = PEOPLE["analysts"][next(_NEXT)]
        self.agency = str(me["agency"])
        self.client.headers["Authorization"] = f"Token {me['token']}"
        self.client.headers["Accept"] = "application/json"
        self.client.cookies.set(me["cookie"][0], me["cookie"][1])
        self.cases: list[int] = []
        self.seizures: list[int] = []

    # --- reads: 70 ---------------------------------------------------------------------------

    def _ids(self, path: str, name: str, into: list[int]) -> None:
        with self.client.get(path, name=name, catch_response=True) as response:
            if response.status_code == 200:
                ids = [row["id"] for row in response.json()["results"]]
                if ids:
                    into[:] = ids
                response.success()

    @task(15)
    def case_list(self) -> None:
        self._ids("/api/v1/cases/", "GET /api/v1/cases/", self.cases)

    @task(15)
    def seizure_list(self) -> None:
        self._ids("/api/v1/seizures/", "GET /api/v1/seizures/", self.seizures)

    @task(10)
    def case(self) -> None:
        if self.cases:
            self.client.get(
                f"/api/v1/cases/{random.choice(self.cases)}/", name="GET /api/v1/cases/{id}/"
            )

    @task(10)
    def seizure(self) -> None:
        if self.seizures:
            pk = random.choice(self.seizures)
            self.client.get(f"/api/v1/seizures/{pk}/", name="GET /api/v1/seizures/{id}/")

    @task(6)
    def case_list_page(self) -> None:
        self.client.get("/cases/", name="page /cases/", headers={"Accept": "text/html"})

    @task(6)
    def seizure_list_page(self) -> None:
        self.client.get(
            "/cases/seizures/", name="page /cases/seizures/", headers={"Accept": "text/html"}
        )

    @task(4)
    def case_page(self) -> None:
        if self.cases:
            self.client.get(
                f"/cases/{random.choice(self.cases)}/",
                name="page /cases/{id}/",
                headers={"Accept": "text/html"},
            )

    @task(4)
    def seizure_page(self) -> None:
        if self.seizures:
            self.client.get(
                f"/cases/seizures/{random.choice(self.seizures)}/",
                name="page /cases/seizures/{id}/",
                headers={"Accept": "text/html"},
            )

    # --- searches: 20 ------------------------------------------------------------------------

    @task(12)
    def search(self) -> None:
        self.client.get(
            "/api/v1/search/", params={"q": random.choice(SEARCHES)}, name="GET /api/v1/search/"
        )

    @task(8)
    def search_page(self) -> None:
        self.client.get(
            "/search/",
            params={"q": random.choice(SEARCHES)},
            name="page /search/",
            headers={"Accept": "text/html"},
        )

    # --- writes and shares: 10 ---------------------------------------------------------------

    @task(5)
    def report_seizure(self) -> None:
        self.client.post(
            "/api/v1/seizures/", json=PEOPLE["seizure_payload"], name="POST /api/v1/seizures/"
        )

    @task(2)
    def open_case(self) -> None:
        self.client.post(
            "/api/v1/cases/",
            json={"title": "Load: reefer container", "tlp": "GREEN", "summary": "Synthetic."},
            name="POST /api/v1/cases/",
        )

    @task(3)
    def share(self) -> None:
        partners = PEOPLE["partners"].get(self.agency) or []
        first, second = PEOPLE["liaisons"][self.agency]
        if not partners:
            return
        offering = {"Authorization": f"Token {first['token']}"}
        deciding = {"Authorization": f"Token {second['token']}"}
        case = self.client.post(
            "/api/v1/cases/",
            json={"title": "Load: shared lead", "tlp": "GREEN"},
            headers=offering,
            name="POST /api/v1/cases/ (to share)",
        )
        if case.status_code != 201:
            return
        offer = self.client.post(
            "/api/v1/share-requests/",
            json={
                "kind": "offer",
                "target": case.json()["id"],
                "level": "summary",
                "justification": "Same route as your seizures.",
                "recipient_agency": random.choice(partners),
            },
            headers=offering,
            name="POST /api/v1/share-requests/",
        )
        if offer.status_code != 201:
            return
        self.client.post(
            f"/api/v1/share-requests/{offer.json()['id']}/approve/",
            json={"note": "Approved: the partner works the same route."},
            headers=deciding,
            name="POST /api/v1/share-requests/{id}/approve/",
        )
