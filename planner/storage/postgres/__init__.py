"""Team databases: everything PostgreSQL-specific (``database.open_database`` only dispatches).

- ``connection``: a ``postgresql://`` URL, its password, the driver adapter and the
  database class; ``CannotConnect`` and ``diagnosis`` (why a connection was refused);
- ``opening``: ``open_postgres``, the schema checked and migrated under a lock;
- ``team_setup``: what only a team database has (triggers, policies, rights, the definer
  role), with ``privacy`` (the private tables behind their views) and ``live`` (LISTEN/
  NOTIFY and the change log);
- ``users`` and ``trash``: what an admin does (``db add-user``, ``remove-user``, ``trash``);
- ``backend``, ``search`` and ``status``: the team database's backend, full-text search
  and ``db status``.

Nothing is imported here: a process that never opens a team database imports none of it
(nor psycopg2, which ``connection.Psycopg2WhenUsed`` imports when it connects).
"""
