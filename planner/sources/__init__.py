"""Remote sources of captured touchpoints (issue 24): a CalDAV calendar, an IMAP folder.

Protocol code only — plain Python, no Qt, no peewee: each source reads its server
read-only and returns :class:`planner.domain.capture.Captured` items in batches, each with
the state (sync token, last UID…) that is true once that batch is stored. Storing them,
the secrets and the source rows are :mod:`planner.services.capture_sync`'s.
"""
