"""The aggregation service's settings (environment variables, see the README's table)."""

from __future__ import annotations

from services.runtime.settings import ServiceSettings


class AggregationSettings(ServiceSettings):
    http_port: int = 8082
    aggregation_group_id: str = "aggregation"
    outbox_relay_interval_s: float = 1.0
