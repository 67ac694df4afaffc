"""Database files: what only a SQLite or SQLCipher file has (a team database has none of it).

- ``backend``: a file's backend (BEGIN IMMEDIATE, the write lock, ``data_version``);
- ``live_files``: which files this process holds connections to (POSIX locks), so no
  file work touches a live database;
- ``backup``: consistent copies by SQLite's online backup API, the backups folder;
- ``encryption`` (SQLCipher: keys, converting a file) and ``unlock`` (finding a key);
- ``leftovers``: what an interrupted conversion, restore or backup left beside a file;
- ``schema_check`` and ``schema_expected``: a file's ``sqlite_master`` is exactly ours.

Nothing is imported here.
"""
