"""The SQL that merges a staged delta into its table, built from the DDL's column names only.

Every name spliced here is a table of cdt's DDL (``check_table``) or one of its columns
(checked against ``NAME``); values never appear, and the same statements run on DuckDB and
Snowflake. An upsert is an UPDATE of the rows whose contents differ plus an INSERT of the new
keys: Snowflake's MERGE does the same, but fakesnow cannot run a MERGE inside a transaction,
and the two statements inside one transaction are as atomic.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from cdt import schema
from cdt.backends.base import check_table

NAME = re.compile(r"^[a-z_][a-z0-9_]*$")
#: Columns the database stamps: never compared, kept from the first load (created_at) or set
#: by the change (updated_at, unless the delta carries one).
STAMPS = ("created_at", "updated_at")


@dataclass(frozen=True)
class Keyed:
    """A RAW table a delta merges into: its key and whether a changed row is an update."""

    table: str
    keys: tuple[str, ...]
    upsert: bool  # False: rows append by id, and a known id with new contents is a conflict

    @property
    def staging(self) -> str:
        return check_table(f"{self.table}_DELTA", schema.known_tables())

    @property
    def target(self) -> str:
        return check_table(self.table, schema.known_tables())

    def columns(self) -> list[str]:
        names = [c.name for c in schema.ddl_columns(self.table)]
        for name in names + list(self.keys):
            if not NAME.match(name):  # the DDL's own names; a guard, not a user check
                raise AssertionError(f"{self.table}: unexpected column name {name!r}")
        return names

    def _data(self) -> list[str]:
        return [c for c in self.columns() if c not in STAMPS]

    def _match(self) -> str:
        return " AND ".join(f"t.{k} = s.{k}" for k in self.keys)

    def _differs(self) -> str:
        same = " AND ".join(f"t.{c} IS NOT DISTINCT FROM s.{c}" for c in self._data())
        return f"NOT ({same})"

    def duplicates(self) -> str:
        """The number of keys the delta holds more than once."""
        keys = ", ".join(self.keys)
        return (
            f"SELECT count(*) FROM (SELECT {keys} FROM {self.staging} "  # noqa: S608
            f"GROUP BY {keys} HAVING count(*) > 1) d"
        )

    def changed(self) -> str:
        """The keys (first key column) of staged rows whose contents differ from the table's."""
        return (
            f"SELECT s.{self.keys[0]} FROM {self.staging} s JOIN {self.target} t "  # noqa: S608
            f"ON {self._match()} WHERE {self._differs()} ORDER BY s.{self.keys[0]}"
        )

    def _new_rows(self) -> str:
        """The staged rows (``s``) whose key the table does not hold."""
        return (
            f"FROM {self.staging} s WHERE NOT EXISTS "  # noqa: S608 (checked names)
            f"(SELECT 1 FROM {self.target} t WHERE {self._match()})"
        )

    def new(self) -> str:
        """The number of staged rows whose key the table does not hold."""
        return f"SELECT count(*) {self._new_rows()}"

    def new_ids(self, table: str, column: str) -> str:
        """Record the keys of staged rows the table does not hold yet into ``table``."""
        target = check_table(table, schema.known_tables())
        if not NAME.match(column) or column != self.keys[0]:
            raise AssertionError(f"unexpected column {column!r}")
        return f"INSERT INTO {target} ({column}) SELECT s.{column} {self._new_rows()}"

    def pending(self, reason: str) -> str:
        """Record the customers of staged rows that are new or changed (bind: nothing)."""
        if not NAME.match(reason):
            raise AssertionError(f"unexpected reason {reason!r}")
        return (
            "INSERT INTO RAW.PENDING_REFRESH (customer_id, reason) "  # noqa: S608
            f"SELECT DISTINCT s.customer_id, '{reason}' FROM {self.staging} s WHERE NOT EXISTS "
            f"(SELECT 1 FROM {self.target} t WHERE {self._match()} "
            f"AND NOT {self._differs()})"
        )

    def update(self) -> str:
        """Overwrite the rows whose contents changed with the staged ones."""
        assignments = [f"{c} = s.{c}" for c in self._data() if c not in self.keys]
        if "updated_at" in self.columns():
            assignments.append(
                "updated_at = COALESCE(s.updated_at, CAST(CURRENT_TIMESTAMP AS TIMESTAMP))"
            )
        return (
            f"UPDATE {self.target} AS t SET {', '.join(assignments)} "  # noqa: S608
            f"FROM {self.staging} AS s WHERE {self._match()} AND {self._differs()}"
        )

    def insert(self) -> str:
        """Add the staged rows whose key is new."""
        columns = self.columns()
        values = [
            f"COALESCE(s.{c}, CAST(CURRENT_TIMESTAMP AS TIMESTAMP))" if c in STAMPS else f"s.{c}"
            for c in columns
        ]
        return (
            f"INSERT INTO {self.target} ({', '.join(columns)}) "
            f"SELECT {', '.join(values)} {self._new_rows()}"
        )


#: The RAW tables, by the delta file name: customers and usage upsert; interactions and
#: campaign responses append by id.
KEYED = {
    "customers": Keyed("RAW.CUSTOMERS", ("customer_id",), upsert=True),
    "monthly_usage": Keyed("RAW.MONTHLY_USAGE", ("customer_id", "billing_month"), upsert=True),
    "support_interactions": Keyed("RAW.SUPPORT_INTERACTIONS", ("interaction_id",), upsert=False),
    "campaign_responses": Keyed("RAW.CAMPAIGN_RESPONSES", ("response_id",), upsert=False),
}
