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

import structlog
from faststream.asgi import AsgiFastStream
from prometheus_client import CollectorRegistry

from schemas import topics
from schemas.rubric import RoleProfile
from services.aggregation.calibration import beyond_threshold, calibrate
from services.aggregation.consumer import AggregationHandler, AggregationMetrics
from services.aggregation.settings import AggregationSettings
from services.aggregation.store import AggregationStore, PostgresAggregationStore
from services.runtime.http import serve as run_asgi
from services.runtime.kafka import RecordSender
from services.runtime.logs import configure_logging
from services.runtime.service import database_and_producer, service_app

log = structlog.get_logger(service="aggregation")
Resources = Callable[
    [AggregationSettings], contextlib.AbstractAsyncContextManager[tuple[AggregationStore, RecordSender]]
]


@contextlib.asynccontextmanager
async def connect(settings: AggregationSettings) -> AsyncIterator[tuple[AggregationStore, RecordSender]]:
    async with database_and_producer(settings, "aggregation", PostgresAggregationStore, log) as (store, sender):
        yield store, sender


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


async def refresh_calibration(
    store: AggregationStore,
    handler: AggregationHandler,
    roles: dict[str, RoleProfile],
    metrics: AggregationMetrics,
    interval_s: float,
) -> None:
    """Compute the interviewers' calibration from the stored interviews, now and every
    `interval_s`, for the decision records (and the metric), until cancelled."""
    while True:
        try:
            calibration = await asyncio.to_thread(calibrate, await store.assessments())  # keep the loop free
            handler.calibration = calibration
            for role in roles.values():
                beyond = {o.interviewer_id for o in beyond_threshold(role, calibration)}
                metrics.calibration_beyond.labels(role.id).set(len(beyond))
            log.info("calibration_refreshed", offsets=len(calibration))
        except Exception as exc:  # noqa: BLE001 - the last calibration stays; the next run retries
            log.error("calibration_refresh_failed", error_type=type(exc).__name__)
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

    @contextlib.asynccontextmanager
    async def running() -> AsyncIterator[AggregationHandler]:
        async with resources(settings) as (store, sender):
            await store.publish_outbox(sender)  # what a crash left behind, before consuming
            relay = asyncio.create_task(relay_outbox(store, sender, settings.outbox_relay_interval_s))
            roles = settings.roles()
            handler = AggregationHandler(store, sender, roles, clock, metrics, settings.aggregation_group_id)
            calibration = asyncio.create_task(
                refresh_calibration(store, handler, roles, metrics, settings.calibration_refresh_s)
            )
            try:
                yield handler
            finally:
                relay.cancel()
                calibration.cancel()
                await asyncio.gather(relay, calibration, return_exceptions=True)

    return service_app(
        name="aggregation",
        settings=settings,
        topic=topics.INTERVIEW_SCORED,
        group_id=settings.aggregation_group_id,
        registry=registry,
        log=log,
        running=running,
    )


def serve(settings: AggregationSettings | None = None) -> None:
    settings = settings or AggregationSettings()
    run_asgi(create_app(settings), settings.http_host, settings.http_port)
