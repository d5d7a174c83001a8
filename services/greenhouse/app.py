"""Wiring of the Greenhouse adapter: the one place that builds and closes its resources.

Two entry points, both run by `hiring-pipeline ats greenhouse ...`: the poller (`sync`)
and the deletion webhook (`webhook`). Each opens the asyncpg pool (applying the
`greenhouse` schema's migrations) and the idempotent producer, and closes them on exit.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime, timedelta

import structlog

from services.greenhouse.harvest import HarvestClient
from services.greenhouse.mapping import GreenhouseMapping
from services.greenhouse.settings import GreenhouseSettings
from services.greenhouse.store import PostgresGreenhouseStore
from services.greenhouse.sync import SyncReport, sync_once
from services.greenhouse.webhook import WebhookApp
from services.runtime.kafka import RecordSender
from services.runtime.service import database_and_producer

log = structlog.get_logger(service="greenhouse")


def utc_now() -> datetime:
    return datetime.now(UTC)


@contextlib.asynccontextmanager
async def connect(settings: GreenhouseSettings) -> AsyncIterator[tuple[PostgresGreenhouseStore, RecordSender]]:
    async with database_and_producer(settings, "greenhouse", PostgresGreenhouseStore, log) as (store, sender):  # type: ignore[arg-type]
        yield store, sender


async def run_sync(
    settings: GreenhouseSettings,
    *,
    once: bool,
    since: datetime | None = None,
    clock: Callable[[], datetime] = utc_now,
    on_report: Callable[[SyncReport], None] = lambda report: None,
) -> None:
    """Poll until stopped (or once). A failed poll is logged and retried at the next interval:
    the high-water mark did not move, so nothing is skipped."""
    mapping = GreenhouseMapping.load(settings.greenhouse_mapping_file)
    client = HarvestClient(settings.greenhouse_harvest_url, settings.api_key(), per_page=settings.greenhouse_per_page)
    try:
        async with connect(settings) as (store, sender):
            while True:
                try:
                    report = await sync_once(client, store, sender, mapping, clock,
                                             timedelta(seconds=settings.greenhouse_overlap_s), since)
                except Exception as exc:
                    if once:
                        raise
                    log.error("greenhouse_sync_failed", error=type(exc).__name__, detail=str(exc)[:200])
                else:
                    on_report(report)
                    since = None
                    if once:
                        return
                await asyncio.sleep(settings.greenhouse_poll_interval_s)
    finally:
        await client.close()


async def serve_webhook(settings: GreenhouseSettings, clock: Callable[[], datetime] = utc_now) -> None:
    import uvicorn

    secret = settings.webhook_secret()
    async with connect(settings) as (store, sender):
        config = uvicorn.Config(
            WebhookApp(secret, store, sender, clock), host=settings.http_host, port=settings.greenhouse_webhook_port,
            lifespan="off", log_level="warning",
            ssl_certfile=str(settings.greenhouse_ssl_certfile) if settings.greenhouse_ssl_certfile else None,
            ssl_keyfile=str(settings.greenhouse_ssl_keyfile) if settings.greenhouse_ssl_keyfile else None,
        )
        await uvicorn.Server(config).serve()
