"""Prefix-search indexes: ``UPPER(column) text_pattern_ops`` on PostgreSQL.

``column__istartswith`` compiles to ``UPPER(column::text) LIKE UPPER('term%')`` on PostgreSQL; an
index on that expression with ``text_pattern_ops`` turns it into a range scan whatever the
database's collation. Django's model ``Meta.indexes`` can express it only with
``django.contrib.postgres`` installed, and SQLite cannot create it (nor re-create it when it
rebuilds a table), so these indexes are a migration operation outside the model state: created on
PostgreSQL, a no-op elsewhere (SQLite's ``LIKE`` is case-insensitive by itself and the test data
is small).
"""

from django.db.migrations.operations.base import Operation


class AddPrefixIndex(Operation):
    """``CREATE INDEX CONCURRENTLY`` on ``UPPER(column) text_pattern_ops`` (PostgreSQL only).

    Concurrently, so that orders keep being written while it builds on a large table; the
    migration using it must set ``atomic = False``.
    """

    reversible = True
    reduces_to_sql = True

    def __init__(self, table: str, column: str, name: str):
        self.table, self.column, self.name = table, column, name

    def deconstruct(self):
        return self.__class__.__qualname__, [], {"table": self.table, "column": self.column, "name": self.name}

    def state_forwards(self, app_label, state):
        """The index is not part of the model state (see the module docstring)."""

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            quote = schema_editor.quote_name
            schema_editor.execute(
                f"CREATE INDEX CONCURRENTLY {quote(self.name)} ON {quote(self.table)} "
                f"((UPPER({quote(self.column)})) text_pattern_ops)"
            )
            # Statistics of the indexed expression, so that the planner estimates matches from now on
            # instead of after the next autovacuum.
            schema_editor.execute(f"ANALYZE {quote(self.table)}")

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {schema_editor.quote_name(self.name)}")

    def describe(self):
        return f"Prefix-search index {self.name} on UPPER({self.table}.{self.column}) (PostgreSQL)"

    @property
    def migration_name_fragment(self):
        return self.name
