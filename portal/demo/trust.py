"""Trust between the demo agencies, a few teams, and an authenticator for every demo user.

The matrix is deliberately uneven, as it is between real agencies: close partners inside a
country and along the main cocaine routes, basic partners further away, strangers (level 0,
no row) elsewhere, and trust that is not symmetric. One pair was lowered after an incident,
so the history shows a change with its reason.
"""

from __future__ import annotations

from datetime import date

from django.contrib.auth.models import User
from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from agencies import actions
from agencies.models import Agency, Team

# (truster, trusted, level, reason). Pairs not listed stay at 0: only TLP:CLEAR flows.
TRUST: list[tuple[str, str, int, str]] = [
    # Close partners (3): same country, joint units, long operational history.
    ("JCA", "JCF-NIB", 3, "Joint Port Control Unit at Kingston; daily joint operations."),
    ("JCF-NIB", "JCA", 3, "Joint Port Control Unit at Kingston; daily joint operations."),
    ("DIRAN", "DIAN-POLFA", 3, "National counter-narcotics coordination (Colombia)."),
    ("DIAN-POLFA", "DIRAN", 3, "National counter-narcotics coordination (Colombia)."),
    ("DIRAN", "ARC-GC", 3, "Joint maritime interdiction, Pacific and Caribbean coasts."),
    ("ARC-GC", "DIRAN", 3, "Joint maritime interdiction, Pacific and Caribbean coasts."),
    ("DIRAN", "FGN-CO", 3, "Prosecutor leads the investigations DIRAN supports."),
    ("FGN-CO", "DIRAN", 3, "Prosecutor leads the investigations DIRAN supports."),
    # Trusted (2): bilateral memoranda along the Colombia, Central America, Caribbean route.
    ("JCA", "DIRAN", 2, "Bilateral MoU on container targeting (2024)."),
    ("DIRAN", "JCA", 2, "Bilateral MoU on container targeting (2024)."),
    ("DIRAN", "SENAN", 2, "Maritime cooperation agreement, Darién and San Blas."),
    ("SENAN", "DIRAN", 2, "Maritime cooperation agreement, Darién and San Blas."),
    ("SENAN", "UAF-PA", 2, "National coordination (Panama)."),
    ("DNCD", "DIRAN", 2, "Go-fast interdiction cooperation in the Caribbean."),
    ("DIRAN", "DNCD", 2, "Go-fast interdiction cooperation in the Caribbean."),
    ("TTPS-OCNFB", "IMPACS", 2, "CARICOM member; regional intelligence fusion."),
    ("JCA", "IMPACS", 2, "CARICOM member; regional intelligence fusion."),
    ("CUS-EC", "DIRAN", 2, "Container Control Programme partner ports (Guayaquil)."),
    ("DIRAN", "AMERIPOL", 2, "AMERIPOL member."),
    ("SENAN", "NCB-PTY", 2, "Same country; INTERPOL diffusions and notices."),
    # Basic (1): first contacts, working level only.
    ("JCA", "DNCD", 1, "Occasional contact on Caribbean transshipment."),
    ("DNCD", "JCA", 1, "Occasional contact on Caribbean transshipment."),
    ("JCA", "TTPS-OCNFB", 1, "CARICOM partner; working-level contact."),
    ("TTPS-OCNFB", "JCA", 1, "CARICOM partner; working-level contact."),
    ("JCA", "SENAN", 1, "Panama transshipment hub; working-level contact."),
    ("DIRAN", "CUS-EC", 1, "Working-level contact through the CCP."),
    ("SENAD", "DIRAN", 1, "Cocaine base routes through Paraguay; first contacts."),
    ("IMPACS", "JCA", 1, "Regional body; aggregated reporting."),
    ("AMERIPOL", "DIRAN", 1, "Regional body; aggregated reporting."),
    # DIRAN trusts DNCD; SENAN's trust in DNCD was lowered after an incident (see history).
    ("SENAN", "DNCD", 2, "Joint Caribbean patrols."),
]
LOWERED = ("SENAN", "DNCD", 1, "Unauthorised onward dissemination under review (demo).")

TEAMS: list[dict[str, object]] = [
    {
        "name": "Kingston Port Control Unit",
        "purpose": (
            "Joint customs-police unit profiling and inspecting containers at Kingston "
            "Container Terminal (UNODC-WCO Container Control Programme model)."
        ),
        "agencies": ["JCA", "JCF-NIB"],
        "users": [],
        "managing_agency": "JCA",
        "active_from": date(2024, 3, 1),
        "active_until": None,
    },
    {
        "name": "Tocumen Joint Airport Interdiction Task Force",
        "purpose": (
            "AIRCOP-style task force at Tocumen International Airport: passenger and air "
            "cargo profiling, couriers, and real-time exchange with INTERPOL."
        ),
        "agencies": ["SENAN", "NCB-PTY"],
        "users": ["fiona.analista"],
        "managing_agency": None,
        "active_from": date(2025, 1, 15),
        "active_until": None,
    },
    {
        "name": "Operation Mar Abierto (demo)",
        "purpose": (
            "Time-bound multi-agency operation against go-fast and semi-submersible "
            "shipments from the Colombian Pacific and Caribbean coasts to the Caribbean."
        ),
        "agencies": ["DIRAN", "ARC-GC"],
        "users": ["leo.liaison", "paula.enlace", "tara.liaison"],
        "managing_agency": None,
        "active_from": date(2026, 1, 1),
        "active_until": date(2026, 12, 31),
    },
]


@transaction.atomic
def load(password: str) -> None:
    admin = User.objects.get(username="admin")
    by_acronym = {agency.acronym: agency for agency in Agency.objects.all()}
    for src, dst, level, reason in TRUST:
        if src in by_acronym and dst in by_acronym:
            actions.set_trust_level(admin, by_acronym[src], by_acronym[dst], level, reason)
    src, dst, level, reason = LOWERED
    actions.set_trust_level(admin, by_acronym[src], by_acronym[dst], level, reason)
    for spec in TEAMS:
        if Team.objects.filter(name=spec["name"]).exists():
            continue
        actions.create_team(
            admin,
            name=str(spec["name"]),
            purpose=str(spec["purpose"]),
            agencies=[by_acronym[a] for a in spec["agencies"]],  # type: ignore[attr-defined]
            users=list(User.objects.filter(username__in=spec["users"])),  # type: ignore[misc]
            managing_agency=by_acronym.get(str(spec["managing_agency"])),
            active_from=spec["active_from"],  # type: ignore[arg-type]
            active_until=spec["active_until"],  # type: ignore[arg-type]
        )
    # Demo users pass the second factor without a phone: `manage.py demo_otp USERNAME`.
    for user in User.objects.filter(membership__isnull=False):
        if not TOTPDevice.objects.filter(user=user, confirmed=True).exists():
            TOTPDevice.objects.create(user=user, name="demo", confirmed=True)
