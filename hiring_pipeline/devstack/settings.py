"""Settings of the local stack: where its state lives, the broker's heap, partitions.

12-factor: every address comes from the environment, so the same commands work against
the local stack, docker-compose or a managed cluster. A `*_FILE` variable (e.g.
`DATABASE_URL_FILE=/run/secrets/db_url`) is read instead of the plain one, for secrets.
"""

from __future__ import annotations

import os
from pathlib import Path

from pydantic import AliasChoices, Field

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
    topic_partitions: int = Field(default=6, validation_alias=AliasChoices("TOPIC_PARTITIONS", "topic_partitions"))
