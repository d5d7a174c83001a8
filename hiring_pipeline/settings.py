"""Settings of the command-line tools (the services have their own classes).

12-factor: every address comes from the environment, so the same commands work against
the local stack, docker-compose or a managed cluster. A `*_FILE` variable (e.g.
`DATABASE_URL_FILE=/run/secrets/db_url`) is read instead of the plain one, for secrets.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from pydantic import AliasChoices, Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_KAFKA = "127.0.0.1:9092"
DEFAULT_DATABASE_URL = "postgresql://hiring@127.0.0.1:5432/hiring"


def _default_state_dir() -> Path:
    # PostgreSQL refuses to run as root, so as root the cluster runs as the `postgres`
    # user, which cannot enter /root: keep the state where it can.
    if os.geteuid() == 0:
        return Path("/var/lib/hiring-pipeline")
    return Path(os.environ.get("XDG_STATE_HOME", Path.home() / ".local/state")) / "hiring-pipeline"


def read_secret_files(values: dict[str, Any], fields: list[str]) -> dict[str, Any]:
    """For each field, let `<FIELD>_FILE` name a file whose content is the value."""
    for name in fields:
        path = os.environ.get(f"{name.upper()}_FILE")
        if path:
            values[name] = Path(path).read_text(encoding="utf-8").strip()
    return values


class InfraSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="", extra="ignore")

    kafka_bootstrap_servers: str = DEFAULT_KAFKA
    database_url: str = DEFAULT_DATABASE_URL
    state_dir: Path = Field(default_factory=_default_state_dir, validation_alias=AliasChoices("HIRING_PIPELINE_STATE_DIR", "state_dir"))
    kafka_heap: str = Field(default="512m", validation_alias=AliasChoices("KAFKA_HEAP", "kafka_heap"))
    topic_partitions: int = Field(default=6, validation_alias=AliasChoices("TOPIC_PARTITIONS", "topic_partitions"))

    @model_validator(mode="before")
    @classmethod
    def _secrets_from_files(cls, values: dict[str, Any]) -> dict[str, Any]:
        return read_secret_files(values, ["database_url"])
