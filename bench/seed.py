"""A synthetic region at scale, loaded with COPY (``manage.py seed_scale``).

Default size (``--scale 1``): 60 agencies, 2,000,000 cases, 1,600,000 seizure reports holding
4,000,000 seizure items, 3,000,000 active grants (one ``Grant`` row and one guardian direct-FK
access row each, with the real permission ids), of which one regional body receives 400,000,
and 5,000,000 blind-indexed identifiers. Everything is deterministic for a given ``--seed``.

How it stays fast: the secondary indexes, unique/primary keys and foreign keys of the big
tables are dropped (their definitions kept in ``bench_seed_state`` so a crash loses nothing),
each table is loaded with one ``COPY ... FREEZE`` streamed from Python, then the keys and
indexes are rebuilt (parallel maintenance workers, 1 GB ``maintenance_work_mem`` for this
session only), sequences are moved past the loaded ids, and the tables are VACUUM ANALYZEd.

A marker row in ``bench_seed_state`` records the plan; a second run with the same plan does
nothing, so ``make bench`` reuses the seeded database. It refuses to touch a database that
holds records it did not make.
"""

from __future__ import annotations

import hashlib
import hmac
import io
import json
import random
import time
from array import array
from bisect import bisect
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group, Permission, User
from django.db import connection, models, transaction
from django.utils import timezone
from rest_framework.authtoken.models import Token

from agencies.models import Agency, Membership, Role, Team, TrustLevel
from cases.models import Case, Identifier, SeizureItem, SeizureReport
from portal.crypto import blind_index
from sharing.models import (
    CASE_PERMISSION,
    SEIZURE_PERMISSION,
    CaseGroupAccess,
    CaseUserAccess,
    Grant,
    SeizureCaseGroupAccess,
    SeizureCaseUserAccess,
    SeizureGroupAccess,
)

FORMAT = 3  # bump whenever the generated data changes shape: the marker then asks for a reseed
STATE_TABLE = "bench_seed_state"

# The tables loaded with COPY: their keys, indexes and foreign keys are rebuilt after loading.
BIG_MODELS: list[type[models.Model]] = [
    Case,
    SeizureReport,
    SeizureItem,
    Identifier,
    Grant,
    CaseGroupAccess,
    CaseUserAccess,
    SeizureGroupAccess,
    SeizureCaseGroupAccess,
    SeizureCaseUserAccess,
]
# The database's triggers that keep the reports a case grant reaches (sharing/migrations/0002):
# off while loading (row by row they would cost hours), then one refill writes the same rows.
REACH_TRIGGERS = [
    ("cases_seizurereport", "sharing_seizure_case_reach_insert"),
    ("cases_seizurereport", "sharing_seizure_case_reach_update"),
    ("cases_case", "sharing_case_tlp_reach"),
    ("sharing_casegroupaccess", "sharing_case_group_access_reach"),
    ("sharing_caseuseraccess", "sharing_case_user_access_reach"),
]
# Emptied (with everything that refers to them) before a load.
WIPED_MODELS: list[type[models.Model]] = [Agency, Group, User, Team, *BIG_MODELS]

TLPS = ["CLEAR", "GREEN", "AMBER", "AMBER+STRICT", "RED"]
CLEAR, GREEN, AMBER, AMBER_STRICT, RED = range(5)


@dataclass(frozen=True)
class Plan:
    agencies: int = 60
    cases: int = 2_000_000
    seizures: int = 1_600_000
    items: int = 4_000_000
    grants: int = 3_000_000
    heavy_grants: int = 400_000
    identifiers: int = 5_000_000
    seed: int = 2026

    @classmethod
    def at_scale(cls, scale: float, *, agencies: int = 60, seed: int = 2026) -> Plan:
        """The default region multiplied by ``scale`` (agencies stay as given)."""
        if scale <= 0:
            raise ValueError("scale must be positive")
        base = cls()

        def n(value: int, low: int) -> int:
            return max(low, round(value * scale))

        return cls(
            agencies=max(6, agencies),
            cases=n(base.cases, 300),
            seizures=n(base.seizures, 240),
            items=n(base.items, 600),
            grants=n(base.grants, 300),
            heavy_grants=n(base.heavy_grants, 40),
            identifiers=n(base.identifiers, 750),
            seed=seed,
        )

    def describe(self) -> str:
        return (
            f"{self.agencies} agencies, {self.cases:,} cases, {self.seizures:,} seizure reports, "
            f"{self.items:,} seizure items, {self.grants:,} grants "
            f"({self.heavy_grants:,} to the regional body), {self.identifiers:,} identifiers"
        )


@dataclass
class Seeded:
    """What the bench needs to know about a seeded region (kept in the marker row)."""

    plan: dict[str, Any]
    format: int
    key: str
    seeded_at: str
    seconds: float
    users: dict[str, int] = field(default_factory=dict)  # light / median / heavy → user id
    liaisons: dict[str, int] = field(default_factory=dict)  # same agencies' liaison officers


# --- the marker ------------------------------------------------------------------------------


def _ensure_state_table() -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TABLE IF NOT EXISTS {STATE_TABLE} "
            "(name text PRIMARY KEY, value jsonb NOT NULL)"
        )


def _state(name: str) -> Any:
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass(%s)", [STATE_TABLE])
        if cursor.fetchone()[0] is None:
            return None
        cursor.execute(f"SELECT value FROM {STATE_TABLE} WHERE name = %s", [name])
        row = cursor.fetchone()
    if row is None:
        return None
    return json.loads(row[0]) if isinstance(row[0], str) else row[0]


def _set_state(name: str, value: Any) -> None:
    _ensure_state_table()
    with connection.cursor() as cursor:
        if value is None:
            cursor.execute(f"DELETE FROM {STATE_TABLE} WHERE name = %s", [name])
        else:
            cursor.execute(
                f"INSERT INTO {STATE_TABLE} (name, value) VALUES (%s, %s) "
                "ON CONFLICT (name) DO UPDATE SET value = EXCLUDED.value",
                [name, json.dumps(value)],
            )


def key_fingerprint() -> str:
    """Which blind-index key made the digests (identifiers only match under the same key)."""
    return blind_index("fingerprint", "enlace-bench")[:16]


def seeded() -> Seeded | None:
    """The region in this database, if a load finished."""
    value = _state("seeded")
    return Seeded(**value) if value else None


def is_current(plan: Plan) -> bool:
    found = seeded()
    return bool(
        found
        and found.plan == asdict(plan)
        and found.format == FORMAT
        and found.key == key_fingerprint()
    )


def refuse_foreign_data() -> None:
    """Never wipe a database that holds records seed_scale did not make."""
    if _state("seeded") is not None or _state("saved_ddl") is not None:
        return
    if Case.objects.exists() or Agency.objects.exists():
        raise RuntimeError(
            "This database holds agencies or cases that seed_scale did not make; "
            "seed a dedicated database (make bench uses enlace_bench)."
        )


# --- COPY plumbing ---------------------------------------------------------------------------


class _Stream(io.RawIOBase):
    """A readable byte stream over an iterator of text chunks, for ``copy_expert``."""

    def __init__(self, chunks: Iterator[str]) -> None:
        self._chunks = chunks
        self._buffer = b""

    def readable(self) -> bool:
        return True

    def readinto(self, target: Any) -> int:
        while not self._buffer:
            try:
                self._buffer = next(self._chunks).encode()
            except StopIteration:
                return 0
        size = min(len(target), len(self._buffer))
        target[:size] = self._buffer[:size]
        self._buffer = self._buffer[size:]
        return size


def _copy_text(value: Any) -> str:
    if value is None:
        return r"\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, list | tuple):
        return "{" + ",".join(_copy_text(v) for v in value) + "}"
    if isinstance(value, dict):
        value = json.dumps(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    adapted = getattr(value, "adapted", None)  # psycopg2 Json adapter
    if adapted is not None:
        value = json.dumps(adapted)
    text = str(value)
    return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def _defaults(model: type[models.Model], explicit: list[str]) -> tuple[list[str], str]:
    """The columns this loader does not set, and their default values as one COPY suffix.

    New fields added by later migrations are filled with their model default, so the seed keeps
    working as the schema grows; a new NOT NULL field without a default stops it with a clear
    message instead of a half-loaded database."""
    columns: list[str] = []
    values: list[str] = []
    for f in model._meta.concrete_fields:
        if f.column in explicit or f.primary_key:
            continue
        value = f.get_db_prep_save(f.get_default(), connection)
        if value is None and not f.null:
            raise RuntimeError(
                f"seed_scale does not know how to fill {model._meta.db_table}.{f.column} "
                "(NOT NULL, no default): add it to bench/seed.py"
            )
        columns.append(str(f.column))
        values.append(_copy_text(value))
    return columns, ("\t" + "\t".join(values)) if values else ""


def _copy(
    model: type[models.Model],
    explicit: list[str],
    rows: Callable[[str], Iterator[str]],
    log: Callable[[str], None],
) -> None:
    """Load ``model`` with one COPY FREEZE; ``rows(suffix)`` yields chunks of lines."""
    table = model._meta.db_table
    extra, suffix = _defaults(model, explicit)
    columns = ", ".join(f'"{c}"' for c in [*explicit, *extra])
    started = time.monotonic()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f'TRUNCATE "{table}"')
        cursor.copy_expert(
            f'COPY "{table}" ({columns}) FROM STDIN WITH (FREEZE)', _Stream(rows(suffix))
        )
        cursor.execute(f'SELECT count(*) FROM "{table}"')
        loaded = cursor.fetchone()[0]
    log(f"  {table}: {loaded:,} rows in {time.monotonic() - started:.0f}s")


def _chunks(lines: Iterable[str], size: int = 20_000) -> Iterator[str]:
    batch: list[str] = []
    for line in lines:
        batch.append(line)
        if len(batch) >= size:
            yield "\n".join(batch) + "\n"
            batch = []
    if batch:
        yield "\n".join(batch) + "\n"


_DAYS: dict[int, str] = {}


def ts_text(ts: int) -> str:
    """Seconds since the epoch as a PostgreSQL timestamptz literal (fast, UTC)."""
    days, seconds = divmod(ts, 86400)
    day = _DAYS.get(days)
    if day is None:
        day = _DAYS[days] = date.fromordinal(719163 + days).isoformat()
    hours, rest = divmod(seconds, 3600)
    return f"{day} {hours:02d}:{rest // 60:02d}:{rest % 60:02d}+00"


def ts_date(ts: int) -> str:
    return ts_text(ts)[:10]


# --- identifiers (normalised values, deterministic per pool index) --------------------------

IDENTIFIER_KINDS: list[tuple[str, float]] = [
    (Identifier.Kind.CONTAINER, 0.35),
    (Identifier.Kind.PHONE, 0.20),
    (Identifier.Kind.PASSPORT, 0.15),
    (Identifier.Kind.PLATE, 0.10),
    (Identifier.Kind.IMO, 0.05),
    (Identifier.Kind.FIREARM, 0.05),
    (Identifier.Kind.COMPANY, 0.05),
    (Identifier.Kind.MMSI, 0.03),
    (Identifier.Kind.FLIGHT, 0.02),
]
POOL_SHARE = 0.7  # distinct values per identifier row: a value appears in ~1.4 records


def _letters(number: int, width: int) -> str:
    out = []
    for _ in range(width):
        number, digit = divmod(number, 26)
        out.append(chr(65 + digit))
    return "".join(reversed(out))


_ISO6346 = {
    ch: value
    for ch, value in zip(
        "ABCDEFGHIJKLMNOPQRSTUVWXYZ",
        [v for v in range(10, 39) if v % 11],
        strict=False,
    )
}


def container_number(owner_and_category: str, serial: str) -> str:
    """ISO 6346 number with its check digit, e.g. ``CSQU305438`` → ``CSQU3054383``."""
    values = [_ISO6346[c] for c in owner_and_category] + [int(d) for d in serial]
    total = sum(v * (2**i) for i, v in enumerate(values))
    return f"{owner_and_category}{serial}{total % 11 % 10}"


def imo_number(six: str) -> str:
    check = sum(int(d) * w for d, w in zip(six, range(7, 1, -1), strict=True)) % 10
    return f"{six}{check}"


PLATE_COUNTRIES = ["JM", "CO", "PA", "DO", "TT", "EC", "MX", "BR"]


def identifier_value(kind: str, k: int) -> str:
    """Identifier number ``k`` of ``kind`` in the synthetic region, in the canonical form
    ``cases.identifiers.normalise`` gives it (so a record typed into the portal with the same
    identifier gets the same digest — see ``identifier_typed``)."""
    if kind == Identifier.Kind.CONTAINER:
        return container_number(_letters(k // 1_000_000, 3) + "U", f"{k % 1_000_000:06d}")
    if kind == Identifier.Kind.IMO:
        return imo_number(f"{100000 + k % 900000:06d}")
    if kind == Identifier.Kind.MMSI:
        return f"3{k % 10**8:08d}"
    if kind == Identifier.Kind.PASSPORT:
        return f"P{k:08d}"
    if kind == Identifier.Kind.PHONE:
        return f"+57{3_000_000_000 + k}"
    if kind == Identifier.Kind.PLATE:
        return f"{PLATE_COUNTRIES[k % 8]}|{_letters(k // 1000, 3)}{k % 1000:03d}"
    if kind == Identifier.Kind.FIREARM:
        return f"glock|{k:08X}"
    if kind == Identifier.Kind.COMPANY:
        return f"{PLATE_COUNTRIES[k % 8]}|RUC{k:010d}"
    return f"CM{100 + k % 9000}|{date(2024, 1, 1) + timedelta(days=k // 9000)}"


def identifier_typed(kind: str, k: int) -> tuple[str, dict[str, Any]]:
    """How an analyst would type identifier ``k``: (value, context for ``normalise``)."""
    value = identifier_value(kind, k)
    if kind == Identifier.Kind.CONTAINER:
        return f"{value[:4]} {value[4:10]}-{value[10]}", {}
    if kind == Identifier.Kind.PHONE:
        return f"+57 {value[3:6]} {value[6:9]} {value[9:]}", {}
    if kind == Identifier.Kind.FIREARM:
        return value.split("|")[1].lower(), {"make": "Glock"}
    if kind in (Identifier.Kind.PLATE, Identifier.Kind.COMPANY):
        country, number = value.split("|")
        return f"{number[:3]}-{number[3:]}", {"country": country}
    if kind == Identifier.Kind.FLIGHT:
        designator, day = value.split("|")
        return f"{designator[:2]} {designator[2:]}", {"on": date.fromisoformat(day)}
    return value, {}


def identifier_pools(plan: Plan) -> dict[str, int]:
    """How many distinct values each kind draws from."""
    return {
        kind: max(10, int(plan.identifiers * share * POOL_SHARE))
        for kind, share in IDENTIFIER_KINDS
    }


# --- the world (agencies, people, teams, trust) ---------------------------------------------

COUNTRIES = [
    *("CO", "MX", "BR", "PE", "EC", "PA", "JM", "DO", "TT", "BS", "GT", "HN", "SV", "CR", "NI"),
    *("BZ", "GY", "SR", "VE", "BO", "CL", "AR", "UY", "PY", "HT", "BB", "LC", "VC", "GD", "AG"),
    *("KN", "DM", "CU"),
]
KINDS = [
    (Agency.Kind.POLICE, "PN", "Anti-narcotics police"),
    (Agency.Kind.CUSTOMS, "CUS", "Customs enforcement"),
    (Agency.Kind.COAST_GUARD, "CG", "Coast guard"),
    (Agency.Kind.DRUG_CONTROL, "DCA", "Drug control agency"),
    (Agency.Kind.FIU, "FIU", "Financial intelligence unit"),
    (Agency.Kind.PROSECUTOR, "FGN", "Prosecutor's office"),
]
HEAVY, LIGHT = 0, 1  # agency indexes: the regional body and the small unit


@dataclass
class World:
    plan: Plan
    now: int
    agency_ids: list[int]
    agency_groups: list[int]
    agency_countries: list[str]
    agency_acronyms: list[str]
    owner_weights: list[float]  # cumulative
    receive_weights: list[float]  # cumulative, over agencies for ordinary grants
    median: int
    team_groups: list[int]
    analysts: list[int]  # user id per agency
    liaisons: list[int]
    trust: list[list[int]]
    case_perms: dict[int, int]
    seizure_perms: dict[int, int]
    case_owner: array = field(default_factory=lambda: array("H"))
    case_ts: array = field(default_factory=lambda: array("q"))
    case_tlp: bytearray = field(default_factory=bytearray)
    seizure_owner: array = field(default_factory=lambda: array("H"))
    seizure_ts: array = field(default_factory=lambda: array("q"))
    seizure_tlp: bytearray = field(default_factory=bytearray)
    counters: dict[tuple[int, int, str], int] = field(default_factory=dict)


def _cumulative(weights: list[float]) -> list[float]:
    total = sum(weights)
    out, running = [], 0.0
    for w in weights:
        running += w / total
        out.append(running)
    out[-1] = 1.0
    return out


def _build_world(plan: Plan, log: Callable[[str], None]) -> World:
    rng = random.Random(plan.seed)
    now = int(time.time())
    pairs = [(c, k) for k in range(len(KINDS)) for c in COUNTRIES]
    rng.shuffle(pairs)
    specs: list[tuple[str, str, Any, str]] = [
        ("HUB-REG", "Regional information hub (synthetic)", Agency.Kind.REGIONAL, "TT"),
        ("FIU-LT", "Small financial intelligence unit (synthetic)", Agency.Kind.FIU, "KN"),
    ]
    for country, k in pairs:
        if len(specs) >= plan.agencies:
            break
        kind, code, label = KINDS[k]
        acronym = f"{code}-{country}"
        if acronym not in {s[0] for s in specs}:
            specs.append((acronym, f"{label} of {country} (synthetic)", kind, country))

    password = make_password(None)  # unusable: bench users sign in with API tokens
    agencies: list[Agency] = []
    with transaction.atomic():
        for acronym, name, kind, country in specs:
            agencies.append(
                Agency.objects.create(name=name, acronym=acronym, kind=kind, country=country)
            )
        users: list[User] = []
        for agency in agencies:
            for role in ("analyst", "liaison"):
                username = f"{agency.acronym.lower()}-{role}"
                users.append(
                    User(username=username, password=password, email=f"{username}@bench.invalid")
                )
        User.objects.bulk_create(users)
        by_name = {u.username: u for u in User.objects.all()}
        memberships, user_groups = [], []
        analysts: list[int] = []
        liaisons: list[int] = []
        for agency in agencies:
            for role, role_value, bucket in (
                ("analyst", Role.ANALYST, analysts),
                ("liaison", Role.LIAISON, liaisons),
            ):
                user = by_name[f"{agency.acronym.lower()}-{role}"]
                bucket.append(user.pk)
                memberships.append(Membership(user=user, agency=agency, role=role_value))
                user_groups.append(User.groups.through(user_id=user.pk, group_id=agency.group_id))
        Membership.objects.bulk_create(memberships)

        n = len(agencies)
        owner = [rng.lognormvariate(0, 0.8) for _ in range(n)]
        ordinary = sum(owner[2:])
        owner = [w / ordinary * 0.9965 for w in owner]
        owner[HEAVY], owner[LIGHT] = 0.0025, 0.001
        receive = [rng.lognormvariate(0, 0.8) for _ in range(n)]
        ordinary = sum(receive[2:])
        receive = [w / ordinary * 0.9997 for w in receive]
        receive[HEAVY], receive[LIGHT] = 0.0, 0.0003
        others = sorted(range(2, n), key=lambda i: receive[i])
        median = others[len(others) // 2]

        trust = [[3 if rng.random() < 0.75 else 2 for _ in range(n)] for _ in range(n)]
        TrustLevel.objects.bulk_create(
            TrustLevel(from_agency=a, to_agency=b, level=trust[i][j], reason="Synthetic region")
            for i, a in enumerate(agencies)
            for j, b in enumerate(agencies)
            if i != j
        )

        pool = [i for i in range(2, n) if i != median]
        members = [
            [HEAVY, median, *rng.sample(pool, 6)],
            [median, *rng.sample(pool, 7)],
            rng.sample(pool, 8),
            rng.sample(pool, 8),
        ]
        team_groups = []
        for t, agency_indexes in enumerate(members):
            team = Team.objects.create(
                name=f"Synthetic joint task force {t + 1}",
                purpose="Synthetic region",
                active_from=date(2020, 1, 1),
            )
            team.agencies.set([agencies[i] for i in agency_indexes])
            team_groups.append(team.group_id)
            for i in agency_indexes:
                # guardian reads groups from auth_user_groups: mirror the team membership there.
                for user_id in (analysts[i], liaisons[i]):
                    user_groups.append(User.groups.through(user_id=user_id, group_id=team.group_id))
        User.groups.through.objects.bulk_create(user_groups)
        for index in (HEAVY, median, LIGHT):
            Token.objects.create(user_id=analysts[index])

    def perms(model: type[models.Model], codenames: dict[Any, str]) -> dict[int, int]:
        found = dict(
            Permission.objects.filter(
                content_type__app_label=model._meta.app_label, codename__in=codenames.values()
            ).values_list("codename", "id")
        )
        return {int(level): found[codename] for level, codename in codenames.items()}

    log(f"  {n} agencies, {len(users)} users, {len(members)} teams")
    return World(
        plan=plan,
        now=now,
        agency_ids=[a.pk for a in agencies],
        agency_groups=[a.group_id for a in agencies],
        agency_countries=[a.country for a in agencies],
        agency_acronyms=[a.acronym for a in agencies],
        owner_weights=_cumulative(owner),
        receive_weights=_cumulative(receive),
        median=median,
        team_groups=team_groups,
        analysts=analysts,
        liaisons=liaisons,
        trust=trust,
        case_perms=perms(Case, CASE_PERMISSION),
        seizure_perms=perms(SeizureReport, SEIZURE_PERMISSION),
    )


# --- records ---------------------------------------------------------------------------------

YEARS = 6
SUBSTANCES = ["cocaine", "cocaine base", "cannabis", "heroin", "methamphetamine", "fentanyl"]
PLACES = [
    "Kingston",
    "Cartagena",
    "Colón",
    "Guayaquil",
    "Santos",
    "Callao",
    "Caucedo",
    "Manzanillo",
]
CONCEALMENTS = ["reefer container", "false bottom", "go-fast boat", "courier luggage", "parcel"]
CRIME_SETS = [
    "{drug_trafficking}",
    "{drug_trafficking,money_laundering}",
    "{precursor_diversion}",
    "{firearms_trafficking}",
    "{drug_trafficking,firearms_trafficking}",
    "{money_laundering}",
]
STATUSES = ["open", "investigation", "investigation", "closed", "closed", "archived"]
MODES = [
    "sea_container",
    "sea_container",
    "sea_vessel",
    "air_passenger",
    "air_cargo",
    "postal",
    "land_vehicle",
]


def _tlp(r: float) -> int:
    if r < 0.001:
        return CLEAR
    if r < 0.30:
        return GREEN
    if r < 0.80:
        return AMBER
    if r < 0.95:
        return AMBER_STRICT
    return RED


def _reference(world: World, agency: int, ts: int, kind: str) -> str:
    year = int(ts_text(ts)[:4])
    key = (agency, year, kind)
    number = world.counters.get(key, 0) + 1
    world.counters[key] = number
    infix = "" if kind == "C" else kind
    return (
        f"{world.agency_countries[agency]}-{world.agency_acronyms[agency]}-{year}-"
        f"{infix}{number:05d}"
    )


CASE_COLUMNS = [
    "id",
    "tlp",
    "reference",
    "title",
    "summary",
    "status",
    "crime_types",
    "created_at",
    "updated_at",
    "created_by_id",
    "owner_agency_id",
]


def _case_rows(world: World) -> Callable[[str], Iterator[str]]:
    def rows(suffix: str) -> Iterator[str]:
        plan = world.plan
        rng = random.Random(plan.seed + 1)
        end = world.now - 3600
        start = end - YEARS * 365 * 86400
        step = (end - start) / plan.cases
        weights = world.owner_weights
        owner_arr, ts_arr, tlp_arr = world.case_owner, world.case_ts, world.case_tlp
        owner_arr.append(0)
        ts_arr.append(0)
        tlp_arr.append(0)

        def lines() -> Iterator[str]:
            for cid in range(1, plan.cases + 1):
                r = rng.random()
                agency = bisect(weights, rng.random())
                ts = min(end, int(start + cid * step + (r - 0.5) * 14400))
                tlp = _tlp(rng.random())
                owner_arr.append(agency)
                ts_arr.append(ts)
                tlp_arr.append(tlp)
                stamp = ts_text(ts)
                place = PLACES[cid % 8]
                yield (
                    f"{cid}\t{TLPS[tlp]}\t{_reference(world, agency, ts, 'C')}\t"
                    f"{SUBSTANCES[cid % 6].capitalize()} via {place} #{cid}\t"
                    f"Synthetic case {cid}: {CONCEALMENTS[cid % 5]} intercepted near {place}; "
                    f"follow-up with partner agencies.\t{STATUSES[int(r * 6)]}\t"
                    f"{CRIME_SETS[cid % 6]}\t{stamp}\t{stamp}\t{world.analysts[agency]}\t"
                    f"{world.agency_ids[agency]}{suffix}"
                )

        return _chunks(lines())

    return rows


SEIZURE_COLUMNS = [
    "id",
    "tlp",
    "reference",
    "seized_on",
    "country",
    "place",
    "transport_mode",
    "concealment",
    "created_at",
    "updated_at",
    "case_id",
    "created_by_id",
    "owner_agency_id",
]


def _seizure_rows(world: World) -> Callable[[str], Iterator[str]]:
    def rows(suffix: str) -> Iterator[str]:
        plan = world.plan
        rng = random.Random(plan.seed + 2)
        end = world.now - 3600
        start = end - YEARS * 365 * 86400
        owners, stamps, tlps = world.seizure_owner, world.seizure_ts, world.seizure_tlp
        owners.append(0)
        stamps.append(0)
        tlps.append(0)

        def lines() -> Iterator[str]:
            for sid in range(1, plan.seizures + 1):
                if rng.random() < 0.9:
                    case_id = rng.randint(1, plan.cases)
                    agency = world.case_owner[case_id]
                    ts = min(end, world.case_ts[case_id] + int(rng.random() * 30 * 86400))
                    tlp = world.case_tlp[case_id]
                    case_text = str(case_id)
                else:
                    agency = bisect(world.owner_weights, rng.random())
                    ts = int(start + rng.random() * (end - start))
                    tlp = _tlp(rng.random())
                    case_text = r"\N"
                owners.append(agency)
                stamps.append(ts)
                tlps.append(tlp)
                stamp = ts_text(ts)
                yield (
                    f"{sid}\t{TLPS[tlp]}\t{_reference(world, agency, ts, 'S')}\t{stamp[:10]}\t"
                    f"{world.agency_countries[agency]}\t{PLACES[sid % 8]}\t{MODES[sid % 7]}\t"
                    f"{CONCEALMENTS[sid % 5]}\t{stamp}\t{stamp}\t{case_text}\t"
                    f"{world.analysts[agency]}\t{world.agency_ids[agency]}{suffix}"
                )

        return _chunks(lines())

    return rows


ITEM_COLUMNS = [
    "id",
    "seizure_id",
    "kind",
    "substance",
    "quantity",
    "unit",
    "quantity_normalised",
    "normalised_unit",
    "purity",
    "firearm_type",
    "make",
    "model",
    "calibre",
    "serial_number",
    "rounds",
    "amount",
    "currency",
]


def _item_rows(world: World) -> Callable[[str], Iterator[str]]:
    def rows(suffix: str) -> Iterator[str]:
        plan = world.plan
        rng = random.Random(plan.seed + 3)

        def lines() -> Iterator[str]:
            for iid in range(1, plan.items + 1):
                sid = 1 + (iid - 1) * plan.seizures // plan.items
                r = rng.random()
                if r < 0.55:
                    kg = f"{rng.random() * 900 + 0.5:.3f}"
                    purity = f"{50 + rng.random() * 45:.2f}"
                    body = (
                        f"drug\t{SUBSTANCES[iid % 6]}\t{kg}\tkg\t{kg}\tkg\t{purity}"
                        "\t\t\t\t\t\t\\N\t\\N\t"
                    )
                elif r < 0.65:
                    litres = f"{rng.random() * 5000:.3f}"
                    body = (
                        f"precursor\tpotassium permanganate\t{litres}\tl\t{litres}\tl\t\\N"
                        "\t\t\t\t\t\t\\N\t\\N\t"
                    )
                elif r < 0.80:
                    body = (
                        "firearm\t\t1.000\tunit\t1.000000\tunit\t\\N\tpistol\tGlock\t17\t9mm\t"
                        f"{iid:08X}\t\\N\t\\N\t"
                    )
                elif r < 0.90:
                    rounds = int(rng.random() * 5000)
                    body = (
                        f"ammunition\t\t{rounds}.000\tunit\t{rounds}.000000\tunit\t\\N"
                        f"\t\t\t\t9mm\t\t{rounds}\t\\N\t"
                    )
                else:
                    amount = f"{rng.random() * 2_000_000:.2f}"
                    body = f"cash\t\t\\N\t\t\\N\t\t\\N\t\t\t\t\t\t\\N\t{amount}\tUSD"
                yield f"{iid}\t{sid}\t{body}{suffix}"

        return _chunks(lines())

    return rows


IDENTIFIER_COLUMNS = ["id", "kind", "digest", "seizure_id", "owner_agency_id", "created_at"]


def _identifier_rows(world: World) -> Callable[[str], Iterator[str]]:
    def rows(suffix: str) -> Iterator[str]:
        plan = world.plan
        rng = random.Random(plan.seed + 4)
        kinds = [k for k, _ in IDENTIFIER_KINDS]
        cumulative = _cumulative([s for _, s in IDENTIFIER_KINDS])
        pools = identifier_pools(plan)
        key = hmac.new  # local for speed
        secret = _blind_key()

        def lines() -> Iterator[str]:
            current, seen = 0, set[tuple[str, int]]()
            for iid in range(1, plan.identifiers + 1):
                sid = 1 + (iid - 1) * plan.seizures // plan.identifiers
                if sid != current:
                    current, seen = sid, set()
                kind = kinds[bisect(cumulative, rng.random())]
                k = rng.randrange(pools[kind])
                while (kind, k) in seen:
                    k = (k + 1) % pools[kind]
                seen.add((kind, k))
                message = f"{kind}\x1f{identifier_value(kind, k)}".encode()
                digest = key(secret, message, hashlib.sha256).hexdigest()
                yield (
                    f"{iid}\t{kind}\t{digest}\t{sid}\t"
                    f"{world.agency_ids[world.seizure_owner[sid]]}\t"
                    f"{ts_text(world.seizure_ts[sid])}{suffix}"
                )

        return _chunks(lines())

    return rows


def _blind_key() -> bytes:
    import base64

    encoded = settings.BLIND_INDEX_KEY
    return base64.urlsafe_b64decode(encoded + "=" * (-len(encoded) % 4))


# --- grants ----------------------------------------------------------------------------------

# (grant id, on a case?, record id, owner agency index, recipient kind "a"/"t"/"u",
#  recipient (agency index / team index / user id), level, granted at, expires at or -1)
GrantSpec = tuple[int, bool, int, int, str, int, int, int, int]


def _shared_with(
    agency: int, owners: array, tlps: bytearray, allowed: tuple[int, ...]
) -> Callable[[int], bool]:
    """Records another agency owns, at a TLP a grant to an agency may carry."""

    def accept(record: int) -> bool:
        return owners[record] != agency and tlps[record] in allowed

    return accept


def _grant_specs(world: World) -> Iterator[GrantSpec]:
    """Every grant, deterministically: iterate twice to write grants, then access rows."""
    plan = world.plan
    rng = random.Random(plan.seed + 5)
    n_agencies = len(world.agency_ids)
    gid = 0

    def level() -> int:
        r = rng.random()
        return 1 if r < 0.3 else (2 if r < 0.85 else 3)

    def expiry() -> int:
        if rng.random() < 0.8:
            return -1
        return world.now + 30 * 86400 + int(rng.random() * 700 * 86400)

    def sample(k: int, size: int, accept: Callable[[int], bool], tries: int = 8) -> Iterator[int]:
        picked: set[int] = set()
        for _ in range(tries):
            need = k - len(picked)
            if need <= 0:
                break
            for rid in rng.sample(range(1, size + 1), min(size, int(need * 1.3) + 16)):
                if rid not in picked and accept(rid):
                    picked.add(rid)
                    yield rid
                    if len(picked) >= k:
                        return

    def spec(on_case: bool, rid: int, kind: str, who: int) -> GrantSpec:
        nonlocal gid
        gid += 1
        owner = world.case_owner[rid] if on_case else world.seizure_owner[rid]
        made = world.case_ts[rid] if on_case else world.seizure_ts[rid]
        granted = made + int(rng.random() * max(1, world.now - 60 - made))
        return (gid, on_case, rid, owner, kind, who, level(), granted, expiry())

    owners, tlps = world.case_owner, world.case_tlp
    shareable = (GREEN, AMBER, AMBER_STRICT)
    # The regional body: most agencies send it their cases.
    for rid in sample(
        plan.heavy_grants,
        plan.cases,
        lambda c: owners[c] != HEAVY and tlps[c] in shareable,
    ):
        yield spec(True, rid, "a", HEAVY)

    ordinary = plan.grants - plan.heavy_grants
    to_users = int(ordinary * 0.01)
    on_seizures = int(ordinary * 0.03)
    to_teams = int(ordinary * 0.04)
    to_agencies = ordinary - to_users - on_seizures - to_teams

    counts = [0] * n_agencies
    for _ in range(to_agencies):
        counts[bisect(world.receive_weights, rng.random())] += 1
    for agency, k in enumerate(counts):
        if k:
            for rid in sample(k, plan.cases, _shared_with(agency, owners, tlps, shareable)):
                yield spec(True, rid, "a", agency)

    teams = len(world.team_groups)
    for team in range(teams):
        k = to_teams // teams + (1 if team < to_teams % teams else 0)
        for rid in sample(k, plan.cases, lambda c: tlps[c] in (GREEN, AMBER)):
            yield spec(True, rid, "t", team)

    reds = array("q", (c for c in range(1, plan.cases + 1) if tlps[c] == RED))
    # Named users (TLP:RED), the bench's three agencies first so their users always have some.
    order = [
        HEAVY,
        world.median,
        LIGHT,
        *(a for a in range(n_agencies) if a not in (HEAVY, LIGHT, world.median)),
    ]
    for position, agency in enumerate(order):
        k = to_users // n_agencies + (1 if position < to_users % n_agencies else 0)
        if not (k and reds):
            continue

        def accept(i: int, a: int = agency) -> bool:
            owner = owners[reds[i - 1]]
            return owner != a and world.trust[owner][a] == 3

        for index in sample(k, len(reds), accept):
            yield spec(True, reds[index - 1], "u", world.analysts[agency])

    s_owner, s_tlp = world.seizure_owner, world.seizure_tlp
    seizure_counts = [0] * n_agencies
    for _ in range(on_seizures):
        seizure_counts[bisect(world.receive_weights, rng.random())] += 1
    for agency, k in enumerate(seizure_counts):
        if k:
            for rid in sample(
                k,
                plan.seizures,
                _shared_with(agency, s_owner, s_tlp, shareable),
            ):
                yield spec(False, rid, "a", agency)


GRANT_COLUMNS = [
    "id",
    "case_id",
    "seizure_id",
    "owner_agency_id",
    "recipient_agency_id",
    "recipient_team_id",
    "recipient_user_id",
    "level",
    "granted_by_id",
    "created_at",
    "expires_at",
    "status",
]


def _grant_rows(world: World, team_ids: list[int]) -> Callable[[str], Iterator[str]]:
    def rows(suffix: str) -> Iterator[str]:
        def lines() -> Iterator[str]:
            for gid, on_case, rid, owner, kind, who, level, granted, expires in _grant_specs(world):
                recipient = (
                    f"{world.agency_ids[who]}\t\\N\t\\N"
                    if kind == "a"
                    else (f"\\N\t{team_ids[who]}\t\\N" if kind == "t" else f"\\N\t\\N\t{who}")
                )
                record = f"{rid}\t\\N" if on_case else f"\\N\t{rid}"
                yield (
                    f"{gid}\t{record}\t{world.agency_ids[owner]}\t{recipient}\t{level}\t"
                    f"{world.liaisons[owner]}\t{ts_text(granted)}\t"
                    f"{ts_text(expires) if expires >= 0 else chr(92) + 'N'}\tactive{suffix}"
                )

        return _chunks(lines())

    return rows


def _access_rows(world: World, log: Callable[[str], None]) -> None:
    """The guardian rows of every grant: cases → groups streamed; the rest kept, then loaded."""
    users: list[str] = []
    seizures: list[str] = []
    columns = [
        "id",
        "grant_id",
        "content_object_id",
        "permission_id",
        "level",
        "created",
        "expires_at",
    ]

    def group_rows(suffix: str) -> Iterator[str]:
        def lines() -> Iterator[str]:
            for gid, on_case, rid, _owner, kind, who, level, _granted, expires in _grant_specs(
                world
            ):
                until = ts_text(expires) if expires >= 0 else "\\N"
                if not on_case:
                    stamp = ts_text(world.seizure_ts[rid])
                    seizures.append(
                        f"{gid}\t{gid}\t{rid}\t{world.seizure_perms[level]}\t{level}\t{stamp}\t"
                        f"{until}\t{world.agency_groups[who]}"
                    )
                    continue
                stamp = ts_text(world.case_ts[rid])
                head = f"{gid}\t{gid}\t{rid}\t{world.case_perms[level]}\t{level}\t{stamp}\t{until}"
                if kind == "u":
                    users.append(f"{head}\t{who}")
                    continue
                group = world.agency_groups[who] if kind == "a" else world.team_groups[who]
                yield f"{head}\t{group}{suffix}"

        return _chunks(lines())

    _copy(CaseGroupAccess, [*columns, "group_id"], group_rows, log)
    _copy(
        CaseUserAccess,
        [*columns, "user_id"],
        lambda suffix: _chunks(line + suffix for line in users),
        log,
    )
    _copy(
        SeizureGroupAccess,
        [*columns, "group_id"],
        lambda suffix: _chunks(line + suffix for line in seizures),
        log,
    )


# --- keys and indexes ------------------------------------------------------------------------


def _tables(models_: list[type[models.Model]]) -> list[str]:
    return [m._meta.db_table for m in models_]


def _capture_ddl() -> dict[str, list[list[str]]]:
    """Definitions of the big tables' keys, indexes and the foreign keys that touch them."""
    big = _tables(BIG_MODELS)
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT conrelid::regclass::text, quote_ident(conname), pg_get_constraintdef(oid)
            FROM pg_constraint
            WHERE contype = 'f' AND (conrelid = ANY(%(big)s::regclass[])
                                     OR confrelid = ANY(%(big)s::regclass[]))
            ORDER BY 1, 2
            """,
            {"big": big},
        )
        foreign = [list(r) for r in cursor.fetchall()]
        cursor.execute(
            """
            SELECT conrelid::regclass::text, quote_ident(conname), pg_get_constraintdef(oid)
            FROM pg_constraint
            WHERE contype IN ('p', 'u', 'x') AND conrelid = ANY(%(big)s::regclass[])
            ORDER BY contype, 1, 2
            """,
            {"big": big},
        )
        keys = [list(r) for r in cursor.fetchall()]
        cursor.execute(
            """
            SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid)
            FROM pg_index i
            WHERE i.indrelid = ANY(%(big)s::regclass[])
              AND NOT EXISTS (SELECT 1 FROM pg_constraint c
                              WHERE c.conindid = i.indexrelid AND c.contype IN ('p', 'u', 'x'))
            ORDER BY 1
            """,
            {"big": big},
        )
        indexes = [list(r) for r in cursor.fetchall()]
    return {"foreign": foreign, "keys": keys, "indexes": indexes}


def _drop_ddl(ddl: dict[str, list[list[str]]]) -> None:
    with connection.cursor() as cursor:
        for table, name, _ in ddl["foreign"]:
            cursor.execute(f"ALTER TABLE {table} DROP CONSTRAINT IF EXISTS {name}")
        for table, name, _ in ddl["keys"]:
            cursor.execute(f"ALTER TABLE {table} DROP CONSTRAINT IF EXISTS {name}")
        for name, _ in ddl["indexes"]:
            cursor.execute(f"DROP INDEX IF EXISTS {name}")


def _restore_ddl(ddl: dict[str, list[list[str]]], log: Callable[[str], None]) -> None:
    with connection.cursor() as cursor:
        cursor.execute("SET maintenance_work_mem = '1GB'")
        cursor.execute("SET max_parallel_maintenance_workers = 2")
        for table, name, definition in ddl["keys"]:
            started = time.monotonic()
            cursor.execute(f"ALTER TABLE {table} ADD CONSTRAINT {name} {definition}")
            if time.monotonic() - started >= 5:
                log(f"  {table} {name}: {time.monotonic() - started:.0f}s")
        for name, definition in ddl["indexes"]:
            started = time.monotonic()
            cursor.execute(definition)
            if time.monotonic() - started >= 5:
                log(f"  {name}: {time.monotonic() - started:.0f}s")
        log(f"  {len(ddl['keys'])} keys and {len(ddl['indexes'])} indexes built")
        for table, name, definition in ddl["foreign"]:
            cursor.execute(f"ALTER TABLE {table} ADD CONSTRAINT {name} {definition}")
        log(f"  {len(ddl['foreign'])} foreign keys validated")


def _reach_triggers(enabled: bool) -> None:
    verb = "ENABLE" if enabled else "DISABLE"
    with connection.cursor() as cursor:
        for table, trigger in REACH_TRIGGERS:
            cursor.execute(f"ALTER TABLE {table} {verb} TRIGGER {trigger}")


def _reach_rows(log: Callable[[str], None]) -> None:
    """The seizure reports each case grant reaches, from the loaded rows in one statement."""
    started = time.monotonic()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL work_mem = '256MB'")
        cursor.execute("SELECT sharing_refill_case_reach()")
        for model in (SeizureCaseGroupAccess, SeizureCaseUserAccess):
            cursor.execute(f'SELECT count(*) FROM "{model._meta.db_table}"')
            log(f"  {model._meta.db_table}: {cursor.fetchone()[0]:,} rows")
    log(f"  reach rows in {time.monotonic() - started:.0f}s")


def _move_sequences() -> None:
    with connection.cursor() as cursor:
        for model in BIG_MODELS:
            table = model._meta.db_table
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence(%s, 'id'), "
                f"GREATEST((SELECT max(id) FROM {table}), 1))",
                [table],
            )


def _save_counters(world: World) -> None:
    from cases.models import ReferenceCounter

    ReferenceCounter.objects.all().delete()
    ReferenceCounter.objects.bulk_create(
        ReferenceCounter(agency_id=world.agency_ids[a], year=year, kind=kind, last=last)
        for (a, year, kind), last in world.counters.items()
    )


# --- the command's entry point ---------------------------------------------------------------


def seed(plan: Plan, log: Callable[[str], None], *, force: bool = False) -> Seeded:
    """Build the region of ``plan`` in the default database, unless it is already there."""
    if not force and is_current(plan):
        found = seeded()
        assert found is not None
        log(f"already seeded ({plan.describe()}) at {found.seeded_at}; nothing to do")
        return found
    refuse_foreign_data()
    started = time.monotonic()
    log(f"seeding {plan.describe()}")
    _ensure_state_table()
    _set_state("seeded", None)
    ddl = _state("saved_ddl")
    if ddl is None:  # a crashed load left its saved definitions: reuse them
        ddl = _capture_ddl()
        _set_state("saved_ddl", ddl)
    with connection.cursor() as cursor:
        cursor.execute("SET synchronous_commit = off")
        wiped = ", ".join(f'"{t}"' for t in _tables(WIPED_MODELS))
        cursor.execute(f"TRUNCATE {wiped}, cases_referencecounter RESTART IDENTITY CASCADE")
    _drop_ddl(ddl)

    def phase(name: str) -> None:
        log(f"[{time.monotonic() - started:5.0f}s] {name}")

    phase("agencies, people, teams, trust")
    world = _build_world(plan, log)
    team_ids = list(Team.objects.order_by("name").values_list("id", flat=True))
    _reach_triggers(enabled=False)
    try:
        phase("cases")
        _copy(Case, CASE_COLUMNS, _case_rows(world), log)
        phase("seizure reports")
        _copy(SeizureReport, SEIZURE_COLUMNS, _seizure_rows(world), log)
        phase("seizure items")
        _copy(SeizureItem, ITEM_COLUMNS, _item_rows(world), log)
        phase("identifiers")
        _copy(Identifier, IDENTIFIER_COLUMNS, _identifier_rows(world), log)
        phase("grants")
        _copy(Grant, GRANT_COLUMNS, _grant_rows(world, team_ids), log)
        phase("access rows")
        _access_rows(world, log)
        phase("seizure reports reached through case grants")
        _reach_rows(log)
    finally:
        _reach_triggers(enabled=True)
    _save_counters(world)
    phase("keys and indexes")
    _restore_ddl(ddl, log)
    _set_state("saved_ddl", None)
    _move_sequences()
    phase("vacuum analyze")
    with connection.cursor() as cursor:
        for table in _tables(WIPED_MODELS):
            cursor.execute(f'VACUUM (ANALYZE) "{table}"')
        cursor.execute("ANALYZE")
    elapsed = time.monotonic() - started
    result = Seeded(
        plan=asdict(plan),
        format=FORMAT,
        key=key_fingerprint(),
        seeded_at=timezone.now().isoformat(timespec="seconds"),
        seconds=round(elapsed, 1),
        users={
            "light": world.analysts[LIGHT],
            "median": world.analysts[world.median],
            "heavy": world.analysts[HEAVY],
        },
        liaisons={
            "light": world.liaisons[LIGHT],
            "median": world.liaisons[world.median],
            "heavy": world.liaisons[HEAVY],
        },
    )
    _set_state("seeded", asdict(result))
    phase(f"done in {elapsed / 60:.1f} min")
    return result
