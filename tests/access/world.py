"""The world of the access matrix: one owner agency, and one agency per relation to its records.

Every relation is made the way the product makes it (offers approved by a second liaison
officer, revocation, expiry, suspension through ``sharing.actions``), not by writing rows.

Roles are the four kinds of people: ``analyst``, ``liaison``, ``agency_admin`` and
``platform_admin``. A platform admin is modelled as a staff member (``is_staff``) of the
agency under test, which proves that staff status opens nothing by itself (DESIGN §2: platform
admins follow the same rules).

Sentinels: the records carry recognisable strings (title, person's name, file name). A viewer
who may not see a record must never find its title or reference in any response; a viewer
below ``full`` must never find its personal data or evidence file names.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.contrib.auth.models import User
from django.utils import timezone

from agencies.models import Agency, Membership, Role
from cases.models import Case, SeizureReport
from sharing import actions
from sharing.models import Grant, Level, ShareRequest
from tests import factories

ROLES = ("analyst", "liaison", "agency_admin", "platform_admin")

# relation -> the level a member of the related agency has on the relation's record
RELATIONS: dict[str, int] = {
    "owner": Level.OWNER,
    "granted_summary": Level.SUMMARY,
    "granted_full": Level.FULL,
    "granted_contribute": Level.CONTRIBUTE,
    "team_member": Level.FULL,
    "named_user": Level.FULL,
    "expired": Level.NONE,
    "lapsed": Level.NONE,  # past its expiry, before the expiry task ran
    "revoked": Level.NONE,
    "suspended": Level.NONE,
    "stranger": Level.NONE,
    "clear_visible": Level.FULL,
}

PERSON_SENTINEL = "Zebulon Quixote-Marchetti"
FILE_SENTINEL = "manifest-zq-7731.pdf"
TITLE_SENTINEL = "Operation Ptarmigan"

_seq = itertools.count(1)


@dataclass
class Scene:
    """The records one relation is about."""

    case: Case
    seizure: SeizureReport
    label: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass
class Viewer:
    role: str
    relation: str
    user: User
    agency: Agency
    scene: Scene
    world: World

    @property
    def level(self) -> int:
        return RELATIONS[self.relation]

    @property
    def sees(self) -> bool:
        return self.level >= Level.SUMMARY

    def __str__(self) -> str:
        return f"{self.role}/{self.relation}"


@dataclass
class World:
    owner: Agency
    owner_liaison: User
    owner_liaison2: User
    scenes: dict[str, Scene]
    people: dict[tuple[str, str], User]
    agencies: dict[str, Agency]
    records: dict[str, Scene] = field(default_factory=dict)

    def viewer(self, role: str, relation: str) -> Viewer:
        agency = self.agencies[relation]
        return Viewer(
            role=role,
            relation=relation,
            user=self.people[(role, relation)],
            agency=agency,
            scene=self.scenes[relation],
            world=self,
        )


def _person(agency: Agency, role: str, relation: str) -> User:
    """A member without a usable password: the matrix signs people in with force_login."""
    username = f"{relation}-{role}-{next(_seq)}"[:150]
    user = User.objects.create(
        username=username, email=f"{username}@example.org", is_staff=role == "platform_admin"
    )
    user.set_unusable_password()
    user.save(update_fields=["password"])
    Membership.objects.create(
        user=user,
        agency=agency,
        role=Role.AGENCY_ADMIN if role == "platform_admin" else role,
    )
    user.groups.add(agency.group)
    return user


def _records(owner: Agency, by: User, tlp: str, label: str) -> Scene:
    from cases.models import Attachment, CaseMessage, Person

    case = factories.case(owner, by=by, tlp=tlp, title=f"{TITLE_SENTINEL} {label}")
    seizure = factories.seizure(owner, case=case, tlp=tlp, place=f"Pier {label}")
    Person.objects.create(seizure=seizure, full_name=f"{PERSON_SENTINEL} {label}", role="suspect")
    CaseMessage.objects.create(case=case, author=by, agency=owner, body=f"Note on {label}")
    from django.core.files.uploadedfile import SimpleUploadedFile

    from cases import attachments

    stored = attachments.store(
        SimpleUploadedFile(f"{label}-{FILE_SENTINEL}", b"%PDF-1.7\nmatrix evidence\n")
    )
    attachment = Attachment.objects.create(
        case=case,
        agency=owner,
        uploaded_by=by,
        filename=stored.filename,
        content_type=stored.content_type,
        size=stored.size,
        sha256=stored.sha256,
        storage_name=stored.storage_name,
        key_id=stored.key_id,
    )
    return Scene(case=case, seizure=seizure, label=label, extra={"attachment": attachment})


def build() -> World:
    owner = factories.agency("OWNER", country="JM", kind="customs")
    agencies: dict[str, Agency] = {"owner": owner}
    people: dict[tuple[str, str], User] = {}
    for role in ROLES:
        people[(role, "owner")] = _person(owner, role, "owner")
    owner_liaison = people[("liaison", "owner")]
    owner_liaison2 = _person(owner, "liaison", "owner2")

    for index, relation in enumerate(r for r in RELATIONS if r != "owner"):
        agency = factories.agency(f"R{index:02d}", country="CO", kind="police")
        agencies[relation] = agency
        for role in ROLES:
            people[(role, relation)] = _person(agency, role, relation)
        factories.trust(owner, agency, 3 if relation == "named_user" else 2)

    amber = _records(owner, people[("analyst", "owner")], "AMBER", "amber")
    red = _records(owner, people[("analyst", "owner")], "RED", "red")
    clear = _records(owner, people[("analyst", "owner")], "CLEAR", "clear")
    scenes = {relation: amber for relation in RELATIONS}
    scenes["named_user"] = red
    scenes["clear_visible"] = clear

    def share(record: Any, level: int, **recipients: Any) -> list[Grant]:
        offered = actions.offer(
            owner_liaison, record, level=level, justification="matrix", **recipients
        )
        return actions.approve(owner_liaison2, offered, note="matrix")

    share(amber.case, Level.SUMMARY, recipient_agency=agencies["granted_summary"])
    share(amber.case, Level.FULL, recipient_agency=agencies["granted_full"])
    share(amber.case, Level.CONTRIBUTE, recipient_agency=agencies["granted_contribute"])
    team = factories.team("Matrix task force", agencies=[agencies["team_member"]])
    share(amber.case, Level.FULL, recipient_team=team)
    share(
        red.case,
        Level.FULL,
        recipient_users=[people[(role, "named_user")] for role in ROLES],
    )

    past = timezone.now() - timedelta(minutes=1)
    (expired,) = share(amber.case, Level.FULL, recipient_agency=agencies["expired"])
    _move_expiry(expired, past)
    actions.expire_due_grants()
    # ``lapsed``: its expiry passed but the expiry task has not run yet (row still there)
    (lapsed,) = share(amber.case, Level.FULL, recipient_agency=agencies["lapsed"])
    _move_expiry(lapsed, past)

    (revoked,) = share(amber.case, Level.FULL, recipient_agency=agencies["revoked"])
    actions.revoke(owner_liaison, revoked, reason="matrix")

    share(amber.case, Level.FULL, recipient_agency=agencies["suspended"])
    factories.trust(owner, agencies["suspended"], 1)
    actions.suspend_above_trust(owner, agencies["suspended"], 1, reason="trust lowered")

    # a pending request from each related agency, about its scene's case, where it can ask
    for relation in ("granted_summary", "granted_full", "team_member", "clear_visible"):
        viewer = people[("analyst", relation)]
        scene = scenes[relation]
        level = Level.CONTRIBUTE
        scene.extra.setdefault("requests", {})[relation] = actions.request_access(
            viewer, scene.case, level=level, justification="matrix"
        )
    scenes["owner"].extra["offer"] = actions.offer(
        owner_liaison,
        amber.case,
        level=Level.SUMMARY,
        justification="matrix",
        recipient_agency=agencies["stranger"],
    )
    # an import in progress, by the owner agency (its file named after the RED record)
    from django.core.files.uploadedfile import SimpleUploadedFile

    from imports import actions as imports

    table = "Fecha,País,Modo de transporte\n02/03/2026,JM,contenedor\n".encode()
    amber.extra["import"] = imports.upload(
        people[("analyst", "owner")],
        SimpleUploadedFile(f"{TITLE_SENTINEL} red.csv", table, "text/csv"),
    )
    scenes["owner"].extra["hits"] = _hits(amber, agencies["stranger"], people)
    # Notifications as the worker would have delivered them (see tests/notifications/helpers).
    from tests.notifications.helpers import deliver_world

    deliver_world(red.case, list(agencies.values()))
    return World(
        owner=owner,
        owner_liaison=owner_liaison,
        owner_liaison2=owner_liaison2,
        scenes=scenes,
        people=people,
        agencies=agencies,
        records={"amber": amber, "red": red, "clear": clear},
    )


def _hits(amber: Scene, stranger: Agency, people: dict[tuple[str, str], User]) -> dict[str, Any]:
    """A deconfliction hit each way: the stranger agency records the amber report's container.
    ``owner``: the owner's hit (about the amber report); ``stranger``: the stranger's."""
    from cases.identifiers import index_identifiers
    from cases.models import Container
    from hits.matching import match_record
    from hits.models import Hit

    Container.objects.create(seizure=amber.seizure, number="CSQU3054383")
    index_identifiers(amber.seizure)
    theirs = factories.seizure(stranger, tlp="AMBER", place="Stranger pier", country="CO")
    Container.objects.create(seizure=theirs, number="CSQU3054383")
    index_identifiers(theirs)
    match_record(theirs, actor=people[("analyst", "stranger")])
    return {
        "owner": Hit.objects.get(our_seizure=amber.seizure),
        "stranger": Hit.objects.get(our_seizure=theirs),
    }


def _move_expiry(grant: Grant, when: Any) -> None:
    """Time passes: the grant (and its access row) now ends at ``when``."""
    from sharing.models import CaseGroupAccess

    Grant.objects.filter(pk=grant.pk).update(expires_at=when)
    CaseGroupAccess.objects.filter(grant=grant).update(expires_at=when)


def request_about(viewer: Viewer) -> ShareRequest | None:
    """A share request the viewer's agency is party to, about the viewer's scene record."""
    if viewer.relation == "owner":
        offer: ShareRequest = viewer.scene.extra["offer"]
        return offer
    requests: dict[str, ShareRequest] = viewer.scene.extra.get("requests", {})
    return requests.get(viewer.relation)


def levels_on(viewer: Viewer) -> dict[str, int]:
    """The viewer's level on each record of the world ("amber", "red", "clear")."""
    if viewer.relation == "owner":
        return {label: Level.OWNER for label in viewer.world.records}
    return {
        "amber": viewer.level if viewer.scene.label == "amber" else Level.NONE,
        "red": viewer.level if viewer.scene.label == "red" else Level.NONE,
        "clear": max(Level.FULL, viewer.level) if viewer.scene.label == "clear" else Level.FULL,
    }


def sentinels(world: World, label: str) -> dict[str, str]:
    """Strings of a record that only some readers may find in a response."""
    scene = world.records[label]
    return {
        "title": f"{TITLE_SENTINEL} {label}",
        "reference": scene.case.reference,
        "seizure_reference": scene.seizure.reference,
        "person": f"{PERSON_SENTINEL} {label}",
        "file": f"{label}-{FILE_SENTINEL}",
    }
