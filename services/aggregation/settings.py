"""The aggregation service's settings (environment variables, see the README's table)."""

from __future__ import annotations

from pathlib import Path

from schemas.rubric import RUBRIC_DIR, RoleProfile, load_roles
from services.runtime.settings import ServiceSettings


class AggregationSettings(ServiceSettings):
    http_port: int = 8082
    aggregation_group_id: str = "aggregation"
    outbox_relay_interval_s: float = 1.0
    calibration_refresh_s: float = 300.0
    """How often the interviewers' calibration is computed again from the stored interviews."""
    roles_file: Path = RUBRIC_DIR / "roles.toml"
    """The role profiles decisions follow (`ROLES_FILE`). A changed copy takes effect for each
    pair at its next event, or for every pair at once with `hiring-pipeline rebuild aggregation`."""

    def roles(self) -> dict[str, RoleProfile]:
        return load_roles(self.roles_file)
