"""What every service's settings class has: addresses, secrets from files, logging."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Literal

from pydantic import model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

SECRET_FIELDS = ("database_url", "kafka_sasl_password")


class ServiceSettings(BaseSettings):
    """Read from the environment (12-factor). `<NAME>_FILE` reads a secret from a file."""

    model_config = SettingsConfigDict(env_prefix="", extra="ignore")

    kafka_bootstrap_servers: str = "127.0.0.1:9092"
    database_url: str = "postgresql://hiring@127.0.0.1:5432/hiring"
    http_host: str = "127.0.0.1"
    log_format: Literal["json", "console"] = "json"
    log_level: str = "INFO"
    batch_max_records: int = 500
    batch_timeout_ms: int = 100
    max_poll_interval_ms: int = 300_000
    db_pool_max_size: int = 4

    @model_validator(mode="before")
    @classmethod
    def _secrets_from_files(cls, values: dict[str, Any]) -> dict[str, Any]:
        for name in SECRET_FIELDS:
            path = os.environ.get(f"{name.upper()}_FILE")
            if path:
                values[name] = Path(path).read_text(encoding="utf-8").strip()
        return values
