"""Widgets, the rings scene, Qt models and dialogs. Nothing here runs SQL."""
