"""Where aggregation state lives (filled in by the aggregation service)."""

from __future__ import annotations

from pathlib import Path

SCHEMA = "aggregation"
MIGRATIONS = Path(__file__).parent / "migrations"
