"""The dashboard of rings, cadences and advocacy."""
