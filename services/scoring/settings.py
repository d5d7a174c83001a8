"""The scoring service's settings (environment variables, see the README's table)."""

from __future__ import annotations

from services.runtime.settings import ServiceSettings


class ScoringSettings(ServiceSettings):
    http_port: int = 8081
    scoring_group_id: str = "scoring"
