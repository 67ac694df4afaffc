"""The team database dialog."""
