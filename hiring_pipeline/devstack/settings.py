"""Settings of the local stack: where its state lives, the broker's heap, partitions.

12-factor: every address comes from the environment, so the same commands work against
the local stack, docker-compose or a managed cluster. A `*_FILE` variable (e.g.
`DATABASE_URL_FILE=/run/secrets/db_url`) is read instead of the plain one, for secrets.
"""

from __future__ import annotations

import os
from pathlib import Path

from pydantic import AliasChoices, Field, model_validator

from services.runtime.settings import ProcessSettings


def _default_state_dir() -> Path:
    # PostgreSQL refuses to run as root, so as root the cluster runs as the `postgres`
    # user, which cannot enter /root: keep the state where it can.
    if os.geteuid() == 0:
        return Path("/var/lib/hiring-pipeline")
    return Path(os.environ.get("XDG_STATE_HOME", Path.home() / ".local/state")) / "hiring-pipeline"


class InfraSettings(ProcessSettings):
    state_dir: Path = Field(
        default_factory=_default_state_dir, validation_alias=AliasChoices("HIRING_PIPELINE_STATE_DIR", "state_dir")
    )
    kafka_heap: str = Field(default="512m", validation_alias=AliasChoices("KAFKA_HEAP", "kafka_heap"))
    topic_partitions: int = Field(
        default=6, ge=1, validation_alias=AliasChoices("TOPIC_PARTITIONS", "topic_partitions")
    )
    # Unset: 1 and 1 on a single broker, 3 and 2 on a cluster of three or more brokers.
    topic_replication_factor: int | None = Field(
        default=None, ge=1, validation_alias=AliasChoices("TOPIC_REPLICATION_FACTOR", "topic_replication_factor")
    )
    topic_min_insync_replicas: int | None = Field(
        default=None, ge=1, validation_alias=AliasChoices("TOPIC_MIN_INSYNC_REPLICAS", "topic_min_insync_replicas")
    )

    @model_validator(mode="after")
    def _insync_within_replicas(self) -> InfraSettings:
        rf, isr = self.topic_replication_factor, self.topic_min_insync_replicas
        if rf is not None and isr is not None and isr > rf:
            raise ValueError(f"TOPIC_MIN_INSYNC_REPLICAS ({isr}) cannot exceed TOPIC_REPLICATION_FACTOR ({rf})")
        return self
