"""The ScoreStore contract, run against PostgreSQL and the in-memory fake alike."""

import uuid

import asyncpg
import pytest

from schemas import wire
from schemas.rubric import load_rubric
from services.scoring.score import score_interview
from services.scoring.store import PostgresScoreStore
from tests.factories import FIXED_TIME, interview, on_the_wire
from tests.fakes import InMemoryScoreStore

pytestmark = pytest.mark.integration


@pytest.fixture(params=["postgres", "in-memory"])
async def store(request, stack):
    if request.param == "in-memory":
        yield InMemoryScoreStore()
        return
    pool = await asyncpg.create_pool(stack.database_url, min_size=1, max_size=2)
    await PostgresScoreStore.migrate(pool)
    yield PostgresScoreStore(pool)
    await pool.close()


def scored(**kwargs) -> wire.InterviewScored:
    """As the scoring service stores it: the hot path's Struct of the scored event."""
    return on_the_wire(score_interview(interview(**kwargs), load_rubric(), FIXED_TIME))


async def test_a_new_event_is_stored_and_its_bytes_returned_for_publishing(store):
    event = scored()
    assert await store.save([event]) == [wire.encode(event)]


async def test_bytes_the_caller_wrote_are_stored_and_given_back_as_they_are(store):
    """The handler writes each scored event's JSON once: a new event's own bytes come back (the very
    object, so it needs no check of whose they are); a seen event's are those stored the first time."""
    event, other = scored(), scored()
    mine = wire.encode(event)
    [back, none] = await store.save([event, other], [mine, None])
    assert back is mine and none == wire.encode(other)
    [again] = await store.save([event], [wire.encode(event)])
    assert again == mine


async def test_saving_the_same_event_twice_returns_the_first_bytes_again(store):
    event = scored()
    first = await store.save([event])
    assert await store.save([event]) == first


async def test_a_lower_revision_after_a_higher_one_is_not_current(store):
    interview_id = f"int-{uuid.uuid4().hex[:8]}"
    v2, v1 = scored(interview_id=interview_id, revision=2), scored(interview_id=interview_id, revision=1)
    assert await store.save([v2, v1]) == [wire.encode(v2), None]
    assert await store.save([v1]) == [None]  # and stays so when re-delivered


async def test_a_higher_revision_after_a_lower_one_is_current(store):
    interview_id = f"int-{uuid.uuid4().hex[:8]}"
    v1, v2 = scored(interview_id=interview_id, revision=1), scored(interview_id=interview_id, revision=2)
    results = await store.save([v1, v2])
    assert all(r is not None for r in results)


async def test_postgres_keeps_one_row_per_event_and_per_competency(stack):
    pool = await asyncpg.create_pool(stack.database_url, min_size=1, max_size=2)
    try:
        await PostgresScoreStore.migrate(pool)
        store = PostgresScoreStore(pool)
        event = scored()
        await store.save([event])
        await store.save([event])
        rows = await pool.fetchval(
            "SELECT count(*) FROM scoring.scored_interviews WHERE source_event_id = $1", event.source_event_id
        )
        competencies = await pool.fetchval(
            "SELECT count(*) FROM scoring.competency_scores WHERE source_event_id = $1", event.source_event_id
        )
    finally:
        await pool.close()
    assert (rows, competencies) == (1, 5)


async def test_a_retraction_is_kept_once_and_stops_later_completions_of_its_interview(store):
    from tests.factories import retraction

    interview_id = f"int-{uuid.uuid4().hex[:8]}"
    first, second = (
        retraction(interview_id=interview_id),
        retraction(interview_id=interview_id, reason="interview_deleted"),
    )
    later = scored(interview_id=interview_id, revision=1_800_000_000)  # a timestamp revision: beyond int4
    results = await store.save([first, second, later])
    assert results == [first.model_dump_json().encode()] * 2 + [None]
    assert await store.save([later]) == [None]
