"""`sync` against a Harvest-shaped local server, the real broker and the real database."""

import asyncio
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from schemas import topics
from schemas.events import InterviewCompleted
from services.greenhouse.harvest import HarvestClient, HarvestError
from services.greenhouse.mapping import GreenhouseMapping
from services.greenhouse.store import PostgresGreenhouseStore
from services.greenhouse.sync import sync_once
from tests.greenhouse import OTHER_JOB, adapter_on, loop
from tests.harvest_server import API_KEY, HarvestServer, scorecard
from tests.kafka_io import end_offsets, read_until

pytestmark = pytest.mark.integration
MAPPING = GreenhouseMapping.load(Path(__file__).resolve().parents[2] / "samples" / "greenhouse-mapping.toml")
OVERLAP = timedelta(seconds=300)


@pytest.fixture
async def adapter(stack):
    async with adapter_on(stack) as (store, sender):
        yield store, sender


@pytest.fixture
def harvest():
    with HarvestServer() as server:
        yield server


def client_of(server, waits=None, key=API_KEY):
    async def sleep(seconds):
        if waits is not None:
            waits.append(seconds)
        await asyncio.sleep(min(seconds, 0.05))

    return HarvestClient(server.url, key, per_page=2, sleep=sleep)


async def published_since(stack, since, candidates):
    keys = {f"{c}:backend-engineer".encode() for c in candidates}
    records = await read_until(
        stack.kafka_bootstrap_servers,
        topics.INTERVIEW_COMPLETED,
        lambda got: False,
        keep=lambda r: r.key in keys,
        since=since,
        timeout=2,
    )
    return [InterviewCompleted.model_validate_json(r.value) for r in records]


async def test_sync_pages_through_a_rate_limit_and_publishes_each_mapped_scorecard_once(stack, adapter, harvest):
    store, sender = adapter
    candidates = loop(harvest.harvest, candidates=3, per_candidate=2)
    harvest.harvest.applications[1] = OTHER_JOB
    harvest.harvest.put(
        scorecard(
            1, candidate_id=candidates[0], application_id=1, updated_at=datetime.now(UTC), ratings={"API Design": "yes"}
        )
    )
    harvest.harvest.rate_limit_next, harvest.harvest.retry_after = 1, "3"
    since, waits = await end_offsets(stack.kafka_bootstrap_servers, topics.INTERVIEW_COMPLETED), []
    client = client_of(harvest, waits)

    report = await sync_once(client, store, sender, MAPPING, lambda: datetime.now(UTC), OVERLAP)
    await client.close()

    events = await published_since(stack, since, candidates)
    assert (report.fetched, report.published, dict(report.skipped)) == (7, 6, {"unmapped_job": 1})
    assert len({e.event_id for e in events}) == len(events) == 6
    assert waits[0] == 3.0  # the 429's Retry-After was respected
    assert sum("/v1/scorecards" in r for r in harvest.harvest.requests) >= 4  # 7 scorecards, 2 per page


async def test_a_second_sync_publishes_nothing_and_an_edit_publishes_one_higher_revision(stack, adapter, harvest):
    store, sender = adapter
    candidates = loop(harvest.harvest, candidates=2, per_candidate=2, now=datetime.now(UTC) - timedelta(minutes=1))
    client = client_of(harvest)
    await sync_once(client, store, sender, MAPPING, lambda: datetime.now(UTC), OVERLAP)
    since = await end_offsets(stack.kafka_bootstrap_servers, topics.INTERVIEW_COMPLETED)

    again = await sync_once(client, store, sender, MAPPING, lambda: datetime.now(UTC), OVERLAP)
    assert (again.published, again.unchanged) == (0, 4)
    assert "updated_after" in harvest.harvest.requests[-1]  # the stored high-water mark was used

    edited_id = candidates[0] * 10
    edited = scorecard(
        edited_id,
        candidate_id=candidates[0],
        application_id=candidates[0] + 7_000_000_000,
        updated_at=datetime.now(UTC),
        ratings={"API Design": "no"},
    )
    harvest.harvest.put(edited)
    restarted = PostgresGreenhouseStore(store.pool)  # a restart: nothing but the database carries over
    third = await sync_once(client, restarted, sender, MAPPING, lambda: datetime.now(UTC), OVERLAP)
    await client.close()

    [event] = await published_since(stack, since, candidates)
    assert third.published == 1
    assert event.interview_id == f"greenhouse-scorecard-{edited_id}"
    first_revision = int((datetime.now(UTC) - timedelta(minutes=1)).timestamp() * 1000)
    assert event.revision > first_revision


async def test_a_refused_api_key_stops_the_sync_with_a_clear_error_and_moves_nothing(stack, adapter, harvest):
    store, sender = adapter
    loop(harvest.harvest, candidates=1, per_candidate=1)
    client = client_of(harvest, key="wrong")
    with pytest.raises(HarvestError, match="refused the API key"):
        await sync_once(client, store, sender, MAPPING, lambda: datetime.now(UTC), OVERLAP)
    await client.close()
    assert await store.high_water_mark() is None
