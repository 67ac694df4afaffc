"""Pure domain rules: rings, kinds, cadence, focus. No Qt, no peewee, no I/O."""
