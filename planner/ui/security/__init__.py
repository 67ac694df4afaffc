"""Encryption at rest: the passphrase dialogs and the work they run off the GUI thread."""
