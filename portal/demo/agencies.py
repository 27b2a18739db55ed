"""Agencies of the demo region and a user for every role in several of them."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.db import transaction

from agencies.models import Agency, Membership, Role

# (acronym, name, kind, country, parent acronym)
AGENCIES: list[tuple[str, str, str, str, str | None]] = [
    ("ENLACE", "Enlace platform operator", Agency.Kind.OPERATOR, "PA", None),
    (
        "JCA",
        "Jamaica Customs Agency — Contraband Enforcement Team",
        Agency.Kind.CUSTOMS,
        "JM",
        None,
    ),
    ("JCF-NIB", "Jamaica Constabulary Force — Narcotics Division", Agency.Kind.POLICE, "JM", None),
    (
        "DIRAN",
        "Policía Nacional de Colombia — Dirección de Antinarcóticos",
        Agency.Kind.POLICE,
        "CO",
        None,
    ),
    ("DIAN-POLFA", "DIAN — Policía Fiscal y Aduanera", Agency.Kind.CUSTOMS, "CO", None),
    ("ARC-GC", "Armada de Colombia — Guardacostas", Agency.Kind.COAST_GUARD, "CO", None),
    ("SENAD", "Secretaría Nacional Antidrogas", Agency.Kind.DRUG_CONTROL, "PY", None),
    ("UAF-PA", "Unidad de Análisis Financiero de Panamá", Agency.Kind.FIU, "PA", None),
    ("SENAN", "Servicio Nacional Aeronaval de Panamá", Agency.Kind.COAST_GUARD, "PA", None),
    ("DNCD", "Dirección Nacional de Control de Drogas", Agency.Kind.DRUG_CONTROL, "DO", None),
    (
        "TTPS-OCNFB",
        "Trinidad and Tobago Police — Organised Crime, Narcotics and Firearms Bureau",
        Agency.Kind.POLICE,
        "TT",
        None,
    ),
    (
        "CUS-EC",
        "Servicio Nacional de Aduana del Ecuador — Vigilancia Aduanera",
        Agency.Kind.CUSTOMS,
        "EC",
        None,
    ),
    (
        "FGN-CO",
        "Fiscalía General de la Nación — Dirección contra el Narcotráfico",
        Agency.Kind.PROSECUTOR,
        "CO",
        None,
    ),
    (
        "IMPACS",
        "CARICOM Implementation Agency for Crime and Security (demo)",
        Agency.Kind.REGIONAL,
        "TT",
        None,
    ),
    ("AMERIPOL", "Comunidad de Policías de América (demo)", Agency.Kind.REGIONAL, "CO", None),
    (
        "NCB-PTY",
        "INTERPOL National Central Bureau Panama (demo)",
        Agency.Kind.INTERNATIONAL,
        "PA",
        None,
    ),
]

# Who signs in: (username, agency acronym, role). Passwords: see demo_signins.
PEOPLE: list[tuple[str, str, str]] = [
    ("admin", "ENLACE", "platform_admin"),
    ("ana.analyst", "JCA", Role.ANALYST),
    ("leo.liaison", "JCA", Role.LIAISON),
    ("lia.liaison", "JCA", Role.LIAISON),
    ("ada.admin", "JCA", Role.AGENCY_ADMIN),
    ("carlos.analista", "DIRAN", Role.ANALYST),
    ("lucia.enlace", "DIRAN", Role.LIAISON),
    ("andres.enlace", "DIRAN", Role.LIAISON),
    ("diana.admin", "DIRAN", Role.AGENCY_ADMIN),
    ("marcos.analista", "SENAN", Role.ANALYST),
    ("sofia.enlace", "SENAN", Role.LIAISON),
    ("rita.analyst", "IMPACS", Role.ANALYST),
    ("ravi.liaison", "IMPACS", Role.LIAISON),
    ("pedro.analista", "DNCD", Role.ANALYST),
    ("paula.enlace", "DNCD", Role.LIAISON),
    ("tom.analyst", "TTPS-OCNFB", Role.ANALYST),
    ("tara.liaison", "TTPS-OCNFB", Role.LIAISON),
    ("elena.analista", "CUS-EC", Role.ANALYST),
    ("ernesto.enlace", "CUS-EC", Role.LIAISON),
    ("gabriel.enlace", "AMERIPOL", Role.LIAISON),
    ("fiona.analista", "UAF-PA", Role.ANALYST),
]


@transaction.atomic
def load(password: str) -> None:
    by_acronym: dict[str, Agency] = {}
    for acronym, name, kind, country, parent in AGENCIES:
        agency, _ = Agency.objects.get_or_create(
            acronym=acronym,
            defaults={
                "name": name,
                "kind": kind,
                "country": country,
                "parent": by_acronym.get(parent) if parent else None,
                "liaison_email": f"liaison@{acronym.lower()}.demo.invalid",
            },
        )
        by_acronym[acronym] = agency
    for username, acronym, role in PEOPLE:
        if User.objects.filter(username=username).exists():
            continue
        platform_admin = role == "platform_admin"
        user = User.objects.create_user(
            username=username,
            password=password,
            email=f"{username}@{acronym.lower()}.demo.invalid",
            is_staff=platform_admin,
        )
        agency = by_acronym[acronym]
        Membership.objects.create(
            user=user,
            agency=agency,
            role=Role.AGENCY_ADMIN if platform_admin else role,
            language="es" if agency.country not in {"JM", "TT"} else "en",
        )
        user.groups.add(agency.group)
