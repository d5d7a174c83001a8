"""Wiring of the scoring service: the one place that builds and closes resources.

`create_app()` builds nothing that connects; the lifespan opens the asyncpg pool
(applying migrations), starts the producer, and closes both after `yield`. Run it with
`hiring-pipeline run scoring`, or `faststream run services.scoring.app:create_app --factory`.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime
from typing import Any

import asyncpg
import structlog
from faststream import AckPolicy
from faststream.asgi import AsgiFastStream
from faststream.kafka import KafkaBroker
from prometheus_client import CollectorRegistry

from schemas import topics
from schemas.rubric import load_rubric
from services.runtime.http import health_routes
from services.runtime.http import serve as run_asgi
from services.runtime.kafka import KafkaSender, RecordSender, new_producer
from services.runtime.logs import configure_logging
from services.runtime.subscriber import RetryBackoff, raw_records, tolerant_parser
from services.scoring.consumer import ScoringHandler, ScoringMetrics
from services.scoring.settings import ScoringSettings
from services.scoring.store import PostgresScoreStore, ScoreStore

log = structlog.get_logger(service="scoring")
Resources = Callable[[ScoringSettings], contextlib.AbstractAsyncContextManager[tuple[ScoreStore, RecordSender]]]


@contextlib.asynccontextmanager
async def connect(settings: ScoringSettings) -> AsyncIterator[tuple[ScoreStore, RecordSender]]:
    pool = await asyncpg.create_pool(settings.database_url, min_size=1, max_size=settings.db_pool_max_size)
    producer = new_producer(settings.kafka_options(), client_id="scoring")
    try:
        applied = await PostgresScoreStore.migrate(pool)
        log.info("migrations_applied", applied=applied)
        await producer.start()
        yield PostgresScoreStore(pool), KafkaSender(producer)
    finally:
        await producer.stop()
        await pool.close()


def create_app(
    settings: ScoringSettings | None = None,
    *,
    resources: Resources = connect,
    clock: Callable[[], datetime] = lambda: datetime.now(UTC),
) -> AsgiFastStream:
    settings = settings or ScoringSettings()
    configure_logging(settings.log_format, settings.log_level)
    registry = CollectorRegistry()
    metrics = ScoringMetrics(registry)
    broker = KafkaBroker(
        settings.kafka_bootstrap_servers, security=settings.faststream_security(), client_id="scoring", logger=None
    )
    runtime: dict[str, Any] = {}
    backoff = RetryBackoff(log)

    @broker.subscriber(
        topics.INTERVIEW_COMPLETED,
        group_id=settings.scoring_group_id,
        batch=True,
        max_records=settings.batch_max_records,
        batch_timeout_ms=settings.batch_timeout_ms,
        max_poll_interval_ms=settings.max_poll_interval_ms,
        auto_offset_reset="earliest",
        # Commit only after a batch succeeded; on an error seek back and retry it. (AckPolicy.ACK
        # would commit after an error too, and ACK_FIRST, the default, before processing.)
        ack_policy=AckPolicy.NACK_ON_ERROR,
        parser=tolerant_parser,
        decoder=raw_records,
    )
    async def on_interview_completed(records: list[Any]) -> None:
        async with backoff:
            await runtime["handler"].handle(records)

    async def database_ready() -> None:
        await runtime["handler"].store.ping()

    async def broker_ready() -> None:
        if not await broker.ping(timeout=2.0):
            raise ConnectionError("kafka")

    @contextlib.asynccontextmanager
    async def lifespan() -> AsyncIterator[None]:
        async with resources(settings) as (store, sender):
            runtime["handler"] = ScoringHandler(store, sender, load_rubric(), clock, metrics, settings.scoring_group_id)
            log.info("started", http_port=settings.http_port)
            yield
        log.info("stopped")

    return AsgiFastStream(
        broker,
        lifespan=lifespan,
        asgi_routes=health_routes({"database": database_ready, "kafka": broker_ready}, registry),
    )


def serve(settings: ScoringSettings | None = None) -> None:
    settings = settings or ScoringSettings()
    run_asgi(create_app(settings), settings.http_host, settings.http_port)
