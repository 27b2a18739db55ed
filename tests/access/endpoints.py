"""The endpoints of the access matrix, and what each role x relation must get from them.

To add an endpoint, append an ``Endpoint`` to ``ENDPOINTS`` (one section per app): a name, a
method, how to build its URL (and body) for a viewer, and the expected status as a function of
the viewer. ``by_level`` covers the common case: the viewer's level on the scene record decides
(404 below it, so existence is not disclosed), then the role. Every response of every cell is
also checked against the world's sentinels (see ``test_matrix``).

Cells that make no sense (no such object for this relation) return ``None`` from ``url`` and
are skipped with a reason.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sharing.models import Grant, Level
from tests.access.world import ROLES, Viewer, levels_on, request_about

Expect = Callable[[Viewer], int]
Response = Any  # what django.test.Client returns (HttpResponse with .json())


@dataclass(frozen=True)
class Endpoint:
    name: str
    method: str
    url: Callable[[Viewer], str | None]
    expect: Expect
    data: Callable[[Viewer], dict[str, Any]] | None = None
    # extra assertions on a response with the expected status
    check: Callable[[Viewer, Response], None] | None = None
    # JSON keys that must be absent from a response when the viewer is below ``full``
    summary_lacks: tuple[str, ...] = ()
    tags: tuple[str, ...] = field(default=())
    # send ``data`` as a browser form (pages) rather than JSON (the API)
    form: bool = False

    def __str__(self) -> str:
        return self.name


def by_level(
    needs: int = Level.SUMMARY,
    *,
    ok: int = 200,
    roles: tuple[str, ...] = ROLES,
    role_refused: int = 403,
    below: int = 404,
) -> Expect:
    """``ok`` when the viewer's level on the scene record reaches ``needs`` and their role is
    allowed; ``role_refused`` when the level suffices but the role does not; ``below`` (404)
    when the level is short of ``needs`` yet visible; 404 when the record is invisible."""

    def expect(viewer: Viewer) -> int:
        if viewer.level < Level.SUMMARY:
            return 404
        if viewer.level < needs:
            return below
        return ok if viewer.role in roles else role_refused

    return expect


def party_request(viewer: Viewer) -> Any:
    """The pending access request that the ``granted_summary`` agency made (the owner and
    that agency are party to it; nobody else may learn it exists)."""
    return viewer.world.scenes["granted_summary"].extra["requests"]["granted_summary"]


def grant_to(viewer: Viewer, relation: str) -> Grant:
    agency = viewer.world.agencies[relation]
    return Grant.objects.filter(recipient_agency=agency).order_by("-id").first()  # type: ignore[return-value]


def _is_party(viewer: Viewer, *relations: str) -> bool:
    return viewer.relation in ("owner", *relations)


def _results_about_own_agency(viewer: Viewer, response: Response) -> None:
    for item in response.json()["results"]:
        parties = {item["owner_agency"]["id"], item["requesting_agency"]["id"]}
        assert viewer.agency.pk in parties, item


def _received_grants_match_level(viewer: Viewer, response: Response) -> None:
    references = {item["record"].get("reference") for item in response.json()["results"]}
    scene = viewer.scene.case.reference
    granted = viewer.relation in (
        "granted_summary",
        "granted_full",
        "granted_contribute",
        "team_member",
        "named_user",
    )
    assert (scene in references) == granted, (viewer.relation, references)


# --- sharing (engineer C) ---------------------------------------------------------------------


def _ask_for_seizure(viewer: Viewer) -> dict[str, Any]:
    return {
        "kind": "access",
        "seizure": viewer.scene.seizure.pk,
        "level": "contribute",
        "justification": "matrix",
    }


def _asking_expectation(viewer: Viewer) -> int:
    # asking is for those who see the record, below contribute, and do not own it
    return 201 if Level.SUMMARY <= viewer.level < Level.CONTRIBUTE else 400


def _no_such_seizure_when_invisible(viewer: Viewer, response: Response) -> None:
    if not viewer.sees:
        assert response.json() == {"seizure": ["No such seizure report."]}


def _request_detail(viewer: Viewer) -> int:
    return 200 if _is_party(viewer, "granted_summary") else 404


def _approve(viewer: Viewer) -> int:
    if not _is_party(viewer, "granted_summary"):
        return 404
    return 200 if viewer.relation == "owner" and viewer.role == "liaison" else 403


def _withdraw(viewer: Viewer) -> int:
    if not _is_party(viewer, "granted_summary"):
        return 404
    if viewer.relation == "granted_summary" and viewer.role in ("analyst", "liaison"):
        return 200  # the requester (an analyst) or a liaison officer of the asking agency
    return 403


def _grant_detail(viewer: Viewer) -> int:
    return 200 if _is_party(viewer, "granted_full") else 404


def _revoke(viewer: Viewer) -> int:
    if not _is_party(viewer, "granted_full"):
        return 404
    return 200 if viewer.relation == "owner" and viewer.role == "liaison" else 403


SHARING: list[Endpoint] = [
    Endpoint(
        "api share-requests create (access to a seizure report)",
        "POST",
        lambda v: "/api/v1/share-requests/",
        _asking_expectation,
        data=_ask_for_seizure,
        check=_no_such_seizure_when_invisible,
    ),
    Endpoint(
        "api share-requests list",
        "GET",
        lambda v: "/api/v1/share-requests/",
        lambda v: 200,
        check=_results_about_own_agency,
    ),
    Endpoint(
        "api share-requests detail",
        "GET",
        lambda v: f"/api/v1/share-requests/{party_request(v).pk}/",
        _request_detail,
    ),
    Endpoint(
        "api share-requests approve",
        "POST",
        lambda v: f"/api/v1/share-requests/{party_request(v).pk}/approve/",
        _approve,
        data=lambda v: {"note": "matrix"},
    ),
    Endpoint(
        "api share-requests deny",
        "POST",
        lambda v: f"/api/v1/share-requests/{party_request(v).pk}/deny/",
        _approve,
        data=lambda v: {"note": "matrix"},
    ),
    Endpoint(
        "api share-requests withdraw",
        "POST",
        lambda v: f"/api/v1/share-requests/{party_request(v).pk}/withdraw/",
        _withdraw,
    ),
    Endpoint(
        "api grants received",
        "GET",
        lambda v: "/api/v1/grants/?direction=received",
        lambda v: 200,
        check=_received_grants_match_level,
    ),
    Endpoint(
        "api grants detail",
        "GET",
        lambda v: f"/api/v1/grants/{grant_to(v, 'granted_full').pk}/",
        _grant_detail,
    ),
    Endpoint(
        "api grants revoke",
        "POST",
        lambda v: f"/api/v1/grants/{grant_to(v, 'granted_full').pk}/revoke/",
        _revoke,
        data=lambda v: {"reason": "matrix"},
    ),
]

# --- sharing pages ------------------------------------------------------------------------------

RECEIVERS = ("granted_summary", "granted_full", "granted_contribute", "team_member", "named_user")


def _page_lists_scene_iff(*relations: str) -> Callable[[Viewer, Response], None]:
    def check(viewer: Viewer, response: Response) -> None:
        shown = viewer.scene.case.reference in response.content.decode()
        assert shown == (viewer.relation in relations), (viewer.relation, shown)

    return check


def _page_names_request_iff(*relations: str) -> Callable[[Viewer, Response], None]:
    def check(viewer: Viewer, response: Response) -> None:
        pk = party_request(viewer).pk
        shown = f"/sharing/requests/{pk}/" in response.content.decode()
        assert shown == (viewer.relation in relations), (viewer.relation, shown)

    return check


def _page_revoke(viewer: Viewer) -> int:
    return _revoke(viewer)


def _page_decided(viewer: Viewer) -> int:
    status = _approve(viewer)
    return 302 if status == 200 else status


def _page_withdrawn(viewer: Viewer) -> int:
    status = _withdraw(viewer)
    return 302 if status == 200 else status


def _page_asking(viewer: Viewer) -> int:
    if not viewer.sees:
        return 404
    return 302 if viewer.level < Level.CONTRIBUTE else 400


def _page_offer_form(viewer: Viewer) -> int:
    if not viewer.sees:
        return 404
    return 200 if (viewer.relation, viewer.role) == ("owner", "liaison") else 403


def _approve_form(viewer: Viewer) -> dict[str, Any]:
    prefix = f"approve-{party_request(viewer).pk}"
    return {f"{prefix}-level": "full", f"{prefix}-recipient": "agency", f"{prefix}-note": "m"}


def _seizure_request_url(kind: str) -> Callable[[Viewer], str]:
    return lambda v: f"/sharing/requests/new/?kind={kind}&seizure={v.scene.seizure.pk}"


SHARING_PAGES: list[Endpoint] = [
    Endpoint("page shared with us", "GET", lambda v: "/sharing/shared-with-us/", lambda v: 200,
             check=_page_lists_scene_iff(*RECEIVERS)),
    Endpoint("page what we share", "GET", lambda v: "/sharing/what-we-share/", lambda v: 200,
             check=_page_lists_scene_iff("owner")),
    Endpoint("page grant revoke form", "GET",
             lambda v: f"/sharing/grants/{grant_to(v, 'granted_full').pk}/revoke/", _revoke),
    Endpoint("page grant revoke", "POST",
             lambda v: f"/sharing/grants/{grant_to(v, 'granted_full').pk}/revoke/",
             lambda v: 302 if _revoke(v) == 200 else _revoke(v), form=True,
             data=lambda v: {f"revoke-{grant_to(v, 'granted_full').pk}-reason": "matrix"}),
    Endpoint("page approval queue", "GET", lambda v: "/sharing/queue/", lambda v: 200,
             check=_page_names_request_iff("owner")),
    Endpoint("page our requests", "GET", lambda v: "/sharing/requests/", lambda v: 200,
             check=_page_names_request_iff("granted_summary")),
    Endpoint("page request detail", "GET", lambda v: f"/sharing/requests/{party_request(v).pk}/",
             _request_detail),
    Endpoint("page request approve", "POST",
             lambda v: f"/sharing/requests/{party_request(v).pk}/approve/", _page_decided,
             data=_approve_form, form=True),
    Endpoint("page request deny", "POST",
             lambda v: f"/sharing/requests/{party_request(v).pk}/deny/", _page_decided,
             data=lambda v: {f"deny-{party_request(v).pk}-note": "matrix"}, form=True),
    Endpoint("page request withdraw", "POST",
             lambda v: f"/sharing/requests/{party_request(v).pk}/withdraw/", _page_withdrawn,
             data=lambda v: {}, form=True),
    Endpoint("page request form (access to a seizure report)", "GET",
             _seizure_request_url("access"), by_level()),
    Endpoint("page request access (a seizure report)", "POST", _seizure_request_url("access"),
             _page_asking, data=lambda v: {"level": "contribute", "justification": "matrix"},
             form=True),
    Endpoint("page offer form (the scene seizure report)", "GET", _seizure_request_url("offer"),
             _page_offer_form),
]  # fmt: skip

# --- notifications (engineer E) ---------------------------------------------------------------


def _own_notifications(viewer: Viewer) -> Any:
    from notifications.models import Notification

    return Notification.objects.filter(user=viewer.user).select_related("event")


def _newest_own(viewer: Viewer) -> Any:
    return _own_notifications(viewer).order_by("-id").first()


def _own_about_scene(viewer: Viewer) -> Any:
    return (
        _own_notifications(viewer)
        .filter(event__record_type="case", event__record_id=viewer.scene.case.pk)
        .order_by("-id")
        .first()
    )


def _opens(pick: Callable[[Viewer], Any]) -> Expect:
    """Opening one's own notification: a redirect to the record's page when the viewer may see
    the record (and the page exists), else the "no longer available" page."""

    def expect(viewer: Viewer) -> int:
        from notifications.presenting import target_url

        notification = pick(viewer)
        labels = {scene.case.pk: label for label, scene in viewer.world.records.items()}
        label = labels.get(notification.event.record_id)
        visible = label is not None and levels_on(viewer)[label] >= Level.SUMMARY
        return 302 if visible and target_url(notification.event) else 200

    return expect


def _open_url(pick: Callable[[Viewer], Any]) -> Callable[[Viewer], str | None]:
    def url(viewer: Viewer) -> str | None:
        notification = pick(viewer)
        return f"/notifications/{notification.pk}/open/" if notification is not None else None

    return url


def _the_owner_liaisons(viewer: Viewer) -> Any:
    return _newest_own(viewer.world.viewer("liaison", "owner"))


def _only_the_owner_liaison(viewer: Viewer) -> int:
    return 200 if (viewer.role, viewer.relation) == ("liaison", "owner") else 404


def _unavailable_items_say_nothing(viewer: Viewer, response: Response) -> None:
    for item in response.json()["results"]:
        if not item["available"]:
            assert item["record"] is None and item["url"] is None, item


def _agency_admins(viewer: Viewer) -> int:
    return 200 if viewer.role in ("agency_admin", "platform_admin") else 404


NOTIFICATIONS: list[Endpoint] = [
    Endpoint("notifications page", "GET", lambda v: "/notifications/", lambda v: 200),
    Endpoint(
        "api notifications list",
        "GET",
        lambda v: "/api/v1/notifications/",
        lambda v: 200,
        check=_unavailable_items_say_nothing,
    ),
    Endpoint(
        "api notifications unread_count",
        "GET",
        lambda v: "/api/v1/notifications/unread_count/",
        lambda v: 200,
    ),
    Endpoint(
        "notifications unread badge", "GET", lambda v: "/notifications/unread-count/", lambda v: 200
    ),
    Endpoint(
        "notification open (newest: the mistaken one about the RED record)",
        "GET",
        _open_url(_newest_own),
        _opens(_newest_own),
    ),
    Endpoint(
        "notification open (about the scene record)",
        "GET",
        _open_url(_own_about_scene),
        _opens(_own_about_scene),
    ),
    Endpoint(
        "api notification of the owner's liaison officer",
        "GET",
        lambda v: f"/api/v1/notifications/{_the_owner_liaisons(v).pk}/",
        _only_the_owner_liaison,
    ),
    Endpoint(
        "api notification read (the owner's liaison officer's)",
        "POST",
        lambda v: f"/api/v1/notifications/{_the_owner_liaisons(v).pk}/read/",
        _only_the_owner_liaison,
    ),
    Endpoint(
        "notification open (the owner's liaison officer's)",
        "GET",
        lambda v: f"/notifications/{_the_owner_liaisons(v).pk}/open/",
        lambda v: _opens(_newest_own)(v) if (v.role, v.relation) == ("liaison", "owner") else 404,
    ),
    Endpoint("webhooks page", "GET", lambda v: "/notifications/webhooks/", _agency_admins),
]


# --- insight (engineer H): dashboard, charts ------------------------------------------------


def _chart_counts_what_the_viewer_sees(viewer: Viewer, response: Response) -> None:
    """The scenes' seizure reports are all in JM (the deconfliction world's own report is in
    CO, filtered out): the bar is the number of scene reports the viewer sees."""
    data = response.json()
    seen = sum(1 for level in levels_on(viewer).values() if level >= Level.SUMMARY)
    counted = sum(data["datasets"][0]["data"]) if data["labels"] else 0
    assert counted == seen, (viewer, data)


def _xlsx_text(response: Response) -> str:
    import io

    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(response.content)).active
    return "\n".join(str(cell.value) for row in sheet.iter_rows() for cell in row)


def _pdf_discloses_nothing_unseen(viewer: Viewer, response: Response) -> None:
    """The PDF's text (its bytes are compressed) holds nothing the viewer may not see."""
    import io

    from pypdf import PdfReader

    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert viewer.scene.case.reference in text
    _text_discloses_nothing_unseen(viewer, text)


def _text_discloses_nothing_unseen(viewer: Viewer, text: str) -> None:
    """What a compressed download (Excel, PDF) says, checked as the matrix checks bodies."""
    from tests.access.world import sentinels

    for record, level in levels_on(viewer).items():
        marks = sentinels(viewer.world, record)
        if level < Level.SUMMARY:
            for mark in (marks["title"], marks["reference"], marks["seizure_reference"]):
                assert mark not in text, (viewer, record, mark)
        if level < Level.FULL:
            assert marks["person"] not in text, (viewer, record)


def _search_finds_what_the_viewer_sees(viewer: Viewer, response: Response) -> None:
    """Searching the title words finds exactly the world's cases the viewer sees."""
    found = {result["reference"] for result in response.json()["results"]}
    expected = {
        viewer.world.records[label].case.reference
        for label, level in levels_on(viewer).items()
        if level >= Level.SUMMARY
    }
    assert found == expected, (viewer, found, expected)


def _container_on_scene(viewer: Viewer) -> str:
    """The scene's seizure report gets a container (rolled back with the test)."""
    from cases.identifiers import index_identifiers
    from cases.models import Container

    seizure = viewer.scene.seizure
    # Not the deconfliction world's container (CSQU3054383), which another agency holds too.
    Container.objects.get_or_create(seizure=seizure, number="TGHU1234567")
    index_identifiers(seizure)
    return "/api/v1/search/?q=TGHU1234567"


def _container_is_a_result_or_a_pointer(viewer: Viewer, response: Response) -> None:
    body = response.json()
    references = [result["reference"] for result in body["results"]]
    if viewer.sees:
        assert references == [viewer.scene.seizure.reference], (viewer, body)
        assert body["pointers"] == []
    else:
        assert references == []
        assert [p["agency"]["acronym"] for p in body["pointers"]] == ["OWNER"], (viewer, body)
        assert body["pointers"][0]["matched_on"] == ["container"]


INSIGHT: list[Endpoint] = [
    Endpoint("page dashboard", "GET", lambda v: "/", lambda v: 200),
    Endpoint(
        "chart countries (json)",
        "GET",
        lambda v: "/insight/charts/countries.json?country=JM",
        lambda v: 200,
        check=_chart_counts_what_the_viewer_sees,
    ),
    Endpoint("chart routes (csv)", "GET", lambda v: "/insight/charts/routes.csv", lambda v: 200),
    Endpoint("page search", "GET", lambda v: "/search/?q=Ptarmigan", lambda v: 200),
    Endpoint(
        "api search (words of the titles)",
        "GET",
        lambda v: "/api/v1/search/?q=Ptarmigan",
        lambda v: 200,
        check=_search_finds_what_the_viewer_sees,
    ),
    Endpoint(
        "api search (a container of the scene record)",
        "GET",
        _container_on_scene,
        lambda v: 200,
        check=_container_is_a_result_or_a_pointer,
    ),
    Endpoint("page exports", "GET", lambda v: "/exports/", lambda v: 200),
    Endpoint("export seizures (csv)", "GET", lambda v: "/exports/seizures.csv", lambda v: 200),
    Endpoint("export cases (csv)", "GET", lambda v: "/exports/cases.csv", lambda v: 200),
    Endpoint(
        "export seizures (xlsx)",
        "GET",
        lambda v: "/exports/seizures.xlsx",
        lambda v: 200,
        check=lambda v, r: _text_discloses_nothing_unseen(v, _xlsx_text(r)),
    ),
    Endpoint("export unodc (csv)", "GET", lambda v: "/exports/unodc.csv", lambda v: 200),
    Endpoint(
        "case summary pdf",
        "GET",
        lambda v: f"/insight/cases/{v.scene.case.pk}/summary.pdf",
        by_level(Level.SUMMARY),
        check=lambda v, r: _pdf_discloses_nothing_unseen(v, r) if r.status_code == 200 else None,
    ),
]

# --- agencies, people, trust, teams (engineer A) -----------------------------------------------


def _platform_admin(viewer: Viewer) -> bool:
    from agencies import roles

    return roles.is_platform_admin(viewer.user)


def _only_platform_admins(viewer: Viewer) -> int:
    return 200 if _platform_admin(viewer) else 403


def _people_admins(viewer: Viewer) -> int:
    from agencies import roles

    return 200 if roles.can_manage_people(viewer.user) else 403


def _owner_liaison_page(viewer: Viewer) -> int:
    """The owner's liaison officer's account page: platform admins and the owner agency's
    admins; 403 for those who manage nobody; 404 for admins of other agencies."""
    from agencies import roles

    if not roles.can_manage_people(viewer.user):
        return 403
    return 200 if roles.can_manage_user(viewer.user, viewer.world.owner_liaison) else 404


def _owner_liaison_account(viewer: Viewer) -> int:
    """Through the API: whoever manages the account, and the person themselves."""
    from agencies import roles

    target = viewer.world.owner_liaison
    return 200 if viewer.user == target or roles.can_manage_user(viewer.user, target) else 404


def _world_team(viewer: Viewer) -> Any:
    from agencies.models import Team

    return Team.objects.get(name="Matrix task force")


AGENCIES: list[Endpoint] = [
    Endpoint("agencies page", "GET", lambda v: "/agencies/", lambda v: 200),
    Endpoint(
        "agency page (the owner)", "GET", lambda v: f"/agencies/{v.world.owner.pk}/", lambda v: 200
    ),
    Endpoint("trust matrix", "GET", lambda v: "/agencies/trust/", _only_platform_admins),
    Endpoint("people page", "GET", lambda v: "/agencies/people/", _people_admins),
    Endpoint(
        "person page (the owner's liaison officer)",
        "GET",
        lambda v: f"/agencies/people/{v.world.owner_liaison.pk}/",
        _owner_liaison_page,
    ),
    Endpoint("teams page", "GET", lambda v: "/agencies/teams/", lambda v: 200),
    Endpoint(
        "team page (the task force)",
        "GET",
        lambda v: f"/agencies/teams/{_world_team(v).pk}/",
        lambda v: 200,
    ),
    Endpoint("account security page", "GET", lambda v: "/accounts/security/", lambda v: 200),
    Endpoint("api agencies", "GET", lambda v: "/api/v1/agencies/", lambda v: 200),
    Endpoint("api users", "GET", lambda v: "/api/v1/users/", lambda v: 200),
    Endpoint(
        "api user (the owner's liaison officer)",
        "GET",
        lambda v: f"/api/v1/users/{v.world.owner_liaison.pk}/",
        _owner_liaison_account,
    ),
    Endpoint("api trust levels", "GET", lambda v: "/api/v1/trust-levels/", lambda v: 200),
    Endpoint("api teams", "GET", lambda v: "/api/v1/teams/", lambda v: 200),
    Endpoint(
        "api team (the task force)",
        "GET",
        lambda v: f"/api/v1/teams/{_world_team(v).pk}/",
        lambda v: 200,
    ),
]


# --- cases and seizure reports (engineer B) ---------------------------------------------------

LEVEL_NAMES = {Level.SUMMARY: "summary", Level.FULL: "full", Level.CONTRIBUTE: "contribute",
               Level.OWNER: "owner"}  # fmt: skip


def _scene_level(viewer: Viewer) -> int:
    """The viewer's level on their scene record (the CLEAR record is FULL for everyone)."""
    return int(levels_on(viewer)[viewer.scene.label])


def _reads_at_its_level(viewer: Viewer, response: Response) -> None:
    if viewer.sees:
        assert response.json()["access_level"] == LEVEL_NAMES[Level(_scene_level(viewer))]
    else:  # the same answer as for an id that exists nowhere
        assert response.json() == {"detail": "No such record."}, response.json()


def _lists_the_scene(kind: str) -> Callable[[Viewer, Response], None]:
    def check(viewer: Viewer, response: Response) -> None:
        record = viewer.scene.case if kind == "case" else viewer.scene.seizure
        ids = {row["id"] for row in response.json()["results"]}
        assert (record.pk in ids) == viewer.sees, (viewer.relation, record.pk, ids)

    return check


def _lists_the_scene_page(viewer: Viewer, response: Response) -> None:
    reference = viewer.scene.case.reference
    assert (reference in response.content.decode()) == viewer.sees, viewer.relation


def _case(viewer: Viewer) -> int:
    return viewer.scene.case.pk


def _seizure(viewer: Viewer) -> int:
    return viewer.scene.seizure.pk


def _attachment(viewer: Viewer) -> int:
    return viewer.scene.extra["attachment"].pk


OWNER_EDITS = by_level(Level.OWNER, below=403)

CASES: list[Endpoint] = [
    Endpoint("api cases list", "GET", lambda v: "/api/v1/cases/?page_size=200", lambda v: 200,
             check=_lists_the_scene("case")),
    Endpoint("api cases detail", "GET", lambda v: f"/api/v1/cases/{_case(v)}/", by_level(),
             check=_reads_at_its_level),
    Endpoint("api cases edit", "PATCH", lambda v: f"/api/v1/cases/{_case(v)}/", OWNER_EDITS,
             data=lambda v: {"summary": "matrix", "version": v.scene.case.version}),
    Endpoint("api case messages", "GET", lambda v: f"/api/v1/cases/{_case(v)}/messages/",
             by_level(Level.CONTRIBUTE)),
    Endpoint("api case message post", "POST", lambda v: f"/api/v1/cases/{_case(v)}/messages/",
             by_level(Level.CONTRIBUTE, ok=201), data=lambda v: {"body": "matrix"}),
    Endpoint("api case attachments", "GET", lambda v: f"/api/v1/cases/{_case(v)}/attachments/",
             by_level(Level.FULL)),
    Endpoint("api seizures list", "GET", lambda v: "/api/v1/seizures/?page_size=200",
             lambda v: 200, check=_lists_the_scene("seizure")),
    Endpoint("api seizures detail", "GET", lambda v: f"/api/v1/seizures/{_seizure(v)}/",
             by_level(), check=_reads_at_its_level),
    Endpoint("api seizures edit", "PATCH", lambda v: f"/api/v1/seizures/{_seizure(v)}/",
             OWNER_EDITS, data=lambda v: {"place": "matrix", "version": v.scene.seizure.version}),
    Endpoint("api seizure attachments", "GET",
             lambda v: f"/api/v1/seizures/{_seizure(v)}/attachments/", by_level(Level.FULL)),
    Endpoint("api attachment detail", "GET", lambda v: f"/api/v1/attachments/{_attachment(v)}/",
             by_level(Level.FULL)),
    Endpoint("api attachment download", "GET",
             lambda v: f"/api/v1/attachments/{_attachment(v)}/download/", by_level(Level.FULL)),
    Endpoint("page cases list", "GET", lambda v: "/cases/", lambda v: 200,
             check=_lists_the_scene_page),
    Endpoint("page seizures list", "GET", lambda v: "/cases/seizures/", lambda v: 200),
    Endpoint("page case", "GET", lambda v: f"/cases/{_case(v)}/", by_level()),
    Endpoint("page case edit", "GET", lambda v: f"/cases/{_case(v)}/edit/", OWNER_EDITS),
    Endpoint("page case message post", "POST", lambda v: f"/cases/{_case(v)}/messages/",
             by_level(Level.CONTRIBUTE, ok=302), data=lambda v: {"body": "matrix"}),
    Endpoint("page seizure", "GET", lambda v: f"/cases/seizures/{_seizure(v)}/", by_level()),
    Endpoint("page seizure edit", "GET", lambda v: f"/cases/seizures/{_seizure(v)}/edit/",
             OWNER_EDITS),
    Endpoint("page attachment download", "GET",
             lambda v: f"/cases/attachments/{_attachment(v)}/download/", by_level(Level.FULL)),
]  # fmt: skip

# --- imports of seizure reports (engineer H) ------------------------------------------------------


def _owner_import(viewer: Viewer) -> int:
    return int(viewer.world.records["amber"].extra["import"].pk)


def _only_the_owner_agency(viewer: Viewer) -> int:
    """An import belongs to its agency: every member of it, whatever the role; 404 for the
    rest (platform admins of other agencies included)."""
    return 200 if viewer.relation == "owner" else 404


def _lists_the_import(viewer: Viewer, response: Response) -> None:
    ids = {row["id"] for row in response.json()["results"]}
    assert (_owner_import(viewer) in ids) == (viewer.relation == "owner"), viewer.relation


IMPORTS: list[Endpoint] = [
    Endpoint("page imports", "GET", lambda v: "/imports/", lambda v: 200),
    Endpoint("page import (the owner's)", "GET", lambda v: f"/imports/{_owner_import(v)}/",
             _only_the_owner_agency),
    Endpoint("page import dry run (the owner's)", "POST",
             lambda v: f"/imports/{_owner_import(v)}/", _only_the_owner_agency,
             data=lambda v: {"check": "1"}),
    Endpoint("api imports list", "GET", lambda v: "/api/v1/imports/", lambda v: 200,
             check=_lists_the_import),
    Endpoint("api import (the owner's)", "GET", lambda v: f"/api/v1/imports/{_owner_import(v)}/",
             _only_the_owner_agency),
]  # fmt: skip


# --- hits (engineer F) ----------------------------------------------------------------------


def _hit(viewer: Viewer, side: str) -> int:
    return int(viewer.world.scenes["owner"].extra["hits"][side].pk)


def _only_side(side: str) -> Expect:
    return lambda v: 200 if v.relation == side else 404


def _follow_up(ok: int) -> Expect:
    def expect(viewer: Viewer) -> int:
        if viewer.relation != "owner":
            return 404
        return ok if viewer.role == "liaison" else 403

    return expect


def _own_hits_only(viewer: Viewer, response: Response) -> None:
    hits = viewer.world.scenes["owner"].extra["hits"]
    mine = {hits[side].pk for side in hits if side == viewer.relation}
    assert {item["id"] for item in response.json()["results"]} == mine, viewer.relation


HITS: list[Endpoint] = [
    Endpoint("api hits list", "GET", lambda v: "/api/v1/hits/", lambda v: 200,
             check=_own_hits_only),
    Endpoint("api hits detail (owner's hit)", "GET", lambda v: f"/api/v1/hits/{_hit(v, 'owner')}/",
             _only_side("owner")),
    Endpoint("api hits detail (stranger's hit)", "GET",
             lambda v: f"/api/v1/hits/{_hit(v, 'stranger')}/", _only_side("stranger")),
    Endpoint("api hits acknowledge", "POST",
             lambda v: f"/api/v1/hits/{_hit(v, 'owner')}/acknowledge/", _follow_up(200)),
    Endpoint("api hits follow-up", "POST",
             lambda v: f"/api/v1/hits/{_hit(v, 'owner')}/follow-up/", _follow_up(200)),
    Endpoint("page hits list", "GET", lambda v: "/hits/", lambda v: 200),
    Endpoint("page hit (owner's hit)", "GET", lambda v: f"/hits/{_hit(v, 'owner')}/",
             _only_side("owner")),
    Endpoint("page hit (stranger's hit)", "GET", lambda v: f"/hits/{_hit(v, 'stranger')}/",
             _only_side("stranger")),
    Endpoint("page hit status", "POST", lambda v: f"/hits/{_hit(v, 'owner')}/status/",
             _follow_up(302), data=lambda v: {"status": "acknowledged"}),
    Endpoint("page hit access request", "POST", lambda v: f"/hits/{_hit(v, 'stranger')}/request/",
             lambda v: 400 if v.relation == "stranger" else 404,
             data=lambda v: {"level": "full", "justification": "matrix"}),
]  # fmt: skip

ENDPOINTS: list[Endpoint] = [
    *SHARING,
    *SHARING_PAGES,
    *NOTIFICATIONS,
    *INSIGHT,
    *AGENCIES,
    *CASES,
    *IMPORTS,
    *HITS,
]

__all__ = ["ENDPOINTS", "Endpoint", "by_level", "request_about"]
