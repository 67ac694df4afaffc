"""The main window: it lays out the pages and wires them to the document; it does not decide."""
