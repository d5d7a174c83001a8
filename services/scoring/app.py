"""Wiring of the scoring service: the one place that builds and closes resources.

`create_app()` builds nothing that connects; the lifespan opens the asyncpg pool
(applying migrations), starts the producer, and closes both after `yield`. Run it with
`hiring-pipeline run scoring`, or `faststream run services.scoring.app:create_app --factory`.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime

import structlog
from faststream.asgi import AsgiFastStream
from prometheus_client import CollectorRegistry, Gauge

from schemas import topics
from schemas.rubric import load_rubric
from services.runtime.http import serve as run_asgi
from services.runtime.kafka import RecordSender
from services.runtime.logs import configure_logging
from services.runtime.service import database_and_producer, service_app
from services.scoring.consumer import ScoringHandler, ScoringMetrics
from services.scoring.evidence import Lexicon, compile_lexicon
from services.scoring.settings import ScoringSettings
from services.scoring.store import PostgresScoreStore, ScoreStore

log = structlog.get_logger(service="scoring")
Resources = Callable[[ScoringSettings], contextlib.AbstractAsyncContextManager[tuple[ScoreStore, RecordSender]]]


@contextlib.asynccontextmanager
async def connect(settings: ScoringSettings) -> AsyncIterator[tuple[ScoreStore, RecordSender]]:
    async with database_and_producer(settings, "scoring", PostgresScoreStore, log) as (store, sender):
        yield store, sender


def evidence_search_gauge(registry: CollectorRegistry) -> Gauge:
    """`scoring_evidence_search{search=...}`: 1 for the evidence search the scorer runs, so a
    benchmark or an operator can tell the compiled scan (`scan`, the fast path) from the plain
    search (`triggers`: Hyperscan missing)."""
    return Gauge(
        "scoring_evidence_search",
        "The evidence search the scorer runs: scan (the compiled Hyperscan scan) or triggers (plain regexes)",
        ["search"],
        registry=registry,
    )


def evidence_search(lexicon: Lexicon) -> str:
    return "scan" if lexicon.scans is not None else "triggers"


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
    search = evidence_search_gauge(registry)

    @contextlib.asynccontextmanager
    async def running() -> AsyncIterator[ScoringHandler]:
        async with resources(settings) as (store, sender):
            rubric = load_rubric()
            # Compiled (or loaded from the disk cache) before the first batch; scoring the
            # same rubric object finds this lexicon in compile_lexicon's cache.
            used = evidence_search(compile_lexicon(rubric))
            search.labels(used).set(1)
            log.info("evidence_search", search=used)
            yield ScoringHandler(store, sender, rubric, clock, metrics, settings.scoring_group_id)

    return service_app(
        name="scoring",
        settings=settings,
        topic=topics.INTERVIEW_COMPLETED,
        group_id=settings.scoring_group_id,
        registry=registry,
        log=log,
        running=running,
    )


def serve(settings: ScoringSettings | None = None) -> None:
    settings = settings or ScoringSettings()
    run_asgi(create_app(settings), settings.http_host, settings.http_port)
