"""The system's secret store (the keyring) as the window sees it: whether it can keep
secrets here, and who says the one-time notice when it cannot."""

from __future__ import annotations

from planner.storage.secret_notice import mark_notice_given, set_notice_handler
from planner.storage.secrets import StoreStatus, store_status

__all__ = ["StoreStatus", "mark_notice_given", "set_notice_handler", "store_status"]
