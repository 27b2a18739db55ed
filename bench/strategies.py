"""Three ways to answer "page 1 and count of the cases this user may see", side by side.

- ``Door``: the project's own access door (``sharing.access``), as every page and API uses it.
- ``Floor``: the least work any design can do: one narrow table per reader, holding exactly
  the (record, created, level) rows the reader may see, read in index order with raw SQL. It is
  materialised by the bench from the same sources the door reads (owner, TLP:CLEAR, the group
  and user access rows), so it gives the same answers, and nothing real could be cheaper.
- ``Guardian``: django-guardian's ``get_objects_for_user`` over the same direct-foreign-key
  permission rows, OR the owner's and the TLP:CLEAR records — how a project using guardian's
  shortcut for lists would write it.

Each strategy returns its answer (ids, levels, count) and the SQL statements it sends, which
the bench times in PostgreSQL.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import User
from django.db import connection
from django.db.models import QuerySet
from guardian.shortcuts import get_objects_for_user

from bench.timing import emitted_sql
from cases.models import Case, SeizureReport
from sharing import access
from sharing.models import CASE_PERMISSION, Level

PAGE = 50
FLOOR_TABLE = "bench_floor"


@dataclass(frozen=True)
class Answer:
    ids: tuple[int, ...]
    levels: tuple[int, ...] | None  # None when the strategy does not know levels
    count: int
    capped: bool

    def shown(self) -> str:
        return f"{self.count:,}+" if self.capped else f"{self.count:,}"


def capped(exact: int, cap: int = access.COUNT_CAP) -> tuple[int, bool]:
    return (cap, True) if exact > cap else (exact, False)


class Door:
    name = "door"

    def page(self, user: User) -> list[Case]:
        return list(access.newest_visible(Case, user, limit=PAGE))

    def count(self, user: User) -> access.Count:
        return access.count_visible(Case, user)

    def answer(self, user: User) -> Answer:
        rows = self.page(user)
        count = self.count(user)
        return Answer(
            tuple(r.pk for r in rows),
            tuple(int(r.access_level) for r in rows),  # type: ignore[attr-defined]
            count.value,
            count.capped,
        )

    def page_sql(self, user: User) -> list[str]:
        access.principals_of(user)  # cached per request in real use: not part of the list
        return emitted_sql(lambda: self.page(user))

    def count_sql(self, user: User) -> list[str]:
        access.principals_of(user)
        return emitted_sql(lambda: self.count(user))


LIVE = "(expires_at IS NULL OR expires_at > now())"


class Floor:
    name = "floor"
    table = FLOOR_TABLE
    records = "cases_case"
    column = "case_id"

    def sources(self) -> str:
        """Every (record, created, level) the reader may see, from the same rows the door reads."""
        return f"""
            SELECT id, created_at AS created, {int(Level.OWNER)} AS level
            FROM cases_case WHERE owner_agency_id = %(agency)s
          UNION ALL
            SELECT id, created_at, {int(access.CLEAR_LEVEL)} FROM cases_case WHERE tlp = 'CLEAR'
          UNION ALL
            SELECT content_object_id, created, level FROM sharing_casegroupaccess
            WHERE group_id = ANY(%(groups)s) AND {LIVE}
          UNION ALL
            SELECT content_object_id, created, level FROM sharing_caseuseraccess
            WHERE user_id = %(user)s AND {LIVE}
        """

    def build(self, users: list[User]) -> None:
        """Materialise each reader's visible set (the door's sources, computed once)."""
        table, column = self.table, self.column
        with connection.cursor() as cursor:
            cursor.execute(
                f"CREATE TABLE IF NOT EXISTS {table} (user_id integer NOT NULL, "
                f"created timestamptz NOT NULL, {column} bigint NOT NULL, level smallint NOT NULL)"
            )
            cursor.execute(f"TRUNCATE {table}")
            cursor.execute(f"DROP INDEX IF EXISTS {table}_newest")
            for user in users:
                p = access.principals_of(user)
                cursor.execute(
                    f"""
                    INSERT INTO {table} (user_id, created, {column}, level)
                    SELECT %(user)s, created, id, max(level) FROM ({self.sources()}) AS sources
                    GROUP BY id, created
                    """,
                    {"user": user.pk, "agency": p.agency_id, "groups": list(p.group_ids)},
                )
            cursor.execute(
                f"CREATE INDEX {table}_newest ON {table} "
                f"(user_id, created DESC, {column} DESC) INCLUDE (level)"
            )
            cursor.execute(f"VACUUM (ANALYZE) {table}")

    def _page_sql(self, user: User) -> str:
        table, column = self.table, self.column
        return f"""
            SELECT c.*, f.level AS access_level
            FROM (SELECT {column}, created, level FROM {table} WHERE user_id = {user.pk}
                  ORDER BY created DESC, {column} DESC LIMIT {PAGE}) AS f
            JOIN {self.records} c ON c.id = f.{column}
            ORDER BY f.created DESC, f.{column} DESC
        """

    def _count_sql(self, user: User) -> str:
        # ORDER BY keeps the planner on the index (an index-only scan stopped at the cap)
        # even for the reader who owns most of the table's rows.
        return (
            f"SELECT count(*) FROM (SELECT 1 FROM {self.table} WHERE user_id = {user.pk} "
            f"ORDER BY created DESC, {self.column} DESC LIMIT {access.COUNT_CAP + 1}) AS capped"
        )

    def _exact_sql(self, user: User) -> str:
        return f"SELECT count(*) FROM {self.table} WHERE user_id = {user.pk}"

    def answer(self, user: User) -> Answer:
        with connection.cursor() as cursor:
            cursor.execute(self._page_sql(user))
            columns = [c.name for c in cursor.description]
            rows = cursor.fetchall()
            cursor.execute(self._exact_sql(user))
            exact = cursor.fetchone()[0]
        id_at, level_at = columns.index("id"), columns.index("access_level")
        value, is_capped = capped(exact)
        return Answer(
            tuple(r[id_at] for r in rows), tuple(r[level_at] for r in rows), value, is_capped
        )

    def exact(self, user: User) -> int:
        with connection.cursor() as cursor:
            cursor.execute(self._exact_sql(user))
            return int(cursor.fetchone()[0])

    def page_sql(self, user: User) -> list[str]:
        return [self._page_sql(user)]

    def count_sql(self, user: User) -> list[str]:
        return [self._count_sql(user)]

    def exact_sql(self, user: User) -> list[str]:
        return [self._exact_sql(user)]


# The TLP order as the portal states it (cases.markings), independent of the database's
# sharing_tlp_rank that writes the case-reach rows.
_RANK = "array_position(ARRAY['CLEAR', 'GREEN', 'AMBER', 'AMBER+STRICT', 'RED'], {})"


class SeizureDoor(Door):
    name = "door"

    def page(self, user: User) -> list[Any]:
        return list(access.newest_visible(SeizureReport, user, limit=PAGE))

    def count(self, user: User) -> access.Count:
        return access.count_visible(SeizureReport, user)


class SeizureFloor(Floor):
    """Each reader's visible seizure reports, derived from the rule itself (a grant on a case
    reaches its reports marked no stricter), not from the case-reach rows the door reads: so
    the identical answers also check those rows."""

    name = "floor"
    table = "bench_seizure_floor"
    records = "cases_seizurereport"
    column = "seizure_id"

    def sources(self) -> str:
        through_case = " ".join(
            f"""
          UNION ALL
            SELECT s.id, s.created_at, a.level FROM sharing_case{who}access a
            JOIN cases_seizurereport s ON s.case_id = a.content_object_id
            JOIN cases_case c ON c.id = s.case_id
            WHERE a.{who}_id {match} AND {LIVE.replace("expires_at", "a.expires_at")}
              AND {_RANK.format("s.tlp")} <= {_RANK.format("c.tlp")}
            """
            for who, match in (("group", "= ANY(%(groups)s)"), ("user", "= %(user)s"))
        )
        return f"""
            SELECT id, created_at AS created, {int(Level.OWNER)} AS level
            FROM cases_seizurereport WHERE owner_agency_id = %(agency)s
          UNION ALL
            SELECT id, created_at, {int(access.CLEAR_LEVEL)}
            FROM cases_seizurereport WHERE tlp = 'CLEAR'
          UNION ALL
            SELECT content_object_id, created, level FROM sharing_seizuregroupaccess
            WHERE group_id = ANY(%(groups)s) AND {LIVE}
          UNION ALL
            SELECT content_object_id, created, level FROM sharing_seizureuseraccess
            WHERE user_id = %(user)s AND {LIVE}
          {through_case}
        """


class Guardian:
    name = "guardian"

    def queryset(self, user: User) -> QuerySet[Case]:
        granted = get_objects_for_user(
            user,
            [f"cases.{codename}" for codename in CASE_PERMISSION.values()],
            klass=Case,
            any_perm=True,
            with_superuser=False,
            accept_global_perms=False,
        )
        agency_id = access.principals_of(user).agency_id
        mine_or_clear = Case.objects.filter(owner_agency_id=agency_id) | Case.objects.filter(
            tlp="CLEAR"
        )
        return (granted | mine_or_clear).order_by("-created_at", "-id")

    def answer(self, user: User) -> Answer:
        qs = self.queryset(user)
        ids = tuple(qs.values_list("id", flat=True)[:PAGE])
        value, is_capped = capped(qs.count())
        return Answer(ids, None, value, is_capped)

    def page_sql(self, user: User) -> list[str]:
        return emitted_sql(lambda: list(self.queryset(user)[:PAGE]))

    def count_sql(self, user: User) -> list[str]:
        return emitted_sql(lambda: self.queryset(user).count())


def same(a: Answer, b: Answer) -> list[str]:
    """What differs between two answers (empty when they agree)."""
    problems = []
    if a.ids != b.ids:
        problems.append(f"page ids differ: {a.ids[:5]}… vs {b.ids[:5]}…")
    if a.levels is not None and b.levels is not None and a.levels != b.levels:
        problems.append("levels differ")
    if (a.count, a.capped) != (b.count, b.capped):
        problems.append(f"counts differ: {a.shown()} vs {b.shown()}")
    return problems


def describe(value: Any) -> str:
    return str(value)
