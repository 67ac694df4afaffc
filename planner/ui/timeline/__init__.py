"""Touchpoints and notes: the timelines, the log dialog and everyone's activity."""
