"""The Greenhouse adapter's settings (environment variables, see the README's table).

Secrets come from the environment or from files: `GREENHOUSE_API_KEY_FILE`,
`GREENHOUSE_WEBHOOK_SECRET_FILE` (and `DATABASE_URL_FILE`, `KAFKA_SASL_PASSWORD_FILE`).
"""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar, Literal

from pydantic import SecretStr

from services.runtime.settings import SECRET_FIELDS, ProcessSettings, ServiceSettings


class GreenhouseSettings(ProcessSettings):
    secret_fields: ClassVar[tuple[str, ...]] = (*SECRET_FIELDS, "greenhouse_api_key", "greenhouse_webhook_secret")

    db_pool_max_size: int = 2
    greenhouse_harvest_url: str = "https://harvest.greenhouse.io"
    greenhouse_api_key: SecretStr | None = None
    greenhouse_webhook_secret: SecretStr | None = None
    greenhouse_mapping_file: Path = Path("greenhouse-mapping.toml")
    greenhouse_poll_interval_s: float = 60.0
    greenhouse_overlap_s: float = 300.0
    """Each poll starts this far before the previous one did: clock skew and slow commits in
    Greenhouse cannot hide an edit; what is fetched twice is published once."""
    greenhouse_per_page: int = 500
    greenhouse_webhook_port: int = 8090
    greenhouse_webhook_timeout_s: float = 10.0
    """A request's head, and its body, must arrive within this (slow clients are disconnected)."""
    greenhouse_webhook_max_connections: int = 64
    """Connections served at once; beyond, 503 (Greenhouse retries)."""
    greenhouse_sync_http_port: int = 8091
    """Health and metrics of the sync loop (0: none)."""
    greenhouse_eeoc_sync: bool = False
    """Read candidates' voluntary self-identification (`GET /v1/eeoc`) for `hiring-pipeline audit`."""
    greenhouse_eeoc_retention_days: int = 730
    """Self-identification submitted longer ago is deleted (two yearly bias audits)."""
    greenhouse_ssl_certfile: Path | None = None
    greenhouse_ssl_keyfile: Path | None = None

    def api_key(self) -> str:
        if self.greenhouse_api_key is None:
            raise ValueError("GREENHOUSE_API_KEY (or GREENHOUSE_API_KEY_FILE) is required for sync")
        return self.greenhouse_api_key.get_secret_value()

    def webhook_secret(self) -> bytes:
        if self.greenhouse_webhook_secret is None:
            raise ValueError(
                "GREENHOUSE_WEBHOOK_SECRET (or GREENHOUSE_WEBHOOK_SECRET_FILE) is required for the webhook"
            )
        return self.greenhouse_webhook_secret.get_secret_value().encode()


class WritebackSettings(GreenhouseSettings, ServiceSettings):
    """`hiring-pipeline ats greenhouse writeback`: the decisions back to Greenhouse as notes."""

    greenhouse_on_behalf_of: int | None = None
    """The Greenhouse user the notes are written as (`On-Behalf-Of`, and the note's `user_id`)."""
    greenhouse_note_visibility: Literal["private", "admin_only", "public"] = "private"
    greenhouse_writeback_group_id: str = "greenhouse-writeback"
    greenhouse_writeback_http_port: int = 8092
    batch_max_records: int = 100

    def on_behalf_of(self) -> int:
        if self.greenhouse_on_behalf_of is None:
            raise ValueError("GREENHOUSE_ON_BEHALF_OF (the Greenhouse user id notes are written as) is required")
        return self.greenhouse_on_behalf_of
