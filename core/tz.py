"""Vietnam's time: the warehouse and the logs keep UTC, people read GMT+7."""

from __future__ import annotations

VIETNAM_OFFSET_HOURS = 7  # Indochina Time, no daylight saving
