"""About, Preferences and the help sheets."""
