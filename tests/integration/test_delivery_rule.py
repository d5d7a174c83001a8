"""The delivery rule in a service against the real broker and database, with errors no
valid record can reach today injected into the store: a database data error on one
record (the batch is split, that record dead-lettered with its reason and coordinates, the
others published once) and an outage of the store (retried with backoff, visible in the
metrics, readiness 503 with the reason after N failures, healed without a restart)."""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
import uuid
from collections.abc import AsyncIterator, Sequence
from typing import ClassVar

import httpx
import pytest
import structlog

from schemas import topics
from services.runtime.service import database_and_producer
from services.scoring.app import create_app
from services.scoring.settings import ScoringSettings
from services.scoring.store import Outcome, PostgresScoreStore
from tests.factories import interview
from tests.kafka_io import end_offsets, keys_in, produce, read_until
from tests.services import running

pytestmark = pytest.mark.integration
DLQ = topics.dead_letter(topics.INTERVIEW_COMPLETED)


class InjectedStore(PostgresScoreStore):
    poisoned: ClassVar[set[str]] = set()
    down: ClassVar[bool] = False
    saves: ClassVar[list[int]] = []

    async def save(
        self, outcomes: Sequence[Outcome], encoded: Sequence[bytes | None] | None = None
    ) -> list[bytes | None]:
        type(self).saves.append(len(outcomes))
        if type(self).down:
            raise ConnectionRefusedError("injected outage")
        if any(o.interview_id in type(self).poisoned for o in outcomes):
            async with self.pool.acquire() as conn, conn.transaction():
                await conn.execute("SELECT 1 / 0")  # a real data error from PostgreSQL (SQLSTATE 22012)
        return await super().save(outcomes, encoded)


def app(stack, **options):
    settings = ScoringSettings(
        kafka_bootstrap_servers=stack.kafka_bootstrap_servers, database_url=stack.database_url, **options
    )

    @contextlib.asynccontextmanager
    async def resources(s: ScoringSettings) -> AsyncIterator:
        async with database_and_producer(s, "scoring", InjectedStore, structlog.get_logger()) as pair:
            yield pair

    return create_app(settings, resources=resources)


async def test_a_record_the_database_refuses_is_split_out_and_dead_lettered_the_rest_published_once(stack):
    candidate = f"dr-{uuid.uuid4().hex[:8]}"
    events = [interview(candidate_id=candidate) for _ in range(9)]
    InjectedStore.poisoned = {events[4].interview_id}
    key = events[0].key.encode()
    kafka = stack.kafka_bootstrap_servers
    since_dlq, since_out = await end_offsets(kafka, DLQ), await end_offsets(kafka, topics.INTERVIEW_SCORED)
    try:
        async with running(app(stack, batch_max_records=50, batch_timeout_ms=500)):
            await produce(kafka, topics.INTERVIEW_COMPLETED, [(key, e.model_dump_json().encode()) for e in events])
            started = time.monotonic()
            [dead] = await read_until(kafka, DLQ, lambda got: len(got) >= 1, keep=keys_in([key]), since=since_dlq)
            out = await read_until(
                kafka, topics.INTERVIEW_SCORED, lambda got: len(got) >= 8, keep=keys_in([key]), since=since_out
            )
            delay = time.monotonic() - started
            await asyncio.sleep(2)
            out = await read_until(
                kafka, topics.INTERVIEW_SCORED, lambda got: False, keep=keys_in([key]), since=since_out, timeout=2
            )
    finally:
        InjectedStore.poisoned = set()
    headers = dict(dead.headers)
    assert headers[topics.DLQ_ERROR_TYPE] == b"database_refused"
    assert headers[topics.DLQ_ERROR] == b"the database refused it: DivisionByZeroError (SQLSTATE 22012)"
    assert headers[topics.DLQ_SOURCE_TOPIC] == topics.INTERVIEW_COMPLETED.encode()
    assert json.loads(dead.value)["event_id"] == str(events[4].event_id)
    published = [json.loads(r.value)["source_event_id"] for r in out]
    assert sorted(published) == sorted(str(e.event_id) for i, e in enumerate(events) if i != 4)  # each once
    print(f"\n[split] 1 of 9 refused by the database: dead-lettered, the 8 others published once within {delay:.2f} s")


async def readiness(client: httpx.AsyncClient, status: int, within: float) -> httpx.Response:
    """/health/ready once it answers `status`, or its last answer after `within` seconds."""
    deadline = time.monotonic() + within
    while True:
        ready = await client.get("/health/ready")
        if ready.status_code == status or time.monotonic() > deadline:
            return ready
        await asyncio.sleep(0.1)


async def test_an_outage_of_the_store_is_retried_counted_and_turns_readiness_503_then_heals(stack):
    event = interview(candidate_id=f"ou-{uuid.uuid4().hex[:8]}")
    kafka = stack.kafka_bootstrap_servers
    since_out = await end_offsets(kafka, topics.INTERVIEW_SCORED)
    service = app(stack, unready_after_batch_failures=2)
    InjectedStore.down = True
    try:
        async with (
            running(service),
            httpx.AsyncClient(transport=httpx.ASGITransport(app=service), base_url="http://scoring") as client,
        ):
            await produce(kafka, topics.INTERVIEW_COMPLETED, [(event.key.encode(), event.model_dump_json().encode())])
            ready = await readiness(client, 503, within=30)
            assert ready.status_code == 503
            assert "consumer: not ready (batch of" in ready.text and "ConnectionRefusedError, failed" in ready.text
            metrics = (await client.get("/metrics")).text
            assert 'scoring_batch_retries_total{error_type="ConnectionRefusedError"}' in metrics
            ages = [
                float(line.rsplit(" ", 1)[1])
                for line in metrics.splitlines()
                if line.startswith("scoring_oldest_unprocessed_record_age_seconds{")
            ]
            assert max(ages) > 0
            InjectedStore.down = False
            [out] = await read_until(
                kafka,
                topics.INTERVIEW_SCORED,
                lambda got: len(got) >= 1,
                keep=keys_in([event.key.encode()]),
                since=since_out,
            )
            # The record is on the topic a moment before the batch's success is counted.
            assert (await readiness(client, 200, within=10)).status_code == 200
            assert "scoring_consecutive_batch_failures 0.0" in (await client.get("/metrics")).text
    finally:
        InjectedStore.down = False
    assert json.loads(out.value)["source_event_id"] == str(event.event_id)
