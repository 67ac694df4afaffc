"""Deterministic demo data: a realistic network for trying the app and for benchmarks.

``generate(n_contacts, n_touchpoints, seed=1, now=None)`` fills the database
bound by ``open_database`` (it must be empty) and returns a ``DemoSummary``.
"""

from planner.demo.generate import DemoSummary, describe, existing_data, generate

__all__ = ["DemoSummary", "describe", "existing_data", "generate"]
