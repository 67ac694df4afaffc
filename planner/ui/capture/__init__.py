"""Captured touchpoints: the review inbox and the capture sources dialog."""
