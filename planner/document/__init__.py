"""The window's live state (a QObject with signals) and its undo commands. No widgets."""
