"""`rebuild aggregation` against the real broker and database."""

import asyncio
import uuid

import asyncpg
import pytest

from schemas import topics
from schemas.events import Recommendation
from services.aggregation.app import create_app as aggregation_app
from services.aggregation.settings import AggregationSettings
from services.scoring.app import create_app as scoring_app
from services.scoring.settings import ScoringSettings
from tests.e2e.cli import run
from tests.factories import interview, retraction
from tests.kafka_io import end_offsets, keys_in, produce, read_until
from tests.services import running

pytestmark = pytest.mark.integration
ALL = ["api_design", "databases", "concurrency", "reliability_observability", "security"]


async def snapshot(stack):
    conn = await asyncpg.connect(stack.database_url)
    try:
        interviews = await conn.fetch(
            "SELECT candidate_id, role_id, interview_id, revision, payload FROM aggregation.interviews ORDER BY 1, 2, 3"
        )
        recommendations = await conn.fetch(
            "SELECT candidate_id, role_id, version, fingerprint FROM aggregation.recommendations ORDER BY 1, 2"
        )
        return [tuple(r) for r in interviews], [tuple(r) for r in recommendations]
    finally:
        await conn.close()


async def test_rebuild_replays_into_empty_state_and_arrives_at_the_same_recommendations(stack):
    """Including a retracted interview: the replay must keep it retracted."""
    addresses = {"kafka_bootstrap_servers": stack.kafka_bootstrap_servers, "database_url": stack.database_url}
    candidate = f"cand-{uuid.uuid4().hex[:8]}"
    key = f"{candidate}:backend-engineer".encode()
    events = [
        interview(candidate_id=candidate, interview_id=f"{candidate}-{n}", ratings={c: "yes" for c in part})
        for n, part in enumerate([ALL[:3], ALL[3:], ALL])
    ]
    dropped = retraction(candidate_id=candidate, interview_id=events[2].interview_id)
    since = await end_offsets(stack.kafka_bootstrap_servers, topics.RECOMMENDATION)
    async with running(scoring_app(ScoringSettings(**addresses))), running(aggregation_app(AggregationSettings(**addresses))):
        await produce(stack.kafka_bootstrap_servers, topics.INTERVIEW_COMPLETED,
                      [(e.key.encode(), e.model_dump_json().encode()) for e in events])
        await produce(stack.kafka_bootstrap_servers, topics.INTERVIEW_COMPLETED,
                      [(dropped.key.encode(), dropped.model_dump_json().encode())],
                      headers=[(topics.EVENT_TYPE, b"InterviewRetracted")])
        await read_until(
            stack.kafka_bootstrap_servers, topics.RECOMMENDATION,
            lambda got: any(len(Recommendation.model_validate_json(r.value).interviews) == 2
                            and "1 retracted interview(s) not counted" in Recommendation.model_validate_json(r.value).reasons
                            for r in got),
            keep=keys_in([key]), since=since,
        )
    before = await snapshot(stack)
    assert any(row[2] == dropped.interview_id and row[3] is None for row in before[0])  # the tombstone
    conn = await asyncpg.connect(stack.database_url)
    try:
        await conn.execute("DELETE FROM aggregation.interviews")  # the state is lost
    finally:
        await conn.close()

    result = run("rebuild", "aggregation")
    assert result.returncode == 0, result.stderr
    assert "0 recommendations changed" in result.stdout
    assert await snapshot(stack) == before


async def test_rebuild_refuses_while_the_aggregation_service_runs(stack):
    addresses = {"kafka_bootstrap_servers": stack.kafka_bootstrap_servers, "database_url": stack.database_url}
    async with running(aggregation_app(AggregationSettings(**addresses))) as app:
        for _ in range(100):
            consumer = app.broker.subscribers[0].consumer
            if consumer is not None and consumer.assignment():
                break
            await asyncio.sleep(0.1)
        result = run("rebuild", "aggregation")
    assert result.returncode == 1
    assert "stop the aggregation service first" in result.stderr
