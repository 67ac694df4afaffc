"""A few people's private rows on a team database, read by the person, not the table.

On a team database a private table (notes, ring moves, snoozes…) is a view over a
SECURITY DEFINER function that returns all of the login role's rows (issue 18: it is
never inlined, so a condition on the view filters its whole result: 25,000 notes read
to show one person's 14). ``rows_of`` stands for the table in a query and reads the
database's ``planner_rows_<table>_of(contact_ids)`` instead: the same rows rule, only
those people's rows, by index. In a file, or on a team database whose setup predates
those functions (team schema < 4, until an admin's ``db init``), it is the table itself.
"""

from __future__ import annotations

from collections.abc import Iterable

from peewee import (
    SCOPE_SOURCE,
    SCOPE_VALUES,
    SQL,
    Cast,
    Entity,
    Function,
    ModelAlias,
    Node,
    NodeList,
    Value,
)

from planner.storage.backend import backend_for
from planner.storage.models import db_proxy

#: The tables with a ``planner_rows_<table>_of`` function (``postgres.privacy.reader_functions``).
_READ_BY_PERSON = frozenset({"placement", "ring_move", "cadence_override", "snooze", "note",
                             "capture_proposal"})


def by_person() -> bool:
    """Whether the database reads private rows by person (a team database set up for it);
    asked once per connection object."""
    db = db_proxy.obj
    if db is None or not backend_for(db).team:
        return False
    known = getattr(db, "_planner_rows_of", None)
    if known is None:
        known = bool(db.execute_sql(
            "SELECT pg_catalog.to_regprocedure('planner_rows_note_of(bigint[])') IS NOT NULL "
            "AND pg_catalog.has_function_privilege("
            "pg_catalog.to_regprocedure('planner_rows_note_of(bigint[])'), 'EXECUTE')"
        ).fetchone()[0])
        db._planner_rows_of = known
    return known


class _RowsOf(ModelAlias):
    """``model`` as the rows ``call`` returns (``call AS alias`` in FROM); its fields as
    the model's, qualified by the alias."""

    def __init__(self, model, call: Node, alias: str):
        super().__init__(model, alias)
        self.__dict__["call"] = call

    def __sql__(self, ctx):
        if ctx.scope == SCOPE_VALUES:
            return super().__sql__(ctx)
        ctx.alias_manager[self] = self.alias
        if ctx.scope == SCOPE_SOURCE:
            return ctx.sql(self.call).literal(" AS ").sql(Entity(self.alias))
        return ctx.sql(Entity(self.alias))


def rows_of(model, contact_ids: Iterable[int] | Node, alias: str | None = None):
    """``model`` (a private table) restricted to the rows about ``contact_ids`` (ids, or
    an SQL expression of one person's id, e.g. ``ContactRow.id`` in a correlated
    subquery) where that is cheaper: on a team database set up for it. Elsewhere the
    model itself (or its alias): the caller keeps its own condition on the contact."""
    name = model._meta.table_name
    if name not in _READ_BY_PERSON or not by_person():
        return model.alias(alias) if alias else model
    if isinstance(contact_ids, Node):
        ids: Node = NodeList((SQL("ARRAY["), contact_ids, SQL("]::bigint[]")), glue="")
    else:
        ids = Cast(Value(sorted(set(contact_ids)), unpack=False), "bigint[]")
    return _RowsOf(model, Function(f"planner_rows_{name}_of", (ids,)), alias or name)
