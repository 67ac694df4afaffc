"""This week and the reminders: the focus list, the weekly review, snoozing, the tray and
notifications."""
