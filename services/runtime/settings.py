"""The one base settings class every process builds on, and the services' own additions.

`ProcessSettings` is what every process of the project reads: the Kafka connection (with
SASL/SSL), the database URL, where to serve health and metrics, how to log. The services,
the Greenhouse processes and the command-line tools subclass it and add only their own.

12-factor: everything from the environment. A secret can come from a file instead:
`<NAME>_FILE=/run/secrets/x` sets `<NAME>` (for DATABASE_URL and KAFKA_SASL_PASSWORD).
PostgreSQL TLS goes in the URL itself: `?sslmode=verify-full&sslrootcert=/path/ca.pem`.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, Literal

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

if TYPE_CHECKING:  # the Kafka clients are imported when a connection is made, not with the settings
    import ssl

    from faststream.security import BaseSecurity

SECRET_FIELDS = ("database_url", "kafka_sasl_password")
DEFAULT_DATABASE_URL = "postgresql://hiring@127.0.0.1:5432/hiring"


class ProcessSettings(BaseSettings):
    """What every process reads: Kafka (PLAINTEXT is for local development), PostgreSQL,
    the health and metrics address, logging."""

    model_config = SettingsConfigDict(env_prefix="", extra="ignore")

    kafka_bootstrap_servers: str = "127.0.0.1:9092"
    kafka_security_protocol: Literal["PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL"] = "PLAINTEXT"
    kafka_sasl_mechanism: Literal["PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512"] = "PLAIN"
    kafka_sasl_username: str | None = None
    kafka_sasl_password: SecretStr | None = None
    kafka_ssl_cafile: Path | None = None
    kafka_ssl_certfile: Path | None = None
    kafka_ssl_keyfile: Path | None = None
    database_url: str = DEFAULT_DATABASE_URL
    db_pool_max_size: int = 4
    http_host: str = "127.0.0.1"
    log_format: Literal["json", "console"] = "json"
    log_level: str = "INFO"

    secret_fields: ClassVar[tuple[str, ...]] = SECRET_FIELDS
    """Settings that may come from a file named by `<NAME>_FILE`; subclasses add theirs."""

    @model_validator(mode="before")
    @classmethod
    def _secrets_from_files(cls, values: dict[str, Any]) -> dict[str, Any]:
        for name in cls.secret_fields:
            path = os.environ.get(f"{name.upper()}_FILE")
            if path:
                try:
                    values[name] = Path(path).read_text(encoding="utf-8").strip()
                except OSError as exc:  # a missing or unreadable secret is a configuration error
                    raise ValueError(f"{name.upper()}_FILE={path}: {exc.strerror or type(exc).__name__}") from None
        return values

    @field_validator("log_level")
    @classmethod
    def _known_level(cls, value: str) -> str:
        from services.runtime.logs import normalise_level

        return normalise_level(value)

    @model_validator(mode="after")
    def _sasl_needs_credentials(self) -> ProcessSettings:
        if self.kafka_security_protocol.startswith("SASL") and not (
            self.kafka_sasl_username and self.kafka_sasl_password
        ):
            raise ValueError("KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD (or _FILE) are required for SASL")
        return self

    def _ssl_context(self) -> ssl.SSLContext | None:
        if not self.kafka_security_protocol.endswith("SSL"):
            return None
        from aiokafka.helpers import create_ssl_context

        return create_ssl_context(
            cafile=str(self.kafka_ssl_cafile) if self.kafka_ssl_cafile else None,
            certfile=str(self.kafka_ssl_certfile) if self.kafka_ssl_certfile else None,
            keyfile=str(self.kafka_ssl_keyfile) if self.kafka_ssl_keyfile else None,
        )

    def kafka_options(self) -> dict[str, Any]:
        """aiokafka client options: bootstrap servers, security protocol, SASL and SSL."""
        options: dict[str, Any] = {
            "bootstrap_servers": self.kafka_bootstrap_servers,
            "security_protocol": self.kafka_security_protocol,
        }
        if self.kafka_security_protocol.endswith("SSL"):
            options["ssl_context"] = self._ssl_context()
        if self.kafka_security_protocol.startswith("SASL"):
            options["sasl_mechanism"] = self.kafka_sasl_mechanism
            options["sasl_plain_username"] = self.kafka_sasl_username
            options["sasl_plain_password"] = self.kafka_sasl_password.get_secret_value()  # type: ignore[union-attr]
        return options

    def faststream_security(self) -> BaseSecurity | None:
        """The same, as FastStream's KafkaBroker takes it."""
        from faststream.security import BaseSecurity, SASLPlaintext, SASLScram256, SASLScram512

        sasl = {"PLAIN": SASLPlaintext, "SCRAM-SHA-256": SASLScram256, "SCRAM-SHA-512": SASLScram512}
        use_ssl = self.kafka_security_protocol.endswith("SSL")
        if self.kafka_security_protocol.startswith("SASL"):
            return sasl[self.kafka_sasl_mechanism](
                self.kafka_sasl_username,  # type: ignore[arg-type]
                self.kafka_sasl_password.get_secret_value(),  # type: ignore[union-attr]
                ssl_context=self._ssl_context(),
                use_ssl=use_ssl,
            )
        if use_ssl:
            return BaseSecurity(ssl_context=self._ssl_context(), use_ssl=True)
        return None


class ServiceSettings(ProcessSettings):
    """A consuming service's batch settings (see the README's configuration table)."""

    batch_max_records: int = 500
    batch_timeout_ms: int = 100
    max_poll_interval_ms: int = 300_000
    unready_after_batch_failures: int = Field(default=5, ge=1)
    """/health/ready answers 503, naming the batch and its error, after this many failures in a row."""
    unclassified_error_attempts: int = Field(default=3, ge=1)
    """An error neither transient nor permanent by type is retried this often (while the database
    and broker answer) before the batch is split to find the record it belongs to."""
