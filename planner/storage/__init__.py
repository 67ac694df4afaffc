"""Persistence: peewee models, opening databases, migrations, backups, repositories.

Shared by both engines (this folder): the models and fields, the migrations, the *_repo
modules, dump, settings_repo, secrets, atomic_file, failures, target, threads, drivers,
search_index, people_search and private_rows, and the dispatchers ``database``
(``open_database``: a file or a ``postgresql://`` URL) and ``backend`` (what differs).
``sqlite/``: what only a SQLite/SQLCipher file has (encryption, unlock, backups by the
online API, live_files, leftovers, the sqlite_master check, its backend).
``postgres/``: what only a team database has (connecting, opening, the team setup and
privacy walls, users, trash, live updates, search, status, its backend).
Neither package imports the other (.importlinter); their __init__ files import nothing.
"""
