"""Controlled lists of a seizure report: substances and their units, currencies, firearm types.

The substance list follows the groups UNODC uses in its individual drug seizure reports and
the precursor tables of the 1988 Convention (Table I and II) that matter for cocaine,
amphetamine-type stimulants and fentanyl in the region. Each substance names the units it may
be counted in; quantities are normalised to kilograms, litres or units for statistics.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class Dimension(StrEnum):
    MASS = "mass"
    VOLUME = "volume"
    COUNT = "count"


# The normalised unit of each dimension.
NORMALISED_UNIT: dict[Dimension, str] = {
    Dimension.MASS: "kg",
    Dimension.VOLUME: "l",
    Dimension.COUNT: "units",
}


@dataclass(frozen=True)
class Unit:
    code: str
    label: Promise | str
    dimension: Dimension
    factor: Decimal  # one of this unit in the normalised unit of its dimension


UNITS: dict[str, Unit] = {
    unit.code: unit
    for unit in [
        Unit("mg", _("milligrams"), Dimension.MASS, Decimal("0.000001")),
        Unit("g", _("grams"), Dimension.MASS, Decimal("0.001")),
        Unit("kg", _("kilograms"), Dimension.MASS, Decimal("1")),
        Unit("t", _("tonnes"), Dimension.MASS, Decimal("1000")),
        Unit("lb", _("pounds"), Dimension.MASS, Decimal("0.45359237")),
        Unit("oz", _("ounces"), Dimension.MASS, Decimal("0.028349523125")),
        Unit("ml", _("millilitres"), Dimension.VOLUME, Decimal("0.001")),
        Unit("l", _("litres"), Dimension.VOLUME, Decimal("1")),
        Unit("gal", _("US gallons"), Dimension.VOLUME, Decimal("3.785411784")),
        Unit("m3", _("cubic metres"), Dimension.VOLUME, Decimal("1000")),
        Unit("units", _("units"), Dimension.COUNT, Decimal("1")),
        Unit("tablets", _("tablets"), Dimension.COUNT, Decimal("1")),
        Unit("plants", _("plants"), Dimension.COUNT, Decimal("1")),
        Unit("doses", _("doses / blotters"), Dimension.COUNT, Decimal("1")),
    ]
}

MASS = ("kg", "g", "mg", "t", "lb", "oz")
VOLUME = ("l", "ml", "gal", "m3")
TABLETS = ("tablets", "units")


class Group(StrEnum):
    DRUG = "drug"
    PRECURSOR = "precursor"


@dataclass(frozen=True)
class Substance:
    code: str
    label: Promise | str
    group: Group
    units: tuple[str, ...]  # allowed units, the usual one first


SUBSTANCES: dict[str, Substance] = {
    s.code: s
    for s in [
        # Drugs
        Substance("cocaine_hcl", _("Cocaine hydrochloride"), Group.DRUG, MASS),
        Substance("cocaine_base", _("Cocaine base / paste"), Group.DRUG, MASS),
        Substance("crack", _("Crack cocaine"), Group.DRUG, MASS),
        Substance("cocaine_liquid", _("Cocaine in liquid solution"), Group.DRUG, (*VOLUME, *MASS)),
        Substance("cannabis_herb", _("Cannabis herb"), Group.DRUG, MASS),
        Substance("cannabis_resin", _("Cannabis resin"), Group.DRUG, MASS),
        Substance("cannabis_plants", _("Cannabis plants"), Group.DRUG, ("plants",)),
        Substance("cannabis_oil", _("Cannabis oil"), Group.DRUG, (*VOLUME, *MASS)),
        Substance("heroin", _("Heroin"), Group.DRUG, MASS),
        Substance("opium", _("Opium"), Group.DRUG, MASS),
        Substance("morphine", _("Morphine"), Group.DRUG, MASS),
        Substance("fentanyl", _("Fentanyl"), Group.DRUG, (*MASS, *TABLETS)),
        Substance(
            "fentanyl_analogue",
            _("Fentanyl analogues (carfentanil, acetylfentanyl, …)"),
            Group.DRUG,
            (*MASS, *TABLETS),
        ),
        Substance("methamphetamine", _("Methamphetamine"), Group.DRUG, (*MASS, *TABLETS)),
        Substance("amphetamine", _("Amphetamine (incl. captagon)"), Group.DRUG, (*MASS, *TABLETS)),
        Substance("mdma", _("MDMA (ecstasy)"), Group.DRUG, (*TABLETS, *MASS)),
        Substance("ketamine", _("Ketamine"), Group.DRUG, (*MASS, *VOLUME)),
        Substance("lsd", _("LSD"), Group.DRUG, ("doses", "units")),
        Substance("tusi", _("“Tusi” / pink cocaine mixtures"), Group.DRUG, MASS),
        Substance("tramadol", _("Tramadol"), Group.DRUG, (*TABLETS, *MASS)),
        Substance("nps", _("New psychoactive substances"), Group.DRUG, (*MASS, *TABLETS, *VOLUME)),
        Substance("other_drug", _("Other drug"), Group.DRUG, (*MASS, *TABLETS, *VOLUME)),
        # Precursor chemicals
        Substance("potassium_permanganate", _("Potassium permanganate"), Group.PRECURSOR, MASS),
        Substance("acetic_anhydride", _("Acetic anhydride"), Group.PRECURSOR, (*VOLUME, *MASS)),
        Substance("ephedrine", _("Ephedrine"), Group.PRECURSOR, (*MASS, *TABLETS)),
        Substance("pseudoephedrine", _("Pseudoephedrine"), Group.PRECURSOR, (*MASS, *TABLETS)),
        Substance("p2p", _("P-2-P (1-phenyl-2-propanone)"), Group.PRECURSOR, (*VOLUME, *MASS)),
        Substance("apaa", _("APAA / APAAN (P-2-P pre-precursors)"), Group.PRECURSOR, MASS),
        Substance(
            "mdp2p", _("3,4-MDP-2-P (PMK) and glycidates"), Group.PRECURSOR, (*VOLUME, *MASS)
        ),
        Substance(
            "safrole", _("Safrole (and safrole-rich oils)"), Group.PRECURSOR, (*VOLUME, *MASS)
        ),
        Substance("isosafrole", _("Isosafrole"), Group.PRECURSOR, (*VOLUME, *MASS)),
        Substance("piperonal", _("Piperonal"), Group.PRECURSOR, MASS),
        Substance("npp", _("NPP (N-phenethyl-4-piperidone)"), Group.PRECURSOR, MASS),
        Substance("anpp", _("4-ANPP"), Group.PRECURSOR, MASS),
        Substance("four_ap", _("4-AP (4-anilinopiperidine) and Boc-4-AP"), Group.PRECURSOR, MASS),
        Substance("methylamine", _("Methylamine"), Group.PRECURSOR, (*VOLUME, *MASS)),
        Substance("sulphuric_acid", _("Sulphuric acid"), Group.PRECURSOR, (*VOLUME, *MASS)),
        Substance("hydrochloric_acid", _("Hydrochloric acid"), Group.PRECURSOR, (*VOLUME, *MASS)),
        Substance("acetone", _("Acetone"), Group.PRECURSOR, (*VOLUME, *MASS)),
        Substance("toluene", _("Toluene"), Group.PRECURSOR, (*VOLUME, *MASS)),
        Substance("mek", _("Methyl ethyl ketone (MEK)"), Group.PRECURSOR, (*VOLUME, *MASS)),
        Substance("ethyl_ether", _("Ethyl ether"), Group.PRECURSOR, (*VOLUME, *MASS)),
        Substance(
            "other_precursor", _("Other precursor chemical"), Group.PRECURSOR, (*VOLUME, *MASS)
        ),
    ]
}


def substances_of(group: Group) -> list[Substance]:
    return [s for s in SUBSTANCES.values() if s.group == group]


def substance_choices(group: Group | None = None) -> list[tuple[str, Promise | str]]:
    return [(s.code, s.label) for s in SUBSTANCES.values() if group is None or s.group == group]


def unit_choices(substance: str | None = None) -> list[tuple[str, Promise | str]]:
    known = SUBSTANCES.get(substance or "")
    codes = known.units if known else tuple(UNITS)
    return [(code, UNITS[code].label) for code in codes]


SUBSTANCE_CHOICES: list[tuple[str, Promise | str]] = substance_choices()
UNIT_CHOICES: list[tuple[str, Promise | str]] = [(code, unit.label) for code, unit in UNITS.items()]


class FirearmType(StrEnum):
    PISTOL = "pistol"
    REVOLVER = "revolver"
    RIFLE = "rifle"
    ASSAULT_RIFLE = "assault_rifle"
    SHOTGUN = "shotgun"
    SUBMACHINE_GUN = "submachine_gun"
    MACHINE_GUN = "machine_gun"
    SNIPER_RIFLE = "sniper_rifle"
    GRENADE_LAUNCHER = "grenade_launcher"
    PRIVATELY_MADE = "privately_made"
    OTHER = "other"


FIREARM_TYPES: dict[str, Promise | str] = {
    FirearmType.PISTOL: _("Pistol"),
    FirearmType.REVOLVER: _("Revolver"),
    FirearmType.RIFLE: _("Rifle"),
    FirearmType.ASSAULT_RIFLE: _("Assault rifle"),
    FirearmType.SHOTGUN: _("Shotgun"),
    FirearmType.SUBMACHINE_GUN: _("Submachine gun"),
    FirearmType.MACHINE_GUN: _("Machine gun"),
    FirearmType.SNIPER_RIFLE: _("Sniper / anti-materiel rifle"),
    FirearmType.GRENADE_LAUNCHER: _("Grenade launcher"),
    FirearmType.PRIVATELY_MADE: _("Privately made firearm (“ghost gun”)"),
    FirearmType.OTHER: _("Other"),
}

# Make names written several ways, so "S&W 1234" and "Smith & Wesson 1234" match.
FIREARM_MAKE_ALIASES: dict[str, str] = {
    "sw": "smithwesson",
    "smithandwesson": "smithwesson",
    "smithwessoninc": "smithwesson",
    "sturmruger": "ruger",
    "sturmrugerco": "ruger",
    "sig": "sigsauer",
    "sigarms": "sigsauer",
    "hk": "hecklerkoch",
    "hecklerandkoch": "hecklerkoch",
    "fn": "fnherstal",
    "fnh": "fnherstal",
    "fabriquenationale": "fnherstal",
    "colts": "colt",
    "coltsmanufacturing": "colt",
    "glockgesmbh": "glock",
    "glockgmbh": "glock",
    "glockinc": "glock",
    "izhmash": "kalashnikov",
    "kalashnikovconcern": "kalashnikov",
    "forjastaurus": "taurus",
    "taurusarmas": "taurus",
    "pietroberetta": "beretta",
    "berettausa": "beretta",
    "springfield": "springfieldarmory",
    "norinco": "norinco",
}

# ISO 4217 currencies in circulation (funds and precious-metal codes left out).
CURRENCIES: frozenset[str] = frozenset(
    """
    AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB BRL BSD BTN
    BWP BYN BZD CAD CDF CHF CLP CNY COP CRC CUP CVE CZK DJF DKK DOP DZD EGP ERN ETB EUR FJD
    FKP GBP GEL GHS GIP GMD GNF GTQ GYD HKD HNL HTG HUF IDR ILS INR IQD IRR ISK JMD JOD JPY
    KES KGS KHR KMF KPW KRW KWD KYD KZT LAK LBP LKR LRD LSL LYD MAD MDL MGA MKD MMK MNT MOP
    MRU MUR MVR MWK MXN MYR MZN NAD NGN NIO NOK NPR NZD OMR PAB PEN PGK PHP PKR PLN PYG QAR
    RON RSD RUB RWF SAR SBD SCR SDG SEK SGD SHP SLE SOS SRD SSP STN SVC SYP SZL THB TJS TMT
    TND TOP TRY TTD TWD TZS UAH UGX USD UYU UZS VED VES VND VUV WST XAF XCD XCG XOF XPF YER
    ZAR ZMW ZWG
    """.split()  # noqa: SIM905 - a table reads better than a 160-item literal
)

FIREARM_TYPE_CHOICES: list[tuple[str, Promise | str]] = [
    (str(code), label) for code, label in FIREARM_TYPES.items()
]
