"""Wiring of the aggregation service: the one place that builds and closes resources.

The lifespan opens the asyncpg pool (applying migrations) and the producer, publishes
whatever the outbox still holds from a previous run (a crash between commit and
produce), and keeps a relay task that retries the outbox every few seconds. Run it with
`hiring-pipeline run aggregation`, or
`faststream run services.aggregation.app:create_app --factory`.
"""

from __future__ import annotations

import asyncio
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
from schemas.rubric import load_roles
from services.aggregation.consumer import AggregationHandler, AggregationMetrics
from services.aggregation.settings import AggregationSettings
from services.aggregation.store import AggregationStore, PostgresAggregationStore
from services.runtime.http import health_routes
from services.runtime.http import serve as run_asgi
from services.runtime.kafka import KafkaSender, RecordSender, new_producer
from services.runtime.logs import configure_logging
from services.runtime.subscriber import RetryBackoff, raw_records, tolerant_parser

log = structlog.get_logger(service="aggregation")
Resources = Callable[
    [AggregationSettings], contextlib.AbstractAsyncContextManager[tuple[AggregationStore, RecordSender]]
]


@contextlib.asynccontextmanager
async def connect(settings: AggregationSettings) -> AsyncIterator[tuple[AggregationStore, RecordSender]]:
    pool = await asyncpg.create_pool(settings.database_url, min_size=1, max_size=settings.db_pool_max_size)
    producer = new_producer(settings.kafka_options(), client_id="aggregation")
    try:
        applied = await PostgresAggregationStore.migrate(pool)
        log.info("migrations_applied", applied=applied)
        await producer.start()
        yield PostgresAggregationStore(pool), KafkaSender(producer)
    finally:
        await producer.stop()
        await pool.close()


async def relay_outbox(store: AggregationStore, sender: RecordSender, interval_s: float) -> None:
    """Publish what a failed or crashed batch left in the outbox, until cancelled."""
    while True:
        try:
            published = await store.publish_outbox(sender)
            if published:
                log.info("outbox_relayed", published=published)
        except Exception as exc:  # noqa: BLE001 - keep relaying; the next run retries
            log.error("outbox_relay_failed", error_type=type(exc).__name__)
        await asyncio.sleep(interval_s)


def create_app(
    settings: AggregationSettings | None = None,
    *,
    resources: Resources = connect,
    clock: Callable[[], datetime] = lambda: datetime.now(UTC),
) -> AsgiFastStream:
    settings = settings or AggregationSettings()
    configure_logging(settings.log_format, settings.log_level)
    registry = CollectorRegistry()
    metrics = AggregationMetrics(registry)
    broker = KafkaBroker(
        settings.kafka_bootstrap_servers, security=settings.faststream_security(), client_id="aggregation", logger=None
    )
    runtime: dict[str, Any] = {}
    backoff = RetryBackoff(log)

    @broker.subscriber(
        topics.INTERVIEW_SCORED,
        group_id=settings.aggregation_group_id,
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
    async def on_interview_scored(records: list[Any]) -> None:
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
            runtime["handler"] = AggregationHandler(
                store, sender, load_roles(), clock, metrics, settings.aggregation_group_id
            )
            await store.publish_outbox(sender)  # what a crash left behind, before consuming
            relay = asyncio.create_task(relay_outbox(store, sender, settings.outbox_relay_interval_s))
            log.info("started", http_port=settings.http_port)
            try:
                yield
            finally:
                relay.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await relay
        log.info("stopped")

    return AsgiFastStream(
        broker,
        lifespan=lifespan,
        asgi_routes=health_routes({"database": database_ready, "kafka": broker_ready}, registry),
    )


def serve(settings: AggregationSettings | None = None) -> None:
    settings = settings or AggregationSettings()
    run_asgi(create_app(settings), settings.http_host, settings.http_port)
