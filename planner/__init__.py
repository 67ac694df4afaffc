"""Mentorship Planner: the pyramid of mentorship (3 / 12 / 72) as a desktop tool."""

__version__ = "0.1.0"
APP_NAME = "Mentorship Planner"
APP_ID = "mentorship-planner"
