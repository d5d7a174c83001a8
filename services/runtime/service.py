"""The shape both services share: one batch subscriber with our delivery rules, health and
metrics routes, and a lifespan that holds the handler's resources.

Each service says what is its own (topic, group, how to open its resources and build its
handler); this module says, once, how a batch is consumed: raw records, offsets committed
only after the batch succeeded, and the one rule for a batch that fails
(`services.runtime.delivery`: a transient error retried with a growing pause, a permanent
one split down to its record, which is dead-lettered).
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
from collections.abc import AsyncIterator, Callable, Sequence
from typing import Any, Protocol

import asyncpg
import structlog
from aiokafka import ConsumerRecord
from faststream import AckPolicy
from faststream.asgi import AsgiFastStream
from faststream.kafka import KafkaBroker
from prometheus_client import CollectorRegistry

from schemas import topics
from services.runtime.dead_letter import DeadLetter
from services.runtime.delivery import Delivery
from services.runtime.http import HealthApp
from services.runtime.kafka import KafkaSender, RecordSender, new_producer
from services.runtime.lag import consumer_lag_refresher
from services.runtime.migrations import PostgresStore
from services.runtime.settings import ProcessSettings, ServiceSettings
from services.runtime.subscriber import raw_records, tolerant_parser


class Pingable(Protocol):
    async def ping(self) -> None: ...


class BatchHandler(Protocol):
    @property
    def store(self) -> Pingable: ...  # read-only: a handler's own store type satisfies it

    async def handle(self, records: Sequence[ConsumerRecord]) -> None: ...

    async def refuse(self, letters: Sequence[DeadLetter]) -> None:
        """Send dead letters the delivery rule found; counted and logged like the handler's own."""


@contextlib.asynccontextmanager
async def database_and_producer(
    settings: ProcessSettings, name: str, store_class: type[PostgresStore], log: structlog.typing.FilteringBoundLogger
) -> AsyncIterator[tuple[Any, RecordSender]]:
    """The asyncpg pool (migrations applied) behind the process's store, and the producer;
    both closed on the way out. For the services and both Greenhouse processes."""
    pool = await asyncpg.create_pool(settings.database_url, min_size=1, max_size=settings.db_pool_max_size)
    producer = new_producer(settings.kafka_options(), client_id=name)
    try:
        applied = await store_class.migrate(pool)
        log.info("migrations_applied", applied=applied)
        await producer.start()
        yield store_class(pool), KafkaSender(producer)
    finally:
        await producer.stop()
        await pool.close()


async def deliver(records: Sequence[ConsumerRecord], handler: BatchHandler, delivery: Delivery) -> None:
    """The one rule for a batch that fails, for every consuming service: a transient error
    (broker or database unreachable, timeouts) is logged, waited on (the pause grows) and
    re-raised, so FastStream seeks the batch back and it is retried; an error permanent for
    one record (data, encoding, size, constraint) splits the batch until that record is
    alone, dead-letters it with its reason and coordinates, and processes the rest once.
    See `services.runtime.delivery`."""
    await delivery.deliver(records, handler)


def service_app(
    *,
    name: str,
    settings: ServiceSettings,
    topic: str,
    group_id: str,
    registry: CollectorRegistry,
    log: structlog.typing.FilteringBoundLogger,
    running: Callable[[], contextlib.AbstractAsyncContextManager[BatchHandler]],
) -> AsgiFastStream:
    broker = KafkaBroker(
        # A list: FastStream passes a comma-separated string on as one host.
        settings.kafka_bootstrap_servers.split(","),
        security=settings.faststream_security(),
        client_id=name,
        logger=None,
    )
    current: dict[str, Any] = {}

    async def infrastructure_answers() -> bool:
        try:
            await asyncio.wait_for(current["handler"].store.ping(), 2.0)
        except Exception:  # noqa: BLE001 - down is the answer
            return False
        return bool(await broker.ping(timeout=2.0))

    delivery = Delivery(
        name,
        registry,
        log,
        infrastructure_answers=infrastructure_answers,
        unready_after=settings.unready_after_batch_failures,
        unclassified_attempts=settings.unclassified_error_attempts,
        retry_in_place_s=settings.max_poll_interval_ms / 2000,
    )

    subscriber = broker.subscriber(
        topic,
        title=f"{name}.{topic}",  # the AsyncAPI document is generated from these declarations
        description=f"{name} consumes {topic} in batches; a record it cannot read goes to {topics.dead_letter(topic)}",
        group_id=group_id,
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
    for output in topics.PUBLISHES.get(topic, ()):  # sent through the raw producer; declared for the document
        broker.publisher(output, title=f"{name}.{output}", description=f"{name} publishes to {output}")

    @subscriber
    async def on_batch(records: list[Any]) -> None:
        await deliver(records, current["handler"], delivery)

    async def database_ready() -> None:
        await current["handler"].store.ping()

    async def broker_ready() -> None:
        if not await broker.ping(timeout=2.0):
            raise ConnectionError("kafka")

    @contextlib.asynccontextmanager
    async def lifespan() -> AsyncIterator[None]:
        async with running() as handler:
            current["handler"] = handler
            # What start-up built (modules, the rubric, the compiled scans, the clients) lives as
            # long as the process: out of the collector's sight, so no collection walks it again.
            gc.collect()
            gc.freeze()
            log.info("started", http_port=getattr(settings, "http_port", None))
            yield
        log.info("stopped")

    return AsgiFastStream(
        broker,
        lifespan=lifespan,
        asgi_routes=HealthApp(
            {"database": database_ready, "kafka": broker_ready, "consumer": delivery.ready},
            registry,
            refresh=[consumer_lag_refresher(registry, group_id, lambda: subscriber.consumer)],
        ).routes(),
    )
