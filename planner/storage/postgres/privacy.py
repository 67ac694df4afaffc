"""The walls around each user's private rows on a team database (issue 18).

The private tables (``PRIVATE_TABLES``: rings, ring moves, cadences, snoozes, notes,
capture sources and proposals) live in a schema of their own (``PRIVATE_SCHEMA``) that
planner users cannot use at all; the planner's schema has a view of the same name over a
SECURITY DEFINER function that returns only the login role's rows (and shared notes),
with INSTEAD OF triggers that write them. A user's own conditions therefore only ever
filter their own rows: ``EXPLAIN ANALYZE`` and index probing learn nothing of a
teammate's. A view reads all of the caller's rows of its table, so one person's rows
(their timeline, latest note, dump) are read through ``planner_rows_<table>_of
(contact_ids)`` instead: the same rule, only those people's rows, by index
(``planner.storage.private_rows``, issue 22). Touchpoints stay a shared table under
row-level security (everyone reads them). Superusers (and BYPASSRLS roles) read every
row, as PostgreSQL lets them, so planner users are ordinary login roles made by
``db add-user``.

Here: the private tables and the SQL of their views, functions and indexes
(``private_setup_sql``), which ``team_setup`` runs.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from peewee import ForeignKeyField, PostgresqlDatabase

from planner.storage import models as m
from planner.storage.postgres.live import fill

#: Where the private tables live. Planner users have no USAGE on it: they cannot name its
#: tables, so cannot read, EXPLAIN (ANALYZE), probe the indexes of, or write them but
#: through the views of the same name in the planner's schema (issue 18).
PRIVATE_SCHEMA = "planner_private"

#: The login role as the owner/author columns compare it: ``session_user`` is a ``name``,
#: whose collation ("C") would win over the columns' and keep their indexes out of use.
ME = '(session_user::text COLLATE pg_catalog."default")'

#: Whether the login role reads and writes every private row, as PostgreSQL lets a
#: superuser or a BYPASSRLS role read past row-level security (``db add-user`` warns).
SEES_ALL = ("EXISTS (SELECT 1 FROM pg_catalog.pg_roles r WHERE r.rolname = session_user "
            "AND (r.rolsuper OR r.rolbypassrls))")

#: How far past the ids handed out so far a new row's own id may be, but an admin's (team
#: schema 10): an import of a file's rows has gaps where rows were removed, never a
#: million; each id skipped is one ``nextval``, and a teammate's id near the largest
#: bigint would use up the sequence for everyone.
MAX_ID_AHEAD = 1_000_000


@dataclass(frozen=True)
class PrivateTable:
    """A table whose rows belong to one planner user. ``column`` names whose (the login
    role: ``session_user``, filled in by the views' triggers); ``shared``: a boolean
    column whose true rows the whole team reads; ``forced``: a row claiming someone else
    is written as the writer's own (an author), else it is refused (an owner);
    ``contact``: the column naming the person it is about (None: about nobody). The table
    needs an ``id`` primary key (the views' triggers write rows by it)."""

    name: str
    column: str = "owner"
    shared: str | None = None
    forced: bool = False
    contact: str | None = "contact_id"

    def mine(self, who: str = "session_user", alias: str = "t") -> str:
        """The condition of a row ``who`` reads (their own, or shared)."""
        own = f"{alias}.{self.column} = {who}"
        return f"({own} OR {alias}.{self.shared})" if self.shared else own

    def rows(self, by_person: bool = False) -> str:
        """The SELECT of the rows the login role reads (``mine``, or every row for a
        superuser or BYPASSRLS role), one branch per kind of row, each with its own index
        (``OWN_INDEXES``); the superuser's branch is a one-time filter: for anyone else
        it reads nothing. ``by_person``: only the rows about ``contact_ids``, by
        conditions that no index but the caller's own (``<owner>/<person>``) and the
        shared rows' (``<person>`` where shared) can serve, so a call never reads a
        teammate's private row about those people and drops it: its time says nothing
        of how many they keep (``_OF_FN`` turns sequential scans off, too)."""
        table = f"{{private}}.{self.name}"
        own = f"t.{self.column} = {ME}"
        shared = f"t.{self.shared}"
        other = f"t.{self.column} IS DISTINCT FROM {ME}"
        also = ""
        if by_person:
            own = (f"{self.person_key()} = ANY (ARRAY(SELECT {ME} || '/' || c::text "
                   f"FROM pg_catalog.unnest(contact_ids) c))")
            shared += (f" AND (t.{self.contact})::text = ANY (ARRAY(SELECT c::text "
                       f"FROM pg_catalog.unnest(contact_ids) c))")
            also = f" AND t.{self.contact} = ANY (contact_ids)"
        branches = [f"SELECT t.* FROM {table} t WHERE {own}"]
        if self.shared:
            branches += [
                f"SELECT t.* FROM {table} t WHERE {shared} AND {other}",
                f"SELECT t.* FROM {table} t WHERE {SEES_ALL} AND {other} "
                f"AND t.{self.shared} IS NOT TRUE{also}"]
        else:
            branches.append(f"SELECT t.* FROM {table} t WHERE {SEES_ALL} AND {other}{also}")
        return "\n  UNION ALL ".join(branches)

    def person_key(self, alias: str = "t.") -> str:
        """``<owner>/<person>``: what a row is found by for the caller and one person (a
        role name holds no ``/``, an id is digits: one key, one pair)."""
        return f"({alias}{self.column} || '/' || ({alias}{self.contact})::text)"


#: THE private tables, one line each: the team setup, its upgrade, ``db remove-user``,
#: the trash, the live updates and ``db status`` all read this. A migration creates a new
#: one like any table (in the planner's schema); the team setup that runs right after
#: every migration (``migrate_locked``) moves it here and makes its view.
PRIVATE_TABLES = (
    PrivateTable("placement"),
    PrivateTable("ring_move"),
    PrivateTable("cadence_override"),
    PrivateTable("snooze"),
    PrivateTable("note", "author", shared="shared", forced=True),
    PrivateTable("capture_source", contact=None),  # issue 24: calendars and mailboxes read
    PrivateTable("capture_proposal"),  # issue 24: touchpoints waiting for review
    PrivateTable("own_setting", contact=None),  # a user's own settings (their addresses)
)


#: The indexes the views' functions read the caller's rows (and the shared ones) by, made
#: by the team setup: (name, table, definition). An index that starts with the owner is
#: no leak here (issue 18): planner users cannot reach the private schema, so cannot
#: EXPLAIN or probe these tables; only the definer functions use them, with the login
#: role as the owner, so a call reads as many rows as the caller's own (and the shared
#: ones), whoever else keeps how many. The other private tables have one already
#: (``owner, contact_id`` …, made by their migrations).
OWN_INDEXES = (
    ("planner_note_own", "note", "(author, contact_id, at)"),
    ("planner_ring_move_own", "ring_move", "(owner, contact_id, at)"),
    # the shared notes (the views' function reads the whole of it), by person for the
    # per-person readers (``PrivateTable.rows(by_person=True)``), as the caller's own rows
    ("planner_note_shared_person", "note", "(((contact_id)::text)) WHERE shared"),
    *((f"planner_{t.name}_person", t.name, f"({t.person_key('')})")
      for t in PRIVATE_TABLES if t.contact),
)


@dataclass(frozen=True)
class SharedReference:
    """A private table's ``column`` naming a row (by id) of the shared table ``target``: a
    person, a touchpoint. On a team database it is no foreign key. PostgreSQL checks one
    by locking the row it names (FOR KEY SHARE), and a locked row keeps the locker's
    transaction id in ``xmax``, which every teammate reads: with the change log's
    ``xmin``, it said who had just written a private row about whom. The views' trigger
    checks the row exists instead (a read takes no lock) and the shared table's delete
    trigger does what the key's ``on_delete`` did (CASCADE or SET NULL)."""

    table: str
    column: str
    target: str
    on_delete: str


def shared_references() -> tuple[SharedReference, ...]:
    """Every column of a private table that names a shared row, from the models' foreign
    keys (a private table referring to another one keeps its foreign key: nobody but the
    definer role reaches either)."""
    private = {t.name for t in PRIVATE_TABLES}
    out = []
    for model in m.ALL_MODELS:
        if model._meta.table_name not in private:
            continue
        for field in model._meta.sorted_fields:
            if not isinstance(field, ForeignKeyField):
                continue
            target = field.rel_model._meta.table_name
            if target in private:
                continue
            action = (field.on_delete or "").upper()
            if action not in ("CASCADE", "SET NULL") or field.rel_field.column_name != "id":
                raise ValueError(f"{model._meta.table_name}.{field.column_name}: a private "
                                 f"table may name a shared row by id, removed with it or "
                                 f"forgotten (ON DELETE CASCADE or SET NULL)")
            out.append(SharedReference(model._meta.table_name, field.column_name, target,
                                       action))
    return tuple(out)


def private_table(name: str) -> PrivateTable | None:
    return next((t for t in PRIVATE_TABLES if t.name == name), None)


def stored_table(schema: str, table: str) -> str:
    """Where ``table``'s rows are stored (qualified): the private schema for a private
    table, else ``schema`` (the planner's, quoted). In the planner's schema a private
    table's name is its view."""
    return f"{PRIVATE_SCHEMA}.{table}" if private_table(table) else f"{schema}.{table}"


#: A private table's rows as its view shows them: the login role's own (and shared ones),
#: every row for a superuser or BYPASSRLS role. SECURITY DEFINER functions are never
#: inlined, so whatever a user adds to a query on the view (conditions on the owner, the
#: ring, the contact, the time…) is applied on top of this function's result, after it:
#: EXPLAIN (ANALYZE) counts only the caller's rows, and no index of the table is probed.
#: ``session_user``: inside the function ``current_user`` is its owner; a planner user
#: cannot change their session user (SET SESSION AUTHORIZATION is a superuser's), and
#: SET ROLE changes only ``current_user``.
_ROWS_FN = """
CREATE OR REPLACE FUNCTION {private}.planner_rows_%(table)s() RETURNS SETOF {private}.%(table)s
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = {path} AS $$
  %(rows)s
$$"""

#: A few people's rows of a private table (``contact_ids``) as its view shows them: what
#: the storage reads for one person (their timeline, their latest note, their dump) so
#: that it costs that person's rows, not all of the caller's (the view's function is
#: never inlined: a condition on the view filters its whole result). The same rows rule
#: as the view, in the planner's schema (users cannot use the private one) and executable
#: only by planner users; someone else's contact ids give the caller's own rows about
#: those people, and shared notes, nothing more. Sequential scans are off (a small table
#: would be read whole, teammates' rows with it) and so is JIT (their penalty in the costs
#: would start a 150 ms compilation).
_OF_FN = """
CREATE OR REPLACE FUNCTION {schema}.planner_rows_%(table)s_of(contact_ids bigint[])
RETURNS SETOF {private}.%(table)s
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = {path}
SET enable_seqscan = off SET jit = off AS $$
  %(rows)s
$$"""

#: The INSTEAD OF trigger of every private table's view (TG_ARGV: the owner/author column,
#: 'force' or 'refuse'): inserts, updates and deletes the login role's own rows of the
#: table the view stands for, by id. The owner is the writer (empty: filled; another's:
#: refused, or for 'force' replaced) and never changes afterwards; a teammate's shared row
#: is read, never changed (the statement skips it, as row-level security did). An update
#: or delete applies only if the row is still as the statement read it, so a concurrent
#: change wins and the version checks of the app see it (0 rows). A superuser or BYPASSRLS
#: role (an admin's restore) keeps the owner a row claims.
_WRITE_FN = """
CREATE OR REPLACE FUNCTION {private}.planner_write_private() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = {path} AS $$
DECLARE
  who text := session_user;
  col text := TG_ARGV[0];
  target text := pg_catalog.quote_ident('{private_name}') || '.'
                 || pg_catalog.quote_ident(TG_TABLE_NAME);
  admin boolean := %(all)s;
  old_row jsonb;
  new_row jsonb;
  claimed text;
  cols text;
  done jsonb;
  seq text;
  got bigint;
  refs jsonb := COALESCE(TG_ARGV[2], '{}')::jsonb;
  own_refs jsonb := COALESCE(TG_ARGV[3], '{}')::jsonb;
  ref record;
  present boolean;
BEGIN
  IF TG_OP <> 'INSERT' THEN
    old_row := pg_catalog.to_jsonb(OLD);
    IF old_row ->> col IS DISTINCT FROM who AND NOT admin THEN
      RETURN NULL;
    END IF;
  END IF;
  IF TG_OP = 'DELETE' THEN
    EXECUTE 'DELETE FROM ' || target || ' t WHERE t.id = $1 AND pg_catalog.to_jsonb(t) '
            'OPERATOR(pg_catalog.@>) $2 RETURNING pg_catalog.to_jsonb(t)'
      INTO done USING (old_row ->> 'id')::bigint, old_row;
    IF done IS NULL THEN RETURN NULL; END IF;
    RETURN OLD;
  END IF;
  new_row := pg_catalog.to_jsonb(NEW);
  claimed := new_row ->> col;
  IF TG_OP = 'UPDATE' THEN
    IF claimed IS DISTINCT FROM old_row ->> col AND NOT admin THEN
      RAISE EXCEPTION USING ERRCODE = 'insufficient_privilege',
        MESSAGE = 'the ' || col || ' of a ' || TG_TABLE_NAME || ' cannot be changed';
    END IF;
    -- an id is handed out by the sequence: one moved to the next id made the next insert
    -- of every user fail (team schema 10)
    IF new_row ->> 'id' IS DISTINCT FROM old_row ->> 'id' AND NOT admin THEN
      RAISE EXCEPTION USING ERRCODE = 'insufficient_privilege',
        MESSAGE = 'the id of a ' || TG_TABLE_NAME || ' cannot be changed';
    END IF;
  ELSIF claimed IS NULL OR claimed = '' OR (TG_ARGV[1] = 'force' AND NOT admin) THEN
    new_row := new_row || pg_catalog.jsonb_build_object(col, who);
  ELSIF claimed <> who AND NOT admin THEN
    RAISE EXCEPTION USING ERRCODE = 'insufficient_privilege',
      MESSAGE = 'new row violates the row-level security of ' || TG_TABLE_NAME || ': its '
                || col || ' ' || pg_catalog.quote_literal(claimed) || ' is not the login role';
  END IF;
  -- the shared rows it names exist (``SharedReference``: a read, which locks nothing)
  FOR ref IN SELECT r.key, r.value #>> '{}' AS target FROM pg_catalog.jsonb_each(refs) r LOOP
    IF new_row ->> ref.key IS NOT NULL
       AND (TG_OP = 'INSERT' OR new_row ->> ref.key IS DISTINCT FROM old_row ->> ref.key) THEN
      EXECUTE 'SELECT EXISTS (SELECT 1 FROM {schema}.' || pg_catalog.quote_ident(ref.target)
              || ' s WHERE s.id = $1)' INTO present USING (new_row ->> ref.key)::bigint;
      IF NOT present THEN
        RAISE EXCEPTION USING ERRCODE = 'foreign_key_violation',
          MESSAGE = 'insert or update on table "' || TG_TABLE_NAME
                    || '" violates foreign key constraint "' || TG_TABLE_NAME || '_'
                    || ref.key || '_fkey"',
          DETAIL = 'Key (' || ref.key || ')=(' || (new_row ->> ref.key)
                   || ') is not present in table "' || ref.target || '".';
      END IF;
    END IF;
  END LOOP;
  -- the private rows it names are the same user's (``PrivateReference``): a teammate's
  -- answer the same as a row that is not there (their foreign key told whether a
  -- teammate's row of that id existed, and its cascade when they removed it)
  FOR ref IN SELECT r.key, r.value ->> 0 AS target, r.value ->> 1 AS whose
               FROM pg_catalog.jsonb_each(own_refs) r LOOP
    IF new_row ->> ref.key IS NOT NULL
       AND (TG_OP = 'INSERT' OR new_row ->> ref.key IS DISTINCT FROM old_row ->> ref.key) THEN
      EXECUTE 'SELECT EXISTS (SELECT 1 FROM ' || pg_catalog.quote_ident('{private_name}')
              || '.' || pg_catalog.quote_ident(ref.target) || ' s WHERE s.id = $1 AND s.'
              || pg_catalog.quote_ident(ref.whose) || ' = $2)'
        INTO present USING (new_row ->> ref.key)::bigint, new_row ->> col;
      IF NOT present THEN
        RAISE EXCEPTION USING ERRCODE = 'foreign_key_violation',
          MESSAGE = 'insert or update on table "' || TG_TABLE_NAME
                    || '" violates foreign key constraint "' || TG_TABLE_NAME || '_'
                    || ref.key || '_fkey"',
          DETAIL = 'Key (' || ref.key || ')=(' || (new_row ->> ref.key)
                   || ') is not present in table "' || ref.target || '".';
      END IF;
    END IF;
  END LOOP;
  IF TG_OP = 'INSERT' THEN  -- columns left out (NULL) take the table's defaults (the id)
    new_row := pg_catalog.jsonb_strip_nulls(new_row);
    seq := pg_catalog.pg_get_serial_sequence(target, 'id');
    IF new_row ? 'id' AND seq IS NOT NULL THEN
      -- a row with its own id (a restore, an undo): the sequence continues after it, as
      -- dump.advance_sequences does for the shared tables (only forward, never setval)
      got := pg_catalog.nextval(seq);
      IF (new_row ->> 'id')::bigint - got > %(most)s AND NOT admin THEN
        RAISE EXCEPTION USING ERRCODE = 'insufficient_privilege',
          MESSAGE = 'the id of a new ' || TG_TABLE_NAME || ' is too far past the ids in use';
      END IF;
      IF got < (new_row ->> 'id')::bigint THEN
        PERFORM pg_catalog.max(pg_catalog.nextval(seq))
           FROM pg_catalog.generate_series(1, (new_row ->> 'id')::bigint - got);
      END IF;
    END IF;
  END IF;
  SELECT pg_catalog.string_agg(pg_catalog.quote_ident(k), ', ') INTO cols
    FROM pg_catalog.jsonb_object_keys(new_row) AS k;
  IF TG_OP = 'INSERT' THEN
    EXECUTE 'INSERT INTO ' || target || ' AS t (' || cols || ') SELECT ' || cols
            || ' FROM pg_catalog.jsonb_populate_record(NULL::' || target || ', $1) '
            'RETURNING pg_catalog.to_jsonb(t)'
      INTO done USING new_row;
  ELSE
    EXECUTE 'UPDATE ' || target || ' AS t SET (' || cols || ') = (SELECT ' || cols
            || ' FROM pg_catalog.jsonb_populate_record(NULL::' || target || ', $1)) '
            'WHERE t.id = $2 AND pg_catalog.to_jsonb(t) OPERATOR(pg_catalog.@>) $3 '
            'RETURNING pg_catalog.to_jsonb(t)'
      INTO done USING new_row, (old_row ->> 'id')::bigint, old_row;
    IF done IS NULL THEN RETURN NULL; END IF;
  END IF;
  NEW := pg_catalog.jsonb_populate_record(NEW, done);
  RETURN NEW;
END $$"""

#: What a shared table's rows being deleted does to the private rows that name them
#: (``SharedReference``; %(target)s: the shared table, %(statements)s: one per reference),
#: for every owner's rows: a statement trigger over the deleted rows (``gone``).
_FORGET_FN = """
CREATE OR REPLACE FUNCTION {private}.planner_forget_%(target)s() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = {path} AS $$
BEGIN
  %(statements)s
  RETURN NULL;
END $$"""


def _forget_sql(target: str, schema: str) -> list[str]:
    """The function and trigger that do, when rows of ``target`` are deleted, what the
    private tables' foreign keys to it did."""
    statements = []
    for ref in shared_references():
        if ref.target != target:
            continue
        table = f"{{private}}.{ref.table}"
        if ref.on_delete == "CASCADE":
            statements.append(f"DELETE FROM {table} t USING gone g WHERE t.{ref.column} = g.id;")
        else:
            statements.append(f"UPDATE {table} t SET {ref.column} = NULL FROM gone g "
                              f"WHERE t.{ref.column} = g.id;")
    function = _FORGET_FN % {"target": target, "statements": "\n  ".join(statements)}
    return [_private(function, schema),
            f"DROP TRIGGER IF EXISTS {target}_forget_private ON {schema}.{target}",
            f"CREATE TRIGGER {target}_forget_private AFTER DELETE ON {schema}.{target} "
            f"REFERENCING OLD TABLE AS gone FOR EACH STATEMENT "
            f"EXECUTE FUNCTION {PRIVATE_SCHEMA}.planner_forget_{target}()"]


def _shared_targets() -> list[str]:
    return sorted({ref.target for ref in shared_references()})


#: Drops the foreign keys from the private tables to shared ones (``SharedReference``),
#: whatever they are named (a migration makes them; the team setup after it drops them).
_DROP_SHARED_KEYS = """DO $$
DECLARE
  k record;
BEGIN
  FOR k IN SELECT c.conrelid::regclass::text AS tbl, c.conname
             FROM pg_catalog.pg_constraint c
             JOIN pg_catalog.pg_class r ON r.oid = c.conrelid
             JOIN pg_catalog.pg_class f ON f.oid = c.confrelid
            WHERE c.contype = 'f' AND r.relnamespace = '{private_name}'::regnamespace
              AND f.relnamespace <> '{private_name}'::regnamespace LOOP
    EXECUTE 'ALTER TABLE ' || k.tbl || ' DROP CONSTRAINT ' || pg_catalog.quote_ident(k.conname);
  END LOOP;
END $$"""


#: (name, argument types) of the SECURITY DEFINER functions in ``PRIVATE_SCHEMA``.
def private_functions() -> list[tuple[str, str]]:
    return ([(f"planner_rows_{t.name}", "") for t in PRIVATE_TABLES]
            + [("planner_write_private", "")]
            + [(f"planner_forget_{target}", "") for target in _shared_targets()])


#: (name, argument types) of the SECURITY DEFINER functions in the planner's schema that
#: read one person's private rows (``_OF_FN``): EXECUTE for planner users only.
def reader_functions() -> list[tuple[str, str]]:
    return [(f"planner_rows_{t.name}_of", "bigint[]") for t in PRIVATE_TABLES if t.contact]


def _of_sql(t: PrivateTable, schema: str) -> str:
    return _private(_OF_FN % {"table": t.name, "rows": t.rows(by_person=True)}, schema)


def _private(template: str, schema: str) -> str:
    return fill(template.replace("{private}", PRIVATE_SCHEMA)
                .replace("{private_name}", PRIVATE_SCHEMA), schema)


def private_setup_sql(schema: str = "public") -> list[str]:
    """The statements that keep the private tables in ``PRIVATE_SCHEMA`` (moving them
    there from the planner's ``schema`` where an older setup or a migration left them,
    rows, ids, sequences, indexes and triggers with them) and make each one's view and
    the views' write trigger. Needs the schema made (``_private_schema``)."""
    s, p = schema, PRIVATE_SCHEMA
    sql = [_private(_WRITE_FN % {"all": SEES_ALL, "most": MAX_ID_AHEAD}, s)]
    for t in PRIVATE_TABLES:
        sql.append(f"""DO $$ BEGIN
  IF EXISTS (SELECT 1 FROM pg_catalog.pg_class c
              WHERE c.oid = pg_catalog.to_regclass('{s}.{t.name}') AND c.relkind = 'r') THEN
    ALTER TABLE {s}.{t.name} SET SCHEMA {p};
  END IF;
END $$""")
        # the views' triggers fill the owner now (the table's own ones would see the
        # definer as current_user); row-level security stays as a second wall, not forced
        # (the owner, i.e. the admin, reads and repairs every row)
        sql += [f"DROP TRIGGER IF EXISTS {t.name}_fill_{t.column} ON {p}.{t.name}",
                f"ALTER TABLE {p}.{t.name} ENABLE ROW LEVEL SECURITY",
                f"ALTER TABLE {p}.{t.name} NO FORCE ROW LEVEL SECURITY",
                f"REVOKE ALL ON {p}.{t.name} FROM PUBLIC",
                _private(_ROWS_FN % {"table": t.name, "rows": t.rows()}, s),
                # made again each time: the view follows columns a migration added, dropped
                # or renamed (its rights are granted again by _users_rights)
                f"DROP VIEW IF EXISTS {s}.{t.name}",
                f"CREATE VIEW {s}.{t.name} AS SELECT * FROM {p}.planner_rows_{t.name}()",
                f"CREATE TRIGGER {t.name}_write INSTEAD OF INSERT OR UPDATE OR DELETE "
                f"ON {s}.{t.name} FOR EACH ROW EXECUTE FUNCTION {p}.planner_write_private("
                f"'{t.column}', '{'force' if t.forced else 'refuse'}', '{_references(t)}', "
                f"'{_own_references(t)}')"]
        if t.contact:
            sql.append(_of_sql(t, s))
    sql.append(_private(_DROP_SHARED_KEYS, s))
    for target in _shared_targets():
        sql += _forget_sql(target, s)
    sql += [f"CREATE INDEX IF NOT EXISTS {name} ON {p}.{table} {how}"
            for name, table, how in OWN_INDEXES]
    return sql


def _references(t: PrivateTable) -> str:
    """The views' trigger argument naming ``t``'s shared references: a JSON object of
    column to shared table (names of the models: no quote to escape)."""
    return json.dumps({ref.column: ref.target for ref in shared_references()
                       if ref.table == t.name}, separators=(",", ":"))


def private_references(t: PrivateTable) -> dict[str, tuple[str, str]]:
    """``t``'s columns that name a row of another private table (by id, with a foreign
    key): column → (that table, its owner column). The views' trigger lets a user name
    only their own rows there (team schema 10)."""
    owners = {p.name: p.column for p in PRIVATE_TABLES}
    model = next(model for model in m.ALL_MODELS if model._meta.table_name == t.name)
    return {field.column_name: (field.rel_model._meta.table_name,
                                 owners[field.rel_model._meta.table_name])
            for field in model._meta.sorted_fields
            if isinstance(field, ForeignKeyField)
            and field.rel_model._meta.table_name in owners}


def _own_references(t: PrivateTable) -> str:
    """The views' trigger argument naming ``private_references`` (a JSON object of column
    to [table, owner column]; names of the models: no quote to escape)."""
    return json.dumps({column: list(pair) for column, pair in private_references(t).items()},
                      separators=(",", ":"))


def _readers(schema: str) -> str:
    """The ``reader_functions`` with their signatures, for GRANT and REVOKE."""
    return ", ".join(f"{schema}.{name}({args})" for name, args in reader_functions())


def private_sequences(db: PostgresqlDatabase) -> list[str]:
    """The private tables' id sequences (in ``PRIVATE_SCHEMA``, moved with their table)."""
    rows = db.execute_sql(
        "SELECT pg_catalog.pg_get_serial_sequence(c.oid::regclass::text, 'id') "
        "FROM pg_catalog.pg_class c WHERE c.relnamespace = %s::regnamespace "
        "AND c.relkind = 'r' AND c.relname = ANY (%s)",
        (PRIVATE_SCHEMA, [t.name for t in PRIVATE_TABLES])).fetchall()
    return [r[0] for r in rows if r[0]]
