"""Persistence: peewee models, opening databases, migrations, backups, repositories."""
