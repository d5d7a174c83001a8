"""Wiring of the Greenhouse adapter: the one place that builds and closes its resources.

Two entry points, both run by `hiring-pipeline ats greenhouse ...`: the poller (`sync`)
and the deletion webhook (`webhook`). Each opens the asyncpg pool (applying the
`greenhouse` schema's migrations) and the idempotent producer, and closes them on exit.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, datetime, timedelta

import structlog
from prometheus_client import CollectorRegistry

from services.greenhouse.harvest import HarvestClient
from services.greenhouse.mapping import GreenhouseMapping
from services.greenhouse.metrics import GreenhouseMetrics
from services.greenhouse.settings import GreenhouseSettings
from services.greenhouse.store import PostgresGreenhouseStore
from services.greenhouse.sync import SyncLoop, SyncReport, jobs_of_applications
from services.greenhouse.webhook import WebhookApp
from services.greenhouse.webhook import server as webhook_server
from services.runtime.http import HealthApp, serve_alongside
from services.runtime.kafka import RecordSender
from services.runtime.service import database_and_producer

log = structlog.get_logger(service="greenhouse")


def utc_now() -> datetime:
    return datetime.now(UTC)


@contextlib.asynccontextmanager
async def connect(settings: GreenhouseSettings) -> AsyncIterator[tuple[PostgresGreenhouseStore, RecordSender]]:
    async with database_and_producer(settings, "greenhouse", PostgresGreenhouseStore, log) as (store, sender):
        yield store, sender


async def run_sync(
    settings: GreenhouseSettings,
    *,
    once: bool,
    since: datetime | None = None,
    clock: Callable[[], datetime] = utc_now,
    on_report: Callable[[SyncReport], None] = lambda report: None,
    on_page: Callable[[SyncReport], None] = lambda report: None,
) -> None:
    """Poll until stopped (or once). Unless `once`, health and metrics are served on
    GREENHOUSE_SYNC_HTTP_PORT while polling."""
    mapping = GreenhouseMapping.load(settings.greenhouse_mapping_file)
    client = HarvestClient(settings.greenhouse_harvest_url, settings.api_key(), per_page=settings.greenhouse_per_page)
    metrics = GreenhouseMetrics(CollectorRegistry())
    try:
        async with connect(settings) as (store, sender):
            after_poll = await _eeoc_pass(settings, client, store, mapping, clock)
            loop = SyncLoop(
                client,
                store,
                sender,
                mapping,
                clock,
                timedelta(seconds=settings.greenhouse_overlap_s),
                settings.greenhouse_poll_interval_s,
                metrics,
                since=since,
                on_page=on_page,
                after_poll=after_poll,
            )
            if once or not settings.greenhouse_sync_http_port:
                return await loop.run(once=once, on_report=on_report)
            health = HealthApp({"sync": loop.ready, "database": store.ping}, metrics.registry)
            await serve_alongside(
                loop.run(on_report=on_report), health, settings.http_host, settings.greenhouse_sync_http_port
            )
    finally:
        await client.close()


async def _eeoc_pass(
    settings: GreenhouseSettings,
    client: HarvestClient,
    store: PostgresGreenhouseStore,
    mapping: GreenhouseMapping,
    clock: Callable[[], datetime],
) -> Callable[[], Awaitable[object]] | None:
    """With GREENHOUSE_EEOC_SYNC: the self-identification pass after each poll, into its own schema."""
    if not settings.greenhouse_eeoc_sync:
        return None
    from services.greenhouse.eeoc import PostgresEeocStore, sync_eeoc

    await PostgresEeocStore.migrate(store.pool)
    eeoc_store = PostgresEeocStore(store.pool)

    def after_poll() -> Awaitable[object]:
        return sync_eeoc(
            client,
            eeoc_store,
            mapping,
            lambda ids: jobs_of_applications(client, store, ids),
            clock,
            timedelta(seconds=settings.greenhouse_overlap_s),
            timedelta(days=settings.greenhouse_eeoc_retention_days),
        )

    return after_poll


async def serve_webhook(settings: GreenhouseSettings, clock: Callable[[], datetime] = utc_now) -> None:
    secret = settings.webhook_secret()
    timeout = settings.greenhouse_webhook_timeout_s
    async with connect(settings) as (store, sender):
        app = WebhookApp(secret, store, sender, clock, GreenhouseMetrics(CollectorRegistry()), body_timeout_s=timeout)
        await webhook_server(
            app,
            settings.http_host,
            settings.greenhouse_webhook_port,
            timeout_s=timeout,
            max_connections=settings.greenhouse_webhook_max_connections,
            ssl_certfile=str(settings.greenhouse_ssl_certfile) if settings.greenhouse_ssl_certfile else None,
            ssl_keyfile=str(settings.greenhouse_ssl_keyfile) if settings.greenhouse_ssl_keyfile else None,
        ).serve()
